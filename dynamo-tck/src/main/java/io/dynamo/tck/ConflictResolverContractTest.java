package io.dynamo.tck;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import io.dynamo.api.Bytes;
import io.dynamo.api.Causality;
import io.dynamo.api.VectorClock;
import io.dynamo.api.Versioned;
import io.dynamo.spi.resolution.ConflictResolver;
import io.dynamo.spi.resolution.ConflictResolver.Semantics;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.constraints.IntRange;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * The contract of {@link ConflictResolver}. Subclass it once per resolver:
 *
 * <pre>{@code
 * class MyResolverTest extends ConflictResolverContractTest {
 *     protected ConflictResolver createResolver() { return new MyResolver(); }
 * }
 * }</pre>
 *
 * <p>The inputs are sets of pairwise concurrent siblings (what the core passes after dropping
 * dominated versions), built from fixed seeds. Values are UTF-8 lines; a resolver that expects
 * another value format overrides {@link #sampleValue(Random)}.
 *
 * <p>What is checked for every input: the result is non-empty; each result is an input or a new
 * version whose clock is at or after every input it replaces; every input not returned is
 * replaced that way (otherwise writing the result back would leave it a sibling); no result
 * dominates another; the same inputs in any order, or given to another instance, give the same
 * versions (compared as sets: the order of siblings in the list is free).
 *
 * <p>Property checks (jqwik, fixed seeds) run the same contract over generated sibling sets:
 * shared histories, concurrent writers, extra increments, tombstones and tied timestamps. By
 * the resolver's {@link ConflictResolver#semantics()} they also check:
 * <ul>
 *   <li>{@link Semantics#SELECT}: every result is an input; resolving a result again returns
 *       it; resolving the results of two groups together equals resolving both groups at once.</li>
 *   <li>{@link Semantics#MERGE}: siblings the resolver understands become one version under
 *       the merge of their clocks; the join is commutative (any order), associative (any
 *       grouping) and idempotent (a merged value merged again with itself or with any of its
 *       inputs is unchanged); values it cannot parse ({@link #unparseableValue(Random)}) are
 *       returned unchanged as siblings.</li>
 * </ul>
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
public abstract class ConflictResolverContractTest {
    private static final Bytes KEY = Bytes.utf8("cart:42");
    private static final long BASE_TIME = 1_700_000_000_000L;

    private ConflictResolver resolver;

    protected abstract ConflictResolver createResolver();

    /** A value for a version, drawn from {@code random}; by default one to four short UTF-8 lines. */
    protected Bytes sampleValue(Random random) {
        int lines = 1 + random.nextInt(4);
        StringBuilder text = new StringBuilder();
        for (int i = 0; i < lines; i++) {
            text.append(i == 0 ? "" : "\n").append("item-").append(random.nextInt(20));
        }
        return Bytes.utf8(text.toString());
    }

    /**
     * A value this resolver cannot parse, to check that it keeps such values as siblings (the
     * rule of {@link ConflictResolver}); empty when every byte string is a value to it (as for
     * {@code lww} or {@code set-union}). By default, for a resolver declaring
     * {@link Semantics#MERGE}, bytes that are not UTF-8 text; otherwise empty.
     */
    protected Optional<Bytes> unparseableValue(Random random) {
        if (createResolver().semantics() != Semantics.MERGE) {
            return Optional.empty();
        }
        byte[] garbage = new byte[3 + random.nextInt(8)];
        random.nextBytes(garbage);
        garbage[0] = (byte) 0xFF;
        garbage[1] = (byte) 0xFE;
        return Optional.of(Bytes.of(garbage));
    }

    @BeforeEach
    final void create() {
        resolver = createResolver();
    }

    /** The resolver under test (jqwik properties, which run without {@code @BeforeEach}, get one made on first use). */
    protected final ConflictResolver resolver() {
        if (resolver == null) {
            resolver = createResolver();
        }
        return resolver;
    }

    @Test
    void singleVersionIsReturnedAsIs() {
        Versioned only = Versioned.of(VectorClock.EMPTY.increment("a", BASE_TIME), sampleValue(new Random(1)));
        assertEquals(List.of(only), resolver().resolve(KEY, List.of(only)));
        Versioned deleted = Versioned.tombstone(VectorClock.EMPTY.increment("a", BASE_TIME));
        assertEquals(List.of(deleted), resolver().resolve(KEY, List.of(deleted)));
    }

    @Test
    void twoConcurrentValues() {
        VectorClock base = VectorClock.EMPTY.increment("a", BASE_TIME);
        Versioned left = Versioned.of(base.increment("b", BASE_TIME + 10), Bytes.utf8("apple"));
        Versioned right = Versioned.of(base.increment("c", BASE_TIME + 20), Bytes.utf8("pear"));
        checkContract(List.of(left, right));
    }

    @Test
    void twoConcurrentTombstones() {
        VectorClock base = VectorClock.EMPTY.increment("a", BASE_TIME);
        Versioned left = Versioned.tombstone(base.increment("b", BASE_TIME + 10));
        Versioned right = Versioned.tombstone(base.increment("c", BASE_TIME + 20));
        List<Versioned> result = checkContract(List.of(left, right));
        assertTrue(result.stream().allMatch(Versioned::tombstone), "two deletes resolve to deletes: " + result);
    }

    @Test
    void tombstoneConcurrentWithAValue() {
        VectorClock base = VectorClock.EMPTY.increment("a", BASE_TIME);
        checkContract(List.of(Versioned.tombstone(base.increment("b", BASE_TIME + 10)),
                Versioned.of(base.increment("c", BASE_TIME + 20), Bytes.utf8("kept?"))));
        checkContract(List.of(Versioned.tombstone(base.increment("b", BASE_TIME + 30)),
                Versioned.of(base.increment("c", BASE_TIME + 20), Bytes.utf8("kept?"))));
    }

    @Test
    void equalTimestampsStillResolveDeterministically() {
        VectorClock base = VectorClock.EMPTY.increment("a", BASE_TIME);
        Versioned left = Versioned.of(base.increment("b", BASE_TIME + 10), Bytes.utf8("same time, left"));
        Versioned right = Versioned.of(base.increment("c", BASE_TIME + 10), Bytes.utf8("same time, right"));
        checkContract(List.of(left, right));
    }

    @Test
    void emptyValues() {
        VectorClock base = VectorClock.EMPTY;
        checkContract(List.of(Versioned.of(base.increment("b", BASE_TIME), Bytes.EMPTY),
                Versioned.of(base.increment("c", BASE_TIME), Bytes.utf8("x"))));
    }

    @Test
    void manyRandomSiblingSets() {
        Random random = new Random(20070101);
        for (int round = 0; round < 300; round++) {
            checkContract(concurrentSiblings(random, 2 + random.nextInt(6)));
        }
    }

    @Test
    void inputListIsLeftAlone() {
        List<Versioned> siblings = concurrentSiblings(new Random(7), 4);
        List<Versioned> mine = new ArrayList<>(siblings);
        resolver().resolve(KEY, mine);
        assertEquals(siblings, mine, "the resolver changed its input list");
        // and an unmodifiable input must be accepted
        resolver().resolve(KEY, List.copyOf(siblings));
    }

    @Test
    void concurrentCallsAgree() throws Exception {
        Random random = new Random(99);
        List<List<Versioned>> inputs = new ArrayList<>();
        List<Set<Versioned>> expected = new ArrayList<>();
        for (int i = 0; i < 200; i++) {
            List<Versioned> siblings = concurrentSiblings(random, 2 + random.nextInt(4));
            inputs.add(siblings);
            expected.add(new HashSet<>(resolver().resolve(KEY, siblings)));
        }
        ExecutorService pool = Executors.newFixedThreadPool(4);
        try {
            List<Future<List<Set<Versioned>>>> results = new ArrayList<>();
            for (int t = 0; t < 4; t++) {
                results.add(pool.submit(() -> {
                    List<Set<Versioned>> mine = new ArrayList<>();
                    for (List<Versioned> input : inputs) {
                        mine.add(new HashSet<>(resolver().resolve(KEY, input)));
                    }
                    return mine;
                }));
            }
            for (Future<List<Set<Versioned>>> result : results) {
                assertEquals(expected, result.get(30, TimeUnit.SECONDS));
            }
        } finally {
            pool.shutdownNow();
        }
    }

    // ----- properties over generated sibling sets

    @Property(tries = 200, seed = "20070101")
    void generatedSiblingSetsKeepTheContract(@ForAll("siblingSets") List<Versioned> siblings) {
        checkContract(siblings);
    }

    @Property(tries = 200, seed = "20070102")
    void aSelectingResolverReturnsOnlyItsInputs(@ForAll("siblingSets") List<Versioned> siblings) {
        if (!declares(Semantics.SELECT)) {
            return;
        }
        List<Versioned> result = resolver().resolve(KEY, siblings);
        for (Versioned out : result) {
            assertTrue(siblings.contains(out), "a resolver declaring SELECT returned " + out
                    + ", which is not one of its inputs " + siblings);
        }
    }

    @Property(tries = 200, seed = "20070103")
    void resolvingAResultAgainChangesNothing(@ForAll("siblingSets") List<Versioned> siblings) {
        if (declares(Semantics.UNDECLARED)) {
            return;
        }
        List<Versioned> once = resolver().resolve(KEY, siblings);
        if (once.size() < 2) {
            return; // the core never resolves a single version
        }
        assertEquals(new HashSet<>(once), new HashSet<>(resolver().resolve(KEY, once)),
                "resolving the result " + once + " of " + siblings + " again changed it (not idempotent)");
    }

    @Property(tries = 200, seed = "20070104")
    void groupingDoesNotMatter(@ForAll("siblingSets") List<Versioned> siblings, @ForAll @IntRange(min = 1, max = 5) int cut) {
        if (declares(Semantics.UNDECLARED)) {
            return;
        }
        int split = Math.min(cut, siblings.size() - 1);
        List<Versioned> left = resolveGroup(siblings.subList(0, split));
        List<Versioned> right = resolveGroup(siblings.subList(split, siblings.size()));
        List<Versioned> together = new ArrayList<>(left);
        together.addAll(right);
        assertEquals(new HashSet<>(resolver().resolve(KEY, siblings)), new HashSet<>(resolveGroup(together)),
                "resolving " + siblings.subList(0, split) + " and " + siblings.subList(split, siblings.size())
                        + " apart, then their results together, differs from resolving all at once (not associative)");
    }

    @Property(tries = 200, seed = "20070105")
    void aMergeIsOneVersionUnderTheMergedClock(@ForAll("siblingSets") List<Versioned> siblings) {
        if (!declares(Semantics.MERGE)) {
            return;
        }
        List<Versioned> result = resolver().resolve(KEY, siblings);
        assertEquals(1, result.size(), "a resolver declaring MERGE returned " + result.size()
                + " versions for values it understands: " + result + " from " + siblings);
        assertEquals(mergedClock(siblings), result.get(0).clock(), "the merge of " + siblings + " is not under the merge of their clocks");
    }

    @Property(tries = 200, seed = "20070106")
    void mergingAgainWithAnyInputCountsNothingTwice(@ForAll("siblingSets") List<Versioned> siblings) {
        if (!declares(Semantics.MERGE)) {
            return;
        }
        List<Versioned> result = resolver().resolve(KEY, siblings);
        if (result.size() != 1 || result.get(0).tombstone()) {
            return; // aMergeIsOneVersionUnderTheMergedClock reports the former
        }
        Versioned merged = result.get(0);
        List<Versioned> again = new ArrayList<>();
        again.add(merged);
        siblings.stream().filter(v -> !v.tombstone()).forEach(again::add);
        for (Versioned copied : again) {
            // the same value brought back by a stale replica under another writer: concurrent
            // with the merge and older than every input, so a time-based join keeps the merge too
            Versioned copy = Versioned.of(VectorClock.EMPTY.increment("stale-replica", BASE_TIME - 1), copied.value());
            List<Versioned> remerged = resolver().resolve(KEY, List.of(merged, copy));
            assertEquals(1, remerged.size(), "merging " + merged + " with " + copy + " gave " + remerged);
            assertEquals(merged.value(), remerged.get(0).value(), "merging the merge " + merged + " of " + siblings
                    + " again with a copy of " + (copied == merged ? "itself" : "its input " + copied)
                    + " changed the value: the merge is not idempotent, read repair would count it twice");
        }
    }

    @Property(tries = 200, seed = "20070107")
    void valuesItCannotParseAreKeptAsSiblings(@ForAll("siblingSets") List<Versioned> siblings, @ForAll long seed) {
        Random random = new Random(seed);
        if (unparseableValue(random).isEmpty()) {
            return; // every value is one this resolver parses
        }
        List<Versioned> inputs = new ArrayList<>(siblings);
        List<Versioned> odd = new ArrayList<>();
        int count = 1 + random.nextInt(2);
        for (int i = 0; i < count; i++) {
            Versioned garbage = Versioned.of(VectorClock.EMPTY.increment("odd-" + i, BASE_TIME + random.nextInt(50)),
                    unparseableValue(random).orElseThrow());
            odd.add(garbage);
            inputs.add(random.nextInt(inputs.size() + 1), garbage);
        }
        List<Versioned> result = checkContract(inputs);
        for (Versioned garbage : odd) {
            assertTrue(result.contains(garbage), "the value " + garbage + ", which the resolver cannot parse, was dropped"
                    + " or changed; the SPI says to keep it as a sibling. Result " + result + " for " + inputs);
        }
    }

    /** Sets of 2 to 6 pairwise concurrent siblings; see the class comment. */
    @Provide
    Arbitrary<List<Versioned>> siblingSets() {
        Arbitrary<List<Integer>> history = Arbitraries.integers().between(0, 2).list().ofMaxSize(4);
        Arbitrary<List<Long>> stamps = Arbitraries.longs().between(0, 40).list().ofSize(6);
        Arbitrary<List<Integer>> extras = Arbitraries.integers().between(-1, 2).list().ofSize(6);
        Arbitrary<List<Boolean>> tombstones = Arbitraries.integers().between(0, 5).map(i -> i == 0).list().ofSize(6);
        Arbitrary<List<Bytes>> values = Arbitraries.randomValue(this::sampleValue).list().ofSize(6);
        return Combinators.combine(Arbitraries.integers().between(2, 6), history, stamps, extras, tombstones, values)
                .as((count, shared, times, extra, deleted, value) -> {
                    VectorClock base = VectorClock.EMPTY;
                    for (int node : shared) {
                        base = base.increment("node-" + node, BASE_TIME + base.size());
                    }
                    List<Versioned> siblings = new ArrayList<>(count);
                    for (int i = 0; i < count; i++) {
                        // a writer of its own makes each sibling concurrent with every other
                        VectorClock clock = base.increment("writer-" + i, BASE_TIME + 1_000 + times.get(i));
                        if (extra.get(i) >= 0) {
                            clock = clock.increment("node-" + extra.get(i), BASE_TIME + 1_000 + times.get(i));
                        }
                        siblings.add(deleted.get(i) ? Versioned.tombstone(clock) : Versioned.of(clock, value.get(i)));
                    }
                    return siblings;
                });
    }

    private List<Versioned> resolveGroup(List<Versioned> group) {
        return group.size() == 1 ? List.copyOf(group) : resolver().resolve(KEY, group);
    }

    /** Properties of a semantics the resolver does not declare pass without checking (jqwik cannot skip them). */
    private boolean declares(Semantics semantics) {
        return resolver().semantics() == semantics;
    }

    private static VectorClock mergedClock(List<Versioned> versions) {
        VectorClock merged = VectorClock.EMPTY;
        for (Versioned v : versions) {
            merged = merged.merge(v.clock());
        }
        return merged;
    }

    /**
     * Resolves {@code inputs}, checks every point of the contract (see the class comment) and
     * returns the result. Subclasses use it for inputs of their own.
     */
    protected final List<Versioned> checkContract(List<Versioned> inputs) {
        List<Versioned> result = resolver().resolve(KEY, inputs);
        assertNotNull(result, "resolve returned null for " + inputs);
        assertFalse(result.isEmpty(), "resolve returned nothing for " + inputs);
        Set<Versioned> inputSet = new HashSet<>(inputs);

        List<Versioned> created = new ArrayList<>();
        for (Versioned out : result) {
            assertNotNull(out, "null version in the result " + result);
            if (!inputSet.contains(out)) {
                created.add(out);
            }
        }
        for (Versioned in : inputs) {
            if (result.contains(in)) {
                continue;
            }
            boolean replaced = created.stream().anyMatch(out -> atOrAfter(out.clock(), in.clock()));
            assertTrue(replaced, "input " + in + " is neither returned nor replaced by a version whose clock is at or after"
                    + " its own; result " + result + " for inputs " + inputs);
        }
        for (Versioned out : created) {
            boolean replacesSomething = inputs.stream().anyMatch(in -> !result.contains(in) && atOrAfter(out.clock(), in.clock()));
            assertTrue(replacesSomething, "new version " + out + " replaces no input of " + inputs);
        }
        for (Versioned a : result) {
            for (Versioned b : result) {
                if (a != b && a.clock().compare(b.clock()) == Causality.AFTER) {
                    fail("result " + a + " dominates result " + b + ": the result is not a set of siblings: " + result);
                }
            }
        }

        Set<Versioned> expected = new HashSet<>(result);
        Random shuffler = new Random(inputs.hashCode());
        for (int i = 0; i < 4; i++) {
            List<Versioned> shuffled = new ArrayList<>(inputs);
            Collections.shuffle(shuffled, shuffler);
            assertEquals(expected, new HashSet<>(resolver().resolve(KEY, shuffled)),
                    "the result depends on the order of the inputs " + shuffled);
        }
        assertEquals(expected, new HashSet<>(createResolver().resolve(KEY, inputs)),
                "another instance resolves " + inputs + " differently");
        return result;
    }

    /**
     * {@code count} pairwise concurrent siblings: a shared history, then each sibling written
     * by a different coordinator, sometimes a tombstone.
     */
    protected final List<Versioned> concurrentSiblings(Random random, int count) {
        VectorClock base = VectorClock.EMPTY;
        int history = random.nextInt(4);
        for (int i = 0; i < history; i++) {
            base = base.increment("node-" + random.nextInt(3), BASE_TIME + random.nextInt(1_000));
        }
        List<Versioned> siblings = new ArrayList<>(count);
        for (int i = 0; i < count; i++) {
            VectorClock clock = base.increment("writer-" + i, BASE_TIME + 1_000 + random.nextInt(50));
            siblings.add(random.nextInt(6) == 0 ? Versioned.tombstone(clock) : Versioned.of(clock, sampleValue(random)));
        }
        return siblings;
    }

    private static boolean atOrAfter(VectorClock a, VectorClock b) {
        Causality c = a.compare(b);
        return c == Causality.AFTER || c == Causality.EQUAL;
    }

    /** For subclasses asserting on text values. */
    protected static String text(Versioned version) {
        return new String(version.value().toByteArray(), StandardCharsets.UTF_8);
    }
}
