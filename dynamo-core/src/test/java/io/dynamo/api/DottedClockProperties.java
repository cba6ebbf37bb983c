package io.dynamo.api;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.dynamo.api.codec.BytesOut;
import io.dynamo.api.codec.MalformedDataException;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.Example;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.PropertyDefaults;
import net.jqwik.api.Provide;

/**
 * Clocks with dots against their model: a set of events (node, counter). Compare must be set
 * inclusion and merge set union, whatever the gaps; encoding must keep every event.
 */
@PropertyDefaults(tries = 400)
class DottedClockProperties {
    private static final List<String> NODES = List.of("a", "b", "c");
    private static final int MAX = 6;

    /** A clock and the events it must stand for. */
    record Modelled(VectorClock clock, Set<VectorClock.Dot> events) {}

    @Provide
    Arbitrary<Modelled> clocks() {
        Arbitrary<VectorClock.Dot> event = Combinators.combine(Arbitraries.of(NODES), Arbitraries.longs().between(1, MAX),
                Arbitraries.longs().between(0, 1_000)).as(VectorClock.Dot::new);
        Arbitrary<Set<VectorClock.Dot>> sets = event.set().ofMaxSize(10);
        return Combinators.combine(sets, event, Arbitraries.of(true, false)).as((events, own, dotted) -> {
            VectorClock clock = VectorClock.EMPTY;
            Set<VectorClock.Dot> model = new HashSet<>();
            for (VectorClock.Dot e : events) {
                clock = clock.merge(VectorClock.EMPTY.withDot(e.nodeId(), e.counter(), e.timestamp()));
                model.add(key(e));
            }
            if (dotted && !clock.includes(own.nodeId(), own.counter())) {
                clock = clock.withDot(own.nodeId(), own.counter(), own.timestamp());
                model.add(key(own));
            }
            return new Modelled(clock, model);
        });
    }

    @Property(seed = "42")
    void aClockHoldsExactlyItsEvents(@ForAll("clocks") Modelled m) {
        assertEquals(m.events(), eventsOf(m.clock()));
        assertEquals(m.events(), eventsOf(m.clock().history()), "history keeps every event");
        assertTrue(m.clock().history().dot().isEmpty());
    }

    @Property(seed = "42")
    void compareIsSetInclusion(@ForAll("clocks") Modelled a, @ForAll("clocks") Modelled b) {
        boolean aHasB = a.events().containsAll(b.events());
        boolean bHasA = b.events().containsAll(a.events());
        Causality expected = aHasB && bHasA ? Causality.EQUAL : aHasB ? Causality.AFTER
                : bHasA ? Causality.BEFORE : Causality.CONCURRENT;
        assertEquals(expected, a.clock().compare(b.clock()));
    }

    @Property(seed = "42")
    void mergeIsSetUnion(@ForAll("clocks") Modelled a, @ForAll("clocks") Modelled b) {
        Set<VectorClock.Dot> union = new HashSet<>(a.events());
        union.addAll(b.events());
        VectorClock merged = a.clock().merge(b.clock());
        assertEquals(union, eventsOf(merged));
        assertEquals(merged, b.clock().merge(a.clock()), "merge is commutative");
        assertTrue(merged.dot().isEmpty());
    }

    @Property(seed = "42")
    void encodingKeepsEveryEvent(@ForAll("clocks") Modelled m) {
        VectorClock decoded = VectorClock.fromBytes(m.clock().toBytes());
        assertEquals(m.clock(), decoded);
        assertEquals(m.clock().isPlain(), decoded.isPlain());
        assertEquals(Causality.EQUAL, decoded.compare(m.clock()));
    }

    /** Hostile bytes after the tag: refused as malformed, never another exception, never a bad clock. */
    @Property(seed = "42", tries = 2000)
    void anyBytesAfterTheTagAreReadOrRefused(@ForAll byte[] rest) {
        BytesOut out = new BytesOut(rest.length + 2);
        out.writeVarInt(VectorClock.MAX_ENTRIES + 1).writeRaw(rest);
        try {
            VectorClock clock = VectorClock.fromBytes(out.toByteArray());
            assertEquals(clock, VectorClock.fromBytes(clock.toBytes()), "what is read encodes to itself");
        } catch (MalformedDataException expected) {
            // refused
        }
    }

