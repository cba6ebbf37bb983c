package io.dynamo.tck;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeFalse;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.dynamo.api.Bytes;
import io.dynamo.api.VectorClock;
import io.dynamo.api.Versioned;
import io.dynamo.spi.DynamoPlugin;
import io.dynamo.spi.PluginConfig;
import io.dynamo.spi.PluginContext;
import io.dynamo.spi.storage.StorageEngine;
import io.dynamo.spi.storage.StorageEngineFactory;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Random;
import java.util.ServiceLoader;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
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
 *
 * <p>An engine that a plugin contributes also names its factory and its documented settings,
 * so that the factory's {@code create} is tested as a node calls it (and {@link
 * #createEngine(Path)} may then be left to its default, which uses the factory):
 *
 * <pre>{@code
 * protected Optional<String> engineName() { return Optional.of("my-engine"); }
 * protected Map<String, String> engineSettings() { return Map.of("cache-size", "64m"); }
 * }</pre>
 *
 * <p>A persistent engine that promises durability across a crash of the process (the SPI's
 * promise; {@link #survivesCrash()}, true by default for a persistent engine) is also
 * abandoned without {@code close} and opened again on its directory; {@link
 * #abandon(StorageEngine)} releases what the death of the process would (a lock file's lock).
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
    protected StorageEngine createEngine(Path directory) {
        String name = engineName().orElseThrow(() -> new IllegalStateException(
                getClass().getName() + " must override createEngine(Path) or engineName()"));
        return factory(name).create(new PluginConfig(name, engineSettings()), new Context("node-1", directory));
    }

    /**
     * The name the engine's factory is selected by ({@code storage=<name>} in a node config);
     * when present, the factory is found through {@code META-INF/services} as a node finds it
     * and its {@code create} is tested with {@link #engineSettings()}. Empty (the default)
     * skips those tests.
     */
    protected Optional<String> engineName() {
        return Optional.empty();
    }

    /** The engine's documented settings (keys of its namespace, without the prefix), used with {@link #engineName()}. */
    protected Map<String, String> engineSettings() {
        return Map.of();
    }

    /**
     * True when writes completed before the process dies are there after a restart: the SPI's
     * promise for persistent engines, so by default {@link #persistent()}. An engine that
     * promises durability only after {@code flush} or {@code close} returns false (and says so
     * in its documentation).
     */
    protected boolean survivesCrash() {
        return persistent();
    }

    /**
     * Lets go of {@code abandoned} as the death of its process would, without closing or
     * flushing it: release what the operating system releases at exit (e.g. a lock on a lock
     * file) so that another engine can open the directory. Default: nothing.
     */
    protected void abandon(StorageEngine abandoned) {}

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
        // Two writers replace the key's versions with 1 to 4 copies of one round, each copy's
        // value 64 bytes of the round's pattern; readers, racing them until they finish, must
        // see one round whole: never nothing (the key exists throughout), never a mix of two
        // rounds, never a value written over in place.
        Bytes key = key("torn");
        engine.update(0, key, replaceWith(roundVersions(0)));
        int rounds = 3_000;
        AtomicInteger writersLeft = new AtomicInteger(2);
        AtomicInteger inconsistent = new AtomicInteger();
        List<String> examples = Collections.synchronizedList(new ArrayList<>());
        runConcurrently(thread -> {
            if (thread < 2) {
                try {
                    for (int round = 1 + thread; round <= rounds; round += 2) {
                        engine.update(0, key, replaceWith(roundVersions(round)));
                    }
                } finally {
                    writersLeft.decrementAndGet(); // also when a write fails, so the readers stop
                }
            } else {
                do {
                    List<Versioned> seen = engine.get(0, key);
                    if (!isWholeRound(seen)) {
                        inconsistent.incrementAndGet();
                        if (examples.size() < 3) {
                            examples.add(seen.toString());
                        }
                    }
                } while (writersLeft.get() > 0 && !Thread.currentThread().isInterrupted());
            }
        });
        assertEquals(0, inconsistent.get(), "reads that saw a partly applied update, e.g. " + examples);
    }

    private static List<Versioned> roundVersions(int round) {
        byte[] pattern = new byte[64];
        Arrays.fill(pattern, (byte) round);
        pattern[0] = (byte) (round >>> 8);
        List<Versioned> versions = new ArrayList<>();
        for (int copy = 1; copy <= 1 + round % 4; copy++) {
            versions.add(Versioned.of(VectorClock.of(new VectorClock.Entry("c" + copy, round + 1L, 1_700_000_000_000L)),
                    Bytes.of(pattern)));
        }
        return versions;
    }

    private static boolean isWholeRound(List<Versioned> seen) {
        if (seen.isEmpty()) {
            return false;
        }
        int round = (int) seen.get(0).clock().counter("c1") - 1;
        return round >= 0 && seen.equals(roundVersions(round));
    }

    @Test
    void eachUpdateRunsItsFunctionOnceAndNoUpdateIsLost() throws Exception {
        // A counter under heavy contention: the function spins a little inside the
        // read-modify-write to widen any window, so an engine without per-key atomicity loses
        // increments and one that retries its function (a CAS loop, a skip list's compute) runs
        // it more than once. It spins rather than yields: a lock holder that yields starves
        // behind spinning waiters (Chronicle Map's segment locks spin).
        int perThread = 1_000;
        Bytes key = key("counter");
        AtomicLong calls = new AtomicLong();
        runConcurrently(thread -> {
            for (int i = 0; i < perThread; i++) {
                engine.update(0, key, current -> {
                    calls.incrementAndGet();
                    long count = current.isEmpty() ? 0 : Long.parseLong(current.get(0).value().asUtf8());
                    spin(WINDOW_NANOS);
                    return List.of(counterVersion(count + 1));
                });
            }
        });
        long total = (long) THREADS * perThread;
        assertEquals(total, calls.get(), "update functions ran " + calls.get() + " times for " + total
                + " updates: the SPI says each runs exactly once (no retrying compute)");
        assertEquals(List.of(counterVersion(total)), engine.get(0, key),
                "concurrent updates of one key were lost: updates must be atomic per key");
    }

    /** How long the counter's update function holds its read-modify-write open. */
    private static final long WINDOW_NANOS = 20_000;

    private static void spin(long nanos) {
        long end = System.nanoTime() + nanos;
        while (System.nanoTime() < end) {
            Thread.onSpinWait();
        }
    }

    private static Versioned counterVersion(long count) {
        return Versioned.of(VectorClock.of(new VectorClock.Entry("counter", Math.max(count, 1), 1_700_000_000_000L)),
                Bytes.utf8(Long.toString(count)));
    }

    @Test
    void forEachSeesEveryCompletedWriteAndEachKeyOnce() {
        for (int i = 0; i < 100; i++) {
            put(4, key("k" + i), version("a", 1, "first " + i));
        }
        assertEquals(100, contents(4).size());
        for (int i = 0; i < 100; i += 2) {
            put(4, key("k" + i), version("a", 2, "second " + i));
        }
        engine.update(4, key("k1"), current -> List.of());
        put(4, key("new"), version("b", 1, "new"));
        Map<Bytes, List<Versioned>> seen = contents(4);
        assertEquals(100, seen.size(), "forEach after the writes saw " + seen.size() + " keys");
        assertEquals(List.of(version("a", 2, "second 0")), seen.get(key("k0")), "forEach returned a stale value");
        assertEquals(List.of(version("a", 1, "first 3")), seen.get(key("k3")));
        assertEquals(null, seen.get(key("k1")), "forEach saw a removed key");
        assertEquals(List.of(version("b", 1, "new")), seen.get(key("new")), "forEach missed a key written before it started");
    }

    @Test
    void forEachDuringWritesVisitsEveryStableKeyOnce() throws Exception {
        // Keys s* exist throughout; writers rewrite them and add and remove keys c*. Every scan
        // must see each s* exactly once, whole, and no key twice.
        int stable = 300;
        for (int i = 0; i < stable; i++) {
            put(0, key("s" + i), version("w", 1, "s" + i));
        }
        AtomicBoolean scanning = new AtomicBoolean(true);
        List<String> problems = Collections.synchronizedList(new ArrayList<>());
        runConcurrently(thread -> {
            if (thread < 2) {
                try {
                    scan(stable, problems);
                } finally {
                    scanning.set(false); // also when a scan fails, so the writers stop
                }
            } else {
                long round = 2;
                while (scanning.get() && !Thread.currentThread().isInterrupted()) {
                    for (int i = thread; i < stable && scanning.get(); i += THREADS) {
                        put(0, key("s" + i), version("w", round, "s" + i));
                        Bytes churn = key("c" + thread + "-" + (round % 50));
                        if (round % 2 == 0) {
                            put(0, churn, version("w", round, "churn"));
                        } else {
                            engine.update(0, churn, current -> List.of());
                        }
                    }
                    round++;
                }
            }
        });
        assertEquals(List.of(), problems.subList(0, Math.min(10, problems.size())), "forEach during writes");
    }

    /** 30 scans of partition 0, each checked to see every s* key once and whole, and no key twice. */
    private void scan(int stable, List<String> problems) {
        for (int scan = 0; scan < 30; scan++) {
            Map<Bytes, Integer> visits = new HashMap<>();
            engine.forEach(0, (key, versions) -> {
                visits.merge(key, 1, Integer::sum);
                String name = key.asUtf8();
                if (name.startsWith("s") && (versions.size() != 1 || !versions.get(0).value().equals(Bytes.utf8(name)))) {
                    problems.add("scan saw " + versions + " for " + name);
                }
            });
            visits.forEach((key, count) -> {
                if (count > 1) {
                    problems.add("scan visited " + key + " " + count + " times");
                }
            });
            for (int i = 0; i < stable; i++) {
                if (!visits.containsKey(key("s" + i))) {
                    problems.add("scan missed s" + i + ", which existed throughout");
                }
            }
        }
    }

    @Test
    void collectionsHandedOutAreNotTheEnginesOwn() {
        Versioned v = version("a", 1, "kept");
        Versioned intruder = version("x", 9, "intruder");
        List<Versioned> returned = engine.update(0, key("k"), current -> new ArrayList<>(List.of(v)));
        tryToChange(returned, intruder);
        tryToChange(engine.get(0, key("k")), intruder);
        engine.forEach(0, (key, versions) -> tryToChange(versions, intruder));
        engine.update(0, key("k"), current -> {
            tryToChange(current, intruder);
            return current;
        });
        assertEquals(List.of(v), engine.get(0, key("k")), "changing a list the engine handed out changed the stored versions");
        Set<Integer> partitions = engine.partitions();
        try {
            partitions.add(77);
        } catch (UnsupportedOperationException expected) {
            // immutable: fine
        }
        assertEquals(Set.of(0), engine.partitions(), "changing the set partitions() returned changed the engine");
    }

    private static void tryToChange(List<Versioned> list, Versioned intruder) {
        try {
            list.add(intruder);
            list.set(0, intruder);
        } catch (UnsupportedOperationException | IndexOutOfBoundsException expected) {
            // immutable: fine
        }
    }

    @Test
    void theFactoryMakesWorkingIndependentEnginesFromItsDocumentedSettings() {
        assumeTrue(engineName().isPresent(), "override engineName() (and engineSettings()) to test the engine's factory");
        String name = engineName().get();
        StorageEngineFactory factory = factory(name);
        factory.settingKeys().ifPresent(keys -> assertTrue(keys.containsAll(engineSettings().keySet()),
                "documented settings " + engineSettings().keySet() + " are not all among the factory's settingKeys() " + keys));
        PluginConfig config = new PluginConfig(name, engineSettings());
        try (StorageEngine a = factory.create(config, new Context("node-1", directory.resolve("node-1")));
                StorageEngine b = factory.create(config, new Context("node-2", directory.resolve("node-2")))) {
            assertNotSame(a, b, "create returned the same engine twice");
            a.update(1, key("k"), current -> List.of(version("a", 1, "only in a")));
            assertEquals(List.of(version("a", 1, "only in a")), a.get(1, key("k")));
            assertEquals(List.of(), b.get(1, key("k")), "two engines made by the factory share data");
        }
    }

    /** The factory named {@code name} among the plugins {@code META-INF/services} lists, as a node finds it. */
    private static StorageEngineFactory factory(String name) {
        List<StorageEngineFactory> found = new ArrayList<>();
        List<String> names = new ArrayList<>();
        for (DynamoPlugin plugin : ServiceLoader.load(DynamoPlugin.class)) {
            for (StorageEngineFactory factory : plugin.storageEngines()) {
                names.add(factory.name());
                if (factory.name().equals(name)) {
                    found.add(factory);
                }
            }
        }
        assertEquals(1, found.size(), "storage engines named '" + name + "' among the plugins in META-INF/services: "
                + found.size() + " (names found: " + names + ")");
        return found.get(0);
    }

    /** What a node tells the factory: its id and a data directory (created here). */
    private record Context(String nodeId, Path dataDirectory) implements PluginContext {
        Context {
            try {
                Files.createDirectories(dataDirectory);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
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

    @Test
    void writesSurviveAnEngineAbandonedWithoutClose() {
        assumeTrue(persistent() && survivesCrash(), "no durability across a crash promised");
        List<Versioned> siblings = List.of(version("a", 1, "x"), version("b", 1, "y"));
        put(0, key("siblings"), siblings.toArray(new Versioned[0]));
        put(0, key("removed"), version("a", 1, "soon gone"));
        engine.update(0, key("removed"), current -> List.of());
        for (int i = 0; i < 100; i++) {
            put(1 + i % 3, key("k" + i), version("n", i + 1, "v" + i));
        }
        put(2, key("k1"), version("n", 99, "rewritten"));
        put(StorageEngine.HINTS_PARTITION, key("hint"), version("h", 1, "for node-2"));

        StorageEngine abandoned = engine;
        abandon(abandoned);
        try {
            engine = createEngine(directory);
            assertEquals(siblings, engine.get(0, key("siblings")));
            assertEquals(List.of(), engine.get(0, key("removed")), "a removal done before the crash came back");
            assertEquals(List.of(version("n", 99, "rewritten")), engine.get(2, key("k1")));
            for (int i = 2; i < 100; i++) {
                assertEquals(List.of(version("n", i + 1, "v" + i)), engine.get(1 + i % 3, key("k" + i)),
                        "a write completed before the crash is lost");
            }
            assertEquals(List.of(version("h", 1, "for node-2")), engine.get(StorageEngine.HINTS_PARTITION, key("hint")));
            put(0, key("after"), version("n", 1, "after the crash"));
            assertEquals(List.of(version("n", 1, "after the crash")), engine.get(0, key("after")));
        } finally {
            closeQuietly(abandoned);
        }
    }

    // ----- durable writes: canSync and sync (SPI 4)

    @Test
    void anEngineWithoutFilesCannotSync() {
        assumeFalse(persistent(), "a persistent engine may sync");
        assertFalse(engine.canSync(), "an engine that keeps its data in memory only cannot make writes survive an OS"
                + " crash, so canSync() must be false (a node refuses sync=always over it)");
    }

    @Test
    void syncAcceptsEveryPartitionAndChangesNothing() {
        assumeTrue(engine.canSync(), "the engine cannot sync");
        put(0, key("a"), version("n", 1, "a"));
        put(1, key("b"), version("n", 1, "dropped"));
        put(StorageEngine.HINTS_PARTITION, key("hint"), version("h", 1, "for node-2"));
        engine.dropPartition(1);
        engine.sync(0);
        engine.sync(0); // nothing written since
        engine.sync(1); // dropped
        engine.sync(5); // never written
        engine.sync(StorageEngine.HINTS_PARTITION);
        assertEquals(List.of(version("n", 1, "a")), engine.get(0, key("a")));
        assertEquals(List.of(version("h", 1, "for node-2")), engine.get(StorageEngine.HINTS_PARTITION, key("hint")));
        assertEquals(Set.of(0, StorageEngine.HINTS_PARTITION), engine.partitions());
        put(0, key("after"), version("n", 1, "after a sync"));
        assertEquals(List.of(version("n", 1, "after a sync")), engine.get(0, key("after")));
        engine.close();
        assertThrows(IllegalStateException.class, () -> engine.sync(0));
    }

    /**
     * The sync promise as far as a test can see it: an OS crash cannot be caused from here, so an
     * engine that syncs is abandoned without close after its syncs, as a crash of the process
     * leaves it, and must have what it synced. This matters most for an engine that does not
     * {@link #survivesCrash()} on its own (durable only once synced).
     */
    @Test
    void syncedWritesSurviveAnEngineAbandonedWithoutClose() {
        assumeTrue(persistent() && engine.canSync(), "not a persistent engine that syncs");
        put(0, key("removed"), version("a", 1, "soon gone"));
        engine.update(0, key("removed"), current -> List.of());
        for (int i = 0; i < 60; i++) {
            put(i % 3, key("k" + i), version("n", i + 1, "v" + i));
        }
        put(StorageEngine.HINTS_PARTITION, key("hint"), version("h", 1, "for node-2"));
        for (int partition : List.of(0, 1, 2, StorageEngine.HINTS_PARTITION)) {
            engine.sync(partition);
        }
        StorageEngine abandoned = engine;
        abandon(abandoned);
        try {
            engine = createEngine(directory);
            assertEquals(List.of(), engine.get(0, key("removed")), "a synced removal came back");
            for (int i = 0; i < 60; i++) {
                assertEquals(List.of(version("n", i + 1, "v" + i)), engine.get(i % 3, key("k" + i)),
                        "a write synced before the crash is lost");
            }
            assertEquals(List.of(version("h", 1, "for node-2")), engine.get(StorageEngine.HINTS_PARTITION, key("hint")));
        } finally {
            closeQuietly(abandoned);
        }
    }

    /** Writers of one partition each syncing after every write (group commit, where the engine has it) lose nothing. */
    @Test
    void concurrentWritersSyncingOnePartitionLoseNothing() throws Exception {
        assumeTrue(engine.canSync(), "the engine cannot sync");
        int writesEach = 50;
        runConcurrently(thread -> {
            for (int i = 0; i < writesEach; i++) {
                put(0, key(thread + "-" + i), version("w" + thread, i + 1, "v"));
                engine.sync(0);
            }
        });
        StorageEngine checked = engine;
        StorageEngine abandoned = null;
        if (persistent()) {
            abandoned = engine;
            abandon(abandoned);
            engine = createEngine(directory);
            checked = engine;
        }
        try {
            assertEquals((long) THREADS * writesEach, checked.size(0));
            for (int thread = 0; thread < THREADS; thread++) {
                for (int i = 0; i < writesEach; i++) {
                    assertEquals(List.of(version("w" + thread, i + 1, "v")), checked.get(0, key(thread + "-" + i)));
                }
            }
        } finally {
            if (abandoned != null) {
                closeQuietly(abandoned);
            }
        }
    }

    /** Releases an abandoned engine's memory once the test is done with it; what it throws no longer matters. */
    private static void closeQuietly(StorageEngine abandoned) {
        try {
            abandoned.close();
        } catch (RuntimeException ignored) {
            // the directory now belongs to the reopened engine
        }
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
