package io.dynamo.resolver.crdt;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.dynamo.api.Bytes;
import io.dynamo.api.VectorClock;
import io.dynamo.api.Versioned;
import io.dynamo.api.codec.MalformedDataException;
import io.dynamo.spi.PluginConfig;
import io.dynamo.spi.resolution.ConflictResolver;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.constraints.IntRange;

/** The PN-counter's laws over states replicas reach by incrementing, decrementing and merging. */
class PnCounterProperties {
    static final int REPLICAS = 4;

    /** One step: replica {@code replica} increments or decrements by {@code amount}, or merges in {@code other}'s state. */
    record Op(int replica, int kind, long amount, int other) {}

    /** Each replica's state after a history, and the sum of its increments minus its decrements. */
    record Outcome(PnCounter[] states, long expected) {}

    @Provide
    Arbitrary<List<Op>> histories() {
        return Combinators.combine(Arbitraries.integers().between(0, REPLICAS - 1), Arbitraries.integers().between(0, 2),
                Arbitraries.longs().between(0, 1_000_000), Arbitraries.integers().between(0, REPLICAS - 1))
                .as(Op::new).list().ofMaxSize(60);
    }

    static Outcome run(List<Op> history) {
        PnCounter[] states = new PnCounter[REPLICAS];
        Arrays.fill(states, PnCounter.zero());
        long expected = 0;
        for (Op op : history) {
            int r = op.replica();
            String actor = "replica-" + r;
            switch (op.kind()) {
                case 0 -> {
                    states[r] = states[r].increment(actor, op.amount());
                    expected += op.amount();
                }
                case 1 -> {
                    states[r] = states[r].decrement(actor, op.amount());
                    expected -= op.amount();
                }
                default -> states[r] = states[r].merge(states[op.other()]);
            }
        }
        return new Outcome(states, expected);
    }

    @Property(seed = "2008")
    void mergeIsCommutativeAssociativeAndIdempotent(@ForAll("histories") List<Op> history,
            @ForAll @IntRange(max = REPLICAS - 1) int i, @ForAll @IntRange(max = REPLICAS - 1) int j,
            @ForAll @IntRange(max = REPLICAS - 1) int k) {
        PnCounter[] s = run(history).states();
        assertEquals(s[i].merge(s[j]), s[j].merge(s[i]));
        assertEquals(s[i].merge(s[j]).merge(s[k]), s[i].merge(s[j].merge(s[k])));
        assertEquals(s[i], s[i].merge(s[i]));
        assertEquals(s[i].merge(s[j]), s[i].merge(s[j]).merge(s[j]));
    }

    /** Every replica's final state merged in any order and grouping counts every change exactly once. */
    @Property(seed = "2008")
    void valueIsIncrementsMinusDecrementsInAnyMergeOrder(@ForAll("histories") List<Op> history, @ForAll Random random) {
        Outcome outcome = run(history);
        List<PnCounter> pool = new ArrayList<>(List.of(outcome.states()));
        // stale states too: merging an older state of a replica changes nothing
        pool.add(PnCounter.zero());
        pool.add(outcome.states()[0]);
        while (pool.size() > 1) {
            PnCounter a = pool.remove(random.nextInt(pool.size()));
            PnCounter b = pool.remove(random.nextInt(pool.size()));
            pool.add(a.merge(b));
        }
        assertEquals(outcome.expected(), pool.get(0).value());
    }

    @Property(seed = "2008")
    void encodingRoundTrips(@ForAll("histories") List<Op> history, @ForAll @IntRange(max = REPLICAS - 1) int i) {
        PnCounter state = run(history).states()[i];
        Bytes encoded = state.encode();
        assertEquals(PnCounter.FORMAT_V1, encoded.byteAt(0) & 0xFF);
        assertEquals(state, PnCounter.decode(encoded));
        assertEquals(state.value(), PnCounter.decode(encoded).value());
    }

    @Property(seed = "2008", tries = 2000)
    void arbitraryBytesAreRefusedOrCanonical(@ForAll byte[] bytes, @ForAll boolean withFormat) {
        if (withFormat && bytes.length > 0) {
            bytes[0] = (byte) PnCounter.FORMAT_V1;
        }
        PnCounter decoded;
        try {
            decoded = PnCounter.decode(Bytes.of(bytes));
        } catch (MalformedDataException e) {
            return;
        }
        assertArrayEquals(bytes, decoded.encode().toByteArray());
    }

    @Property(seed = "2008")
    void damagedEncodingsAreRefusedOrCanonical(@ForAll("histories") List<Op> history, @ForAll @IntRange(max = REPLICAS - 1) int i,
            @ForAll int position, @ForAll byte replacement) {
        byte[] bytes = run(history).states()[i].encode().toByteArray();
        for (int cut = 0; cut < bytes.length; cut++) {
            Bytes prefix = Bytes.of(Arrays.copyOf(bytes, cut));
            assertThrows(MalformedDataException.class, () -> PnCounter.decode(prefix), "a truncation to " + prefix.length() + " bytes");
        }
        byte[] damaged = bytes.clone();
        damaged[Math.floorMod(position, damaged.length)] = replacement;
        try {
            assertArrayEquals(damaged, PnCounter.decode(Bytes.of(damaged)).encode().toByteArray());
        } catch (MalformedDataException expected) {
            // refused
        }
        byte[] longer = Arrays.copyOf(bytes, bytes.length + 1);
        assertThrows(MalformedDataException.class, () -> PnCounter.decode(Bytes.of(longer)), "a trailing byte");
    }

    @Property(seed = "2008")
    void theResolverMergesSiblingsAsTheClientDoes(@ForAll("histories") List<Op> history) {
        Outcome outcome = run(history);
        ConflictResolver resolver = new PnCounterResolverFactory().create(PluginConfig.empty("pn-counter"), null);
        List<Versioned> siblings = new ArrayList<>();
        for (int r = 0; r < REPLICAS; r++) {
            siblings.add(Versioned.of(VectorClock.EMPTY.increment("node-" + r, 2_000), outcome.states()[r].encode()));
        }
        List<Versioned> result = resolver.resolve(Bytes.utf8("counter"), siblings);
        assertEquals(1, result.size(), result.toString());
        assertEquals(outcome.expected(), PnCounter.decode(result.get(0).value()).value());
    }
}