    @Example
    void twoWritesFromOneContextThroughOneNodeAreConcurrent() {
        VectorClock context = VectorClock.of(new VectorClock.Entry("a", 3, 1));
        VectorClock first = context.withDot("a", 4, 2);
        VectorClock second = context.withDot("a", 5, 3);
        assertEquals(Causality.CONCURRENT, first.compare(second));
        // a reader that saw only the second: its context must not cover the first
        VectorClock seen = second.history();
        assertFalse(seen.includes("a", 4));
        assertEquals(Causality.CONCURRENT, seen.compare(first));
        assertEquals(Causality.AFTER, first.merge(second).compare(first), "the merge of both covers both");
        assertEquals(VectorClock.of(new VectorClock.Entry("a", 5, 3)), first.merge(second));
    }

    @Example
    void plainClocksEncodeAsBefore() {
        VectorClock plain = VectorClock.of(new VectorClock.Entry("a", 2, 7));
        BytesOut out = new BytesOut(16);
        out.writeVarInt(1).writeString("a").writeVarLong(2).writeVarLong(7);
        assertEquals(List.of(out.toByteArray()).get(0).length, plain.toBytes().length);
        assertTrue(java.util.Arrays.equals(out.toByteArray(), plain.toBytes()));
    }

    @Example
    void malformedDottedClocksAreRefused() {
        VectorClock base = VectorClock.of(new VectorClock.Entry("a", 2, 7));
        byte[] good = base.withDot("a", 3, 8).toBytes();
        assertEquals(Causality.EQUAL, VectorClock.fromBytes(good).compare(base.withDot("a", 3, 8)));
        // tag, 1 entry a:2, no extras, a dot a:2 named by its id — already in the past
        assertThrows(MalformedDataException.class, () -> VectorClock.fromBytes(dotted(out -> out.writeVarInt(1)
                .writeVarInt(0).writeString("a").writeVarLong(2).writeVarLong(0))));
        // a dot 0 above the entry it names
        assertThrows(MalformedDataException.class, () -> VectorClock.fromBytes(dotted(out -> out.writeVarInt(1)
                .writeVarInt(1).writeVarLong(0).writeVarLong(0))));
        // a dot naming an entry that does not exist
        assertThrows(MalformedDataException.class, () -> VectorClock.fromBytes(dotted(out -> out.writeVarInt(1)
                .writeVarInt(2).writeVarLong(1).writeVarLong(0))));
        // an extra dot a:3 that follows the entry a:2 (it would be folded)
        assertThrows(MalformedDataException.class, () -> VectorClock.fromBytes(dotted(out -> out.writeVarInt(2)
                .writeString("a").writeVarLong(3).writeVarLong(0))));
        // no dots at all in the dotted form
        assertThrows(MalformedDataException.class, () -> VectorClock.fromBytes(dotted(out -> out.writeVarInt(0))));
        // a tag where the entries start: never read as a nested clock
        BytesOut nested = new BytesOut(16);
        nested.writeVarInt(VectorClock.MAX_ENTRIES + 1).writeVarInt(VectorClock.MAX_ENTRIES + 1);
        assertThrows(MalformedDataException.class, () -> VectorClock.fromBytes(nested.toByteArray()));
    }

    @Example
    void aDottedClockCannotBeIncremented() {
        VectorClock dotted = VectorClock.EMPTY.withDot("a", 1, 0);
        assertThrows(InvalidArgumentException.class, () -> dotted.increment("a", 1));
        assertThrows(InvalidArgumentException.class, () -> dotted.withDot("b", 1, 0));
        assertThrows(InvalidArgumentException.class, () -> VectorClock.of(new VectorClock.Entry("a", 2, 0)).withDot("a", 1, 0));
    }

    private static byte[] dotted(java.util.function.Consumer<BytesOut> rest) {
        BytesOut out = new BytesOut(32);
        out.writeVarInt(VectorClock.MAX_ENTRIES + 1).writeVarInt(1).writeString("a").writeVarLong(2).writeVarLong(7);
        rest.accept(out);
        return out.toByteArray();
    }

    private static Set<VectorClock.Dot> eventsOf(VectorClock clock) {
        Set<VectorClock.Dot> events = new HashSet<>();
        for (String node : NODES) {
            for (long c = 1; c <= MAX + 1; c++) {
                if (clock.includes(node, c)) {
                    events.add(new VectorClock.Dot(node, c, 0));
                }
            }
        }
        return events;
    }

    private static VectorClock.Dot key(VectorClock.Dot e) {
        return new VectorClock.Dot(e.nodeId(), e.counter(), 0);
    }
}
