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
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashSet;
import java.util.List;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
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

    @BeforeEach
    final void create() {
        resolver = createResolver();
    }

    protected final ConflictResolver resolver() {
        return resolver;
    }

    @Test
    void singleVersionIsReturnedAsIs() {
        Versioned only = Versioned.of(VectorClock.EMPTY.increment("a", BASE_TIME), sampleValue(new Random(1)));
        assertEquals(List.of(only), resolver.resolve(KEY, List.of(only)));
        Versioned deleted = Versioned.tombstone(VectorClock.EMPTY.increment("a", BASE_TIME));
        assertEquals(List.of(deleted), resolver.resolve(KEY, List.of(deleted)));
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
        resolver.resolve(KEY, mine);
        assertEquals(siblings, mine, "the resolver changed its input list");
        // and an unmodifiable input must be accepted
        resolver.resolve(KEY, List.copyOf(siblings));
    }

    @Test
    void concurrentCallsAgree() throws Exception {
        Random random = new Random(99);
        List<List<Versioned>> inputs = new ArrayList<>();
        List<Set<Versioned>> expected = new ArrayList<>();
        for (int i = 0; i < 200; i++) {
            List<Versioned> siblings = concurrentSiblings(random, 2 + random.nextInt(4));
            inputs.add(siblings);
            expected.add(new HashSet<>(resolver.resolve(KEY, siblings)));
        }
        ExecutorService pool = Executors.newFixedThreadPool(4);
        try {
            List<Future<List<Set<Versioned>>>> results = new ArrayList<>();
            for (int t = 0; t < 4; t++) {
                results.add(pool.submit(() -> {
                    List<Set<Versioned>> mine = new ArrayList<>();
                    for (List<Versioned> input : inputs) {
                        mine.add(new HashSet<>(resolver.resolve(KEY, input)));
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

    /**
     * Resolves {@code inputs}, checks every point of the contract (see the class comment) and
     * returns the result. Subclasses use it for inputs of their own.
     */
    protected final List<Versioned> checkContract(List<Versioned> inputs) {
        List<Versioned> result = resolver.resolve(KEY, inputs);
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
            assertEquals(expected, new HashSet<>(resolver.resolve(KEY, shuffled)),
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
