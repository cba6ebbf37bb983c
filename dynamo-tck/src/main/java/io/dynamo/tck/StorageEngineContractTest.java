package io.dynamo.tck;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.dynamo.api.Bytes;
import io.dynamo.api.VectorClock;
import io.dynamo.api.Versioned;
import io.dynamo.spi.storage.StorageEngine;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.UnaryOperator;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * The contract of {@link StorageEngine}. Subclass it once per engine and implement
 * {@link #createEngine(Path)}; a persistent engine also overrides {@link #persistent()} so that
 * the close-and-reopen tests run:
 *
 * <pre>{@code
 * class MyEngineTest extends StorageEngineContractTest {
 *     protected StorageEngine createEngine(Path dir) { return new MyEngine(dir); }
 *     protected boolean persistent() { return true; }
 * }
 * }</pre>
 *
 * <p>Each test gets a fresh empty directory and a fresh engine, closed after the test.
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
public abstract class StorageEngineContractTest {
    private static final int THREADS = 8;

    @TempDir
    Path directory;

    private StorageEngine engine;

    /**
     * A new engine keeping its files (if any) in {@code directory}. Called again with the same
     * directory by {@link #reopen()}: a persistent engine then opens what it wrote there.
     */
    protected abstract StorageEngine createEngine(Path directory);

    /** True when a closed engine's data must be found again by an engine created on the same directory. */
    protected boolean persistent() {
        return false;
    }

    /** The size of the large value stored by {@link #storesLargeValues()}; lower it to the engine's documented limit. */
    protected int largeValueBytes() {
        return 256 * 1024;
    }

    /** The engine under test. */
    protected final StorageEngine engine() {
        return engine;
    }

    /** The directory the engine was created on. */
    protected final Path directory() {
        return directory;
    }

    /** Closes the engine and creates a new one on the same directory. */
    protected final StorageEngine reopen() {
        engine.close();
        engine = createEngine(directory);
        return engine;
    }

    @BeforeEach
    final void openEngine() {
        engine = createEngine(directory);
    }

    @AfterEach
    final void closeEngine() {
        if (engine != null) {
            engine.close();
        }
    }

    // ----- versions used by the tests

    protected static Bytes key(String text) {
        return Bytes.utf8(text);
    }

    protected static Versioned version(String node, long counter, String value) {
        return Versioned.of(VectorClock.of(new VectorClock.Entry(node, counter, 1_700_000_000_000L + counter)), Bytes.utf8(value));
    }

    protected static Versioned tombstone(String node, long counter) {
        return Versioned.tombstone(VectorClock.of(new VectorClock.Entry(node, counter, 1_700_000_000_000L + counter)));
    }

    private static UnaryOperator<List<Versioned>> replaceWith(List<Versioned> versions) {
        return current -> versions;
    }

    private void put(int partition, Bytes key, Versioned... versions) {
        engine.update(partition, key, replaceWith(List.of(versions)));
    }

    private Map<Bytes, List<Versioned>> contents(int partition) {
        Map<Bytes, List<Versioned>> seen = new HashMap<>();
        engine.forEach(partition, (key, versions) -> {
            List<Versioned> previous = seen.put(key, versions);
            assertEquals(null, previous, "forEach visited " + key + " twice");
        });
        return seen;
    }

    // ----- single-threaded contract

    @Test
    void absentKeyHasNoVersions() {
        assertEquals(List.of(), engine.get(0, key("missing")));
        assertEquals(0, engine.size(0));
        assertEquals(Set.of(), engine.partitions());
    }

    @Test
    void updateStoresWhatTheFunctionReturns() {
        Versioned v = version("a", 1, "hello");
        List<Versioned> returned = engine.update(3, key("k"), replaceWith(List.of(v)));
        assertEquals(List.of(v), returned);
        assertEquals(List.of(v), engine.get(3, key("k")));
    }

    @Test
    void updateFunctionSeesCurrentVersionsAndRunsOnce() {
        Versioned first = version("a", 1, "one");
        Versioned second = version("a", 2, "two");
        AtomicInteger calls = new AtomicInteger();
        List<List<Versioned>> seen = new ArrayList<>();
        engine.update(0, key("k"), current -> {
            calls.incrementAndGet();
            seen.add(List.copyOf(current));
            return List.of(first);
        });
        engine.update(0, key("k"), current -> {
            calls.incrementAndGet();
            seen.add(List.copyOf(current));
            return List.of(second);
        });
        assertEquals(2, calls.get(), "each update runs its function exactly once");
        assertEquals(List.of(List.of(), List.of(first)), seen);
        assertEquals(List.of(second), engine.get(0, key("k")));
    }

    @Test
    void siblingsAreStoredFaithfullyInOrder() {
        List<Versioned> siblings = List.of(
                version("b", 3, "from b"),
                version("a", 1, "from a"),
                Versioned.of(VectorClock.of(new VectorClock.Entry("a", 2, 5), new VectorClock.Entry("c", 7, 9)), Bytes.EMPTY),
                tombstone("d", 4));
        engine.update(1, key("cart"), replaceWith(siblings));
        assertEquals(siblings, engine.get(1, key("cart")));
    }

    @Test
    void keysAndValuesAreArbitraryBytes() {
        Bytes binaryKey = Bytes.of(new byte[] {0, -1, 10, 13, 0x7f, -128});
        Versioned binaryValue = Versioned.of(VectorClock.EMPTY.increment("n", 1), Bytes.of(new byte[] {-1, 0, 0, 42}));
        put(0, binaryKey, binaryValue);
        put(0, Bytes.EMPTY, version("n", 1, "empty key"));
        assertEquals(List.of(binaryValue), engine.get(0, binaryKey));
        assertEquals(List.of(version("n", 1, "empty key")), engine.get(0, Bytes.EMPTY));
        assertEquals(2, engine.size(0));
    }

    @Test
    void storesLargeValues() {
        byte[] large = new byte[largeValueBytes()];
        new Random(42).nextBytes(large);
        Versioned v = Versioned.of(VectorClock.EMPTY.increment("n", 1), Bytes.of(large));
        put(0, key("large"), v);
        assertEquals(List.of(v), engine.get(0, key("large")));
    }

    @Test
    void laterChangesToTheReturnedListDoNotReachTheEngine() {
        Versioned v = version("a", 1, "kept");
        List<Versioned> mutable = new ArrayList<>(List.of(v));
        engine.update(0, key("k"), current -> mutable);
        mutable.add(version("b", 1, "added later"));
        assertEquals(List.of(v), engine.get(0, key("k")));
    }

    @Test
    void failingUpdateLeavesTheKeyUnchanged() {
        Versioned v = version("a", 1, "before");
        put(0, key("k"), v);
        IllegalStateException failure = new IllegalStateException("refused by the caller");
        IllegalStateException thrown = assertThrows(IllegalStateException.class,
                () -> engine.update(0, key("k"), current -> {
                    throw failure;
                }));
        assertEquals(failure.getMessage(), thrown.getMessage());
        assertEquals(List.of(v), engine.get(0, key("k")));
    }

    @Test
    void updateReturningNothingRemovesTheKey() {
        put(2, key("gone"), version("a", 1, "x"));
        put(2, key("stays"), version("a", 1, "y"));
        List<Versioned> returned = engine.update(2, key("gone"), current -> List.of());
        assertEquals(List.of(), returned);
        assertEquals(List.of(), engine.get(2, key("gone")));
        assertEquals(1, engine.size(2));
        assertEquals(Set.of(key("stays")), contents(2).keySet());
        engine.update(2, key("stays"), current -> List.of());
        assertEquals(0, engine.size(2));
        assertTrue(engine.partitions().isEmpty(), "a partition without keys is not listed: " + engine.partitions());
    }

    @Test
    void aPreparedPartitionIsEmptyUnlistedAndWritable() {
        engine.prepare(5);
        engine.prepare(5);
        engine.prepare(StorageEngine.HINTS_PARTITION);
        assertEquals(List.of(), engine.get(5, key("nothing")));
        assertEquals(0, engine.size(5));
        assertEquals(Set.of(), engine.partitions());
        engine.update(5, key("first"), current -> List.of(version("n", 1, "v")));
        assertEquals(Set.of(5), engine.partitions());
    }

    @Test
    void removingAnAbsentKeyIsHarmless() {
        assertEquals(List.of(), engine.update(0, key("never"), current -> List.of()));
        assertEquals(0, engine.size(0));
        assertEquals(Set.of(), engine.partitions());
    }

    @Test
    void tombstonesAreKeptLikeValues() {
        Versioned deleted = tombstone("a", 2);
        put(0, key("k"), version("a", 1, "alive"));
        engine.update(0, key("k"), current -> List.of(deleted));
        assertEquals(List.of(deleted), engine.get(0, key("k")));
        assertEquals(1, engine.size(0));
        assertEquals(Map.of(key("k"), List.of(deleted)), contents(0));
    }

    @Test
    void partitionsAreKeptApart() {
        put(0, key("k"), version("a", 1, "in zero"));
        put(1, key("k"), version("a", 1, "in one"));
        assertEquals(List.of(version("a", 1, "in zero")), engine.get(0, key("k")));
        assertEquals(List.of(version("a", 1, "in one")), engine.get(1, key("k")));
        assertEquals(List.of(), engine.get(2, key("k")));
        engine.update(0, key("k"), current -> List.of());
        assertEquals(List.of(version("a", 1, "in one")), engine.get(1, key("k")));
    }

    @Test
    void forEachSeesExactlyThePartitionsKeys() {
        Map<Bytes, List<Versioned>> expected = new HashMap<>();
        for (int i = 0; i < 300; i++) {
            int partition = i % 3;
            Bytes key = key("key-" + i);
            Versioned v = version("n" + (i % 5), i + 1, "value-" + i);
            put(partition, key, v);
            if (partition == 1) {
                expected.put(key, List.of(v));
            }
        }
        assertEquals(expected, contents(1));
        assertEquals(Map.of(), contents(7));
    }

    @Test
    void forEachWithAnUnreadableCallbackSeesEveryReadableKey() {
        Map<Bytes, List<Versioned>> expected = new HashMap<>();
        for (int i = 0; i < 50; i++) {
            Versioned v = version("n", i + 1, "value-" + i);
            put(2, key("key-" + i), v);
            expected.put(key("key-" + i), List.of(v));
        }
        Map<Bytes, List<Versioned>> seen = new HashMap<>();
        engine.forEach(2, seen::put, (key, failure) -> {
            throw new AssertionError("readable value of " + key + " reported unreadable", failure);
        });
        assertEquals(expected, seen);
    }

    @Test
    void quarantineLeavesReadableAndAbsentKeysAlone() {
        put(1, key("fine"), version("n", 1, "v"));
        assertEquals(false, engine.quarantine(1, key("fine")), "a readable value is not moved");
        assertEquals(false, engine.quarantine(1, key("absent")));
        assertEquals(List.of(version("n", 1, "v")), engine.get(1, key("fine")));
        assertEquals(0, engine.size(StorageEngine.QUARANTINE_PARTITION));
    }

    @Test
    void sizeCountsKeysNotVersions() {
        put(5, key("a"), version("x", 1, "1"), version("y", 1, "2"));
        put(5, key("b"), version("x", 1, "3"));
        put(6, key("a"), version("x", 1, "4"));
        put(5, key("a"), version("x", 2, "5"));
        assertEquals(2, engine.size(5));
        assertEquals(1, engine.size(6));
        assertEquals(0, engine.size(4));
    }

    @Test
    void partitionsListsThoseHoldingKeys() {
        put(0, key("a"), version("x", 1, "1"));
        put(17, key("a"), version("x", 1, "1"));
        put(StorageEngine.HINTS_PARTITION, key("h"), version("x", 1, "hint"));
        put(9, key("b"), version("x", 1, "1"));
        engine.update(9, key("b"), current -> List.of());
        assertEquals(Set.of(0, 17, StorageEngine.HINTS_PARTITION), engine.partitions());
    }

    @Test
    void dropPartitionRemovesOnlyThatPartition() {
        for (int i = 0; i < 50; i++) {
            put(1, key("k" + i), version("a", 1, "one"));
            put(2, key("k" + i), version("a", 1, "two"));
        }
        engine.dropPartition(1);
        assertEquals(0, engine.size(1));
        assertEquals(List.of(), engine.get(1, key("k0")));
        assertEquals(Map.of(), contents(1));
        assertEquals(Set.of(2), engine.partitions());
        assertEquals(50, engine.size(2));
        assertEquals(List.of(version("a", 1, "two")), engine.get(2, key("k49")));

        put(1, key("again"), version("a", 2, "back"));
        assertEquals(List.of(version("a", 2, "back")), engine.get(1, key("again")));
        assertEquals(1, engine.size(1));
    }

    @Test
    void droppingAnAbsentPartitionIsHarmless() {
        put(0, key("k"), version("a", 1, "v"));
        engine.dropPartition(42);
        assertEquals(Set.of(0), engine.partitions());
    }

    @Test
    void hintsPartitionWorksLikeAnyOther() {
        int hints = StorageEngine.HINTS_PARTITION;
        put(hints, key("h1"), version("a", 1, "hint one"), version("b", 1, "hint two"));
        put(hints, key("h2"), tombstone("a", 2));
        put(0, key("h1"), version("c", 1, "data"));
        assertEquals(List.of(version("a", 1, "hint one"), version("b", 1, "hint two")), engine.get(hints, key("h1")));
        assertEquals(2, engine.size(hints));
        assertEquals(Set.of(key("h1"), key("h2")), contents(hints).keySet());
        engine.dropPartition(hints);
        assertEquals(0, engine.size(hints));
        assertEquals(List.of(version("c", 1, "data")), engine.get(0, key("h1")));
    }

    @Test
    void flushKeepsEverything() {
        put(0, key("k"), version("a", 1, "v"));
        engine.flush();
        assertEquals(List.of(version("a", 1, "v")), engine.get(0, key("k")));
    }

    // ----- concurrency

    @Test
    void concurrentUpdatesOfOneKeyNeverLoseAVersion() throws Exception {
        int perThread = 40;
        Bytes key = key("contended");
        runConcurrently(thread -> {
            for (int i = 1; i <= perThread; i++) {
                Versioned mine = version("t" + thread, i, "t" + thread + "-" + i);
                engine.update(0, key, current -> {
                    List<Versioned> next = new ArrayList<>(current);
                    next.add(mine);
                    return next;
                });
            }
        });
        List<Versioned> stored = engine.get(0, key);
        assertEquals(THREADS * perThread, stored.size(), "versions lost or duplicated by concurrent updates");
        Set<Versioned> expected = new HashSet<>();
        for (int thread = 0; thread < THREADS; thread++) {
            for (int i = 1; i <= perThread; i++) {
                expected.add(version("t" + thread, i, "t" + thread + "-" + i));
            }
        }
        assertEquals(expected, new HashSet<>(stored));
    }

    @Test
    void concurrentUpdatesOfDifferentKeysAllLand() throws Exception {
        int perThread = 150;
        runConcurrently(thread -> {
            for (int i = 0; i < perThread; i++) {
                put(i % 2, key(thread + "/" + i), version("t" + thread, i + 1, "v" + i));
            }
        });
        assertEquals(THREADS * perThread / 2, engine.size(0));
        assertEquals(THREADS * perThread / 2, engine.size(1));
        for (int thread = 0; thread < THREADS; thread++) {
            for (int i = 0; i < perThread; i++) {
                assertEquals(List.of(version("t" + thread, i + 1, "v" + i)), engine.get(i % 2, key(thread + "/" + i)));
            }
        }
    }

    @Test
    void readersNeverSeeAHalfWrittenUpdate() throws Exception {
        // The writer replaces the key's versions with `round` copies stamped `round`; a reader
        // must see one round whole, never a mix of two.
        Bytes key = key("torn");
        int rounds = 300;
        AtomicInteger inconsistent = new AtomicInteger();
        runConcurrently(thread -> {
            if (thread == 0) {
                for (int round = 1; round <= rounds; round++) {
                    List<Versioned> versions = new ArrayList<>();
                    for (int copy = 1; copy <= 1 + round % 4; copy++) {
                        versions.add(version("c" + copy, round, "round " + round));
                    }
                    engine.update(0, key, replaceWith(versions));
                }
            } else {
                for (int read = 0; read < rounds; read++) {
                    List<Versioned> seen = engine.get(0, key);
                    if (!seen.isEmpty()) {
                        long round = seen.get(0).clock().counter("c1");
                        boolean whole = seen.size() == 1 + round % 4
                                && seen.stream().allMatch(v -> v.value().equals(Bytes.utf8("round " + round)));
                        if (!whole) {
                            inconsistent.incrementAndGet();
                        }
                    }
                }
            }
        });
        assertEquals(0, inconsistent.get(), "reads that saw a partly applied update");
    }

    // ----- lifecycle

    @Test
    void everyOperationFailsAfterClose() {
        put(0, key("k"), version("a", 1, "v"));
        engine.close();
        assertThrows(IllegalStateException.class, () -> engine.get(0, key("k")));
        assertThrows(IllegalStateException.class, () -> put(0, key("k"), version("a", 2, "w")));
        assertThrows(IllegalStateException.class, () -> engine.forEach(0, (k, v) -> { }));
        assertThrows(IllegalStateException.class, () -> engine.partitions());
        assertThrows(IllegalStateException.class, () -> engine.size(0));
        assertThrows(IllegalStateException.class, () -> engine.dropPartition(0));
    }

    @Test
    void closeIsIdempotent() {
        put(0, key("k"), version("a", 1, "v"));
        engine.close();
        engine.close();
    }

    // ----- persistence (only when persistent() is true)

    @Test
    void dataSurvivesCloseAndReopen() {
        assumeTrue(persistent(), "not a persistent engine");
        List<Versioned> siblings = List.of(version("a", 1, "x"), version("b", 1, "y"), tombstone("c", 2));
        put(0, key("siblings"), siblings.toArray(new Versioned[0]));
        put(0, key("removed"), version("a", 1, "soon gone"));
        engine.update(0, key("removed"), current -> List.of());
        for (int i = 0; i < 200; i++) {
            put(1 + i % 4, key("k" + i), version("n", i + 1, "v" + i));
        }
        put(StorageEngine.HINTS_PARTITION, key("hint"), version("h", 1, "for node-2"));

        reopen();

        assertEquals(siblings, engine.get(0, key("siblings")));
        assertEquals(List.of(), engine.get(0, key("removed")));
        assertEquals(1, engine.size(0));
        for (int i = 0; i < 200; i++) {
            assertEquals(List.of(version("n", i + 1, "v" + i)), engine.get(1 + i % 4, key("k" + i)));
        }
        assertEquals(50, engine.size(3));
        assertEquals(Set.of(0, 1, 2, 3, 4, StorageEngine.HINTS_PARTITION), engine.partitions());
        assertEquals(List.of(version("h", 1, "for node-2")), engine.get(StorageEngine.HINTS_PARTITION, key("hint")));
    }

    @Test
    void droppedPartitionStaysDroppedAfterReopen() {
        assumeTrue(persistent(), "not a persistent engine");
        put(1, key("a"), version("n", 1, "dropped"));
        put(2, key("a"), version("n", 1, "kept"));
        engine.dropPartition(1);
        reopen();
        assertEquals(List.of(), engine.get(1, key("a")));
        assertEquals(Set.of(2), engine.partitions());
        assertEquals(List.of(version("n", 1, "kept")), engine.get(2, key("a")));
    }

    @Test
    void reopenedEngineTakesNewWrites() {
        assumeTrue(persistent(), "not a persistent engine");
        put(0, key("a"), version("n", 1, "first"));
        reopen();
        engine.update(0, key("a"), current -> {
            List<Versioned> next = new ArrayList<>(current);
            next.add(version("m", 1, "second"));
            return next;
        });
        put(0, key("b"), version("n", 1, "new"));
        reopen();
        assertEquals(List.of(version("n", 1, "first"), version("m", 1, "second")), engine.get(0, key("a")));
        assertEquals(2, engine.size(0));
    }

    // -----

    /** A task for one of the test threads, given its index. */
    @FunctionalInterface
    protected interface ThreadTask {
        void run(int thread) throws Exception;
    }

    /** Runs {@code task} on {@value #THREADS} threads released together; rethrows the first failure. */
    protected static void runConcurrently(ThreadTask task) throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(THREADS);
        try {
            CountDownLatch start = new CountDownLatch(1);
            List<Future<Void>> done = new ArrayList<>();
            for (int t = 0; t < THREADS; t++) {
                int thread = t;
                Callable<Void> body = () -> {
                    start.await();
                    task.run(thread);
                    return null;
                };
                done.add(pool.submit(body));
            }
            start.countDown();
            for (Future<Void> f : done) {
                f.get(30, TimeUnit.SECONDS);
            }
        } finally {
            pool.shutdownNow();
        }
    }
}
