package io.dynamo.resolver.crdt;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

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
import net.jqwik.api.Assume;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.constraints.IntRange;

/**
 * The OR-set's laws over states that replicas can reach: four replicas (each its own actor) add
 * and remove elements of a small pool, so that they collide, and merge each other's states.
 */
class OrSetProperties {
    static final int REPLICAS = 4;
    static final int ELEMENTS = 6;

    /** One step of a history: replica {@code replica} adds, removes, or merges in {@code other}'s state. */
    record Op(int replica, int kind, int element, int other) {}

    @Provide
    Arbitrary<List<Op>> histories() {
        return Combinators.combine(Arbitraries.integers().between(0, REPLICAS - 1), Arbitraries.integers().between(0, 2),
                Arbitraries.integers().between(0, ELEMENTS - 1), Arbitraries.integers().between(0, REPLICAS - 1))
                .as(Op::new).list().ofMaxSize(60);
    }

    static Bytes element(int i) {
        return Bytes.utf8("e" + i);
    }

    static String actor(int replica) {
        return "replica-" + replica;
    }

    /** Each replica's state after {@code history}, starting from {@code start}. */
    static OrSet[] run(OrSet[] start, List<Op> history) {
        OrSet[] states = start.clone();
        for (Op op : history) {
            int r = op.replica();
            states[r] = switch (op.kind()) {
                case 0 -> states[r].add(element(op.element()), actor(r));
                case 1 -> states[r].remove(element(op.element()));
                default -> states[r].merge(states[op.other()]);
            };
        }
        return states;
    }

    static OrSet[] run(List<Op> history) {
        OrSet[] empty = new OrSet[REPLICAS];
        Arrays.fill(empty, OrSet.empty());
        return run(empty, history);
    }

    @Property(seed = "2012")
    void mergeIsCommutative(@ForAll("histories") List<Op> history, @ForAll @IntRange(max = REPLICAS - 1) int i,
            @ForAll @IntRange(max = REPLICAS - 1) int j) {
        OrSet[] s = run(history);
        assertEquals(s[i].merge(s[j]), s[j].merge(s[i]));
    }

    @Property(seed = "2012")
    void mergeIsAssociative(@ForAll("histories") List<Op> history, @ForAll @IntRange(max = REPLICAS - 1) int i,
            @ForAll @IntRange(max = REPLICAS - 1) int j, @ForAll @IntRange(max = REPLICAS - 1) int k) {
        OrSet[] s = run(history);
        assertEquals(s[i].merge(s[j]).merge(s[k]), s[i].merge(s[j].merge(s[k])));
    }

    @Property(seed = "2012")
    void mergeIsIdempotent(@ForAll("histories") List<Op> history, @ForAll @IntRange(max = REPLICAS - 1) int i,
            @ForAll @IntRange(max = REPLICAS - 1) int j) {
        OrSet[] s = run(history);
        assertEquals(s[i], s[i].merge(s[i]));
        OrSet both = s[i].merge(s[j]);
        assertEquals(both, both.merge(s[j]));
        assertEquals(both, both.merge(s[i]));
    }

    /**
     * An element removed by a replica that had seen every add of it never reappears, whatever the
     * other replicas do afterwards as long as none adds it again, and in whatever order their
     * states are merged in.
     */
    @Property(seed = "2012")
    void aRemovalAfterObservingNeverResurrects(@ForAll("histories") List<Op> before, @ForAll("histories") List<Op> after,
            @ForAll @IntRange(max = ELEMENTS - 1) int target, @ForAll Random random) {
        OrSet[] states = run(before);
        OrSet observer = OrSet.mergeAll(List.of(states));
        Bytes e = element(target);
        Assume.that(observer.contains(e));
        OrSet removed = observer.remove(e);
        List<Op> noReAdd = after.stream().filter(op -> !(op.kind() == 0 && op.element() == target)).toList();
        OrSet[] later = run(states, noReAdd);
        List<OrSet> all = new ArrayList<>(List.of(later));
        all.add(removed);
        for (OrSet x : later) {
            assertFalse(removed.merge(x).contains(e), "merging " + x + " into " + removed + " brought " + e + " back");
            assertFalse(x.merge(removed).contains(e));
        }
        java.util.Collections.shuffle(all, random);
        assertFalse(OrSet.mergeAll(all).contains(e), "the merge of " + all + " holds " + e);
    }

    /** A remove concurrent with an add of the same element: the add wins, whichever side merges. */
    @Property(seed = "2012")
    void aConcurrentAddWinsOverARemove(@ForAll("histories") List<Op> history, @ForAll @IntRange(max = REPLICAS - 1) int i,
            @ForAll @IntRange(max = REPLICAS - 1) int j, @ForAll @IntRange(max = ELEMENTS - 1) int target) {
        Assume.that(i != j);
        OrSet[] s = run(history);
        Bytes e = element(target);
        OrSet removing = s[i].remove(e);
        OrSet adding = s[j].add(e, actor(j));
        assertTrue(removing.merge(adding).contains(e));
        assertTrue(adding.merge(removing).contains(e));
    }

    /** Elements are exactly those some replica added and no replica removed after seeing that add. */
    @Property(seed = "2012")
    void aSequentialHistoryIsASet(@ForAll("histories") List<Op> history) {
        OrSet set = OrSet.empty();
        java.util.TreeSet<Bytes> expected = new java.util.TreeSet<>();
        for (Op op : history) {
            if (op.kind() == 0) {
                set = set.add(element(op.element()), actor(op.replica()));
                expected.add(element(op.element()));
            } else if (op.kind() == 1) {
                set = set.remove(element(op.element()));
                expected.remove(element(op.element()));
            }
        }
        assertEquals(expected, set.elements());
    }

    @Property(seed = "2012")
    void encodingRoundTrips(@ForAll("histories") List<Op> history, @ForAll @IntRange(max = REPLICAS - 1) int i) {
        OrSet state = run(history)[i];
        Bytes encoded = state.encode();
        assertEquals(OrSet.FORMAT_V1, encoded.byteAt(0) & 0xFF);
        assertEquals(state, OrSet.decode(encoded));
        assertEquals(encoded, OrSet.decode(encoded).encode());
    }

    /** Random bytes are refused with MalformedDataException, or are the one encoding of a state. */
    @Property(seed = "2012", tries = 2000)
    void arbitraryBytesAreRefusedOrCanonical(@ForAll byte[] bytes, @ForAll boolean withFormat) {
        if (withFormat && bytes.length > 0) {
            bytes[0] = (byte) OrSet.FORMAT_V1;
        }
        Bytes value = Bytes.of(bytes);
        OrSet decoded;
        try {
            decoded = OrSet.decode(value);
        } catch (MalformedDataException e) {
            return;
        }
        assertArrayEquals(bytes, decoded.encode().toByteArray());
    }

    /** A damaged valid encoding: one byte changed is refused or canonical; every truncation is refused. */
    @Property(seed = "2012")
    void damagedEncodingsAreRefusedOrCanonical(@ForAll("histories") List<Op> history, @ForAll @IntRange(max = REPLICAS - 1) int i,
            @ForAll int position, @ForAll byte replacement) {
        byte[] bytes = run(history)[i].encode().toByteArray();
        for (int cut = 0; cut < bytes.length; cut++) {
            Bytes prefix = Bytes.of(Arrays.copyOf(bytes, cut));
            assertThrows(MalformedDataException.class, () -> OrSet.decode(prefix), "a truncation to " + prefix.length() + " bytes");
        }
        byte[] damaged = bytes.clone();
        damaged[Math.floorMod(position, damaged.length)] = replacement;
        try {
            assertArrayEquals(damaged, OrSet.decode(Bytes.of(damaged)).encode().toByteArray());
        } catch (MalformedDataException expected) {
            // refused
        }
        byte[] longer = Arrays.copyOf(bytes, bytes.length + 1);
        assertThrows(MalformedDataException.class, () -> OrSet.decode(Bytes.of(longer)), "a trailing byte");
    }

    /** The resolver's one merged version holds the merge of the siblings' states, under the merge of their clocks. */
    @Property(seed = "2012")
    void theResolverMergesSiblingsAsTheClientDoes(@ForAll("histories") List<Op> history) {
        OrSet[] s = run(history);
        ConflictResolver resolver = new OrSetResolverFactory().create(PluginConfig.empty("or-set"), null);
        VectorClock base = VectorClock.EMPTY.increment("node-1", 1_000);
        List<Versioned> siblings = new ArrayList<>();
        VectorClock merged = VectorClock.EMPTY;
        for (int r = 0; r < REPLICAS; r++) {
            Versioned v = Versioned.of(base.increment("node-" + (r + 2), 2_000), s[r].encode());
            siblings.add(v);
            merged = merged.merge(v.clock());
        }
        List<Versioned> result = resolver.resolve(Bytes.utf8("set"), siblings);
        assertEquals(1, result.size(), result.toString());
        assertEquals(merged, result.get(0).clock());
        assertEquals(OrSet.mergeAll(List.of(s)), OrSet.decode(result.get(0).value()));
    }
}
