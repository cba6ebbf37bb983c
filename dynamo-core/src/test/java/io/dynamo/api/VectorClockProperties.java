package io.dynamo.api;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.dynamo.api.codec.BytesOut;
import io.dynamo.api.codec.MalformedDataException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.PropertyDefaults;
import net.jqwik.api.Provide;
import net.jqwik.api.constraints.IntRange;

/** Vector clocks over a handful of nodes, so that clocks share entries and every relation occurs. */
@PropertyDefaults(tries = 300)
class VectorClockProperties {
    /** With ids that tie on their first 8 chars, and chars past Latin-1, so merge and compare fall back to the strings. */
    private static final List<String> NODES = List.of("a", "b", "c", "d", "node-5", "é", "node-0001-a", "node-0001-b",
            "\u0300x", "\u0400a", "\u00ffz");

    @Provide
    Arbitrary<VectorClock> clocks() {
        Arbitrary<VectorClock.Entry> entry = Combinators.combine(
                Arbitraries.of(NODES), Arbitraries.longs().between(1, 4), Arbitraries.longs().between(0, 2_000))
                .as(VectorClock.Entry::new);
        return entry.list().ofMaxSize(NODES.size()).uniqueElements(VectorClock.Entry::nodeId).map(VectorClock::of);
    }

    @Provide
    Arbitrary<String> nodes() {
        return Arbitraries.of(NODES);
    }

    @Property(seed = "42", tries = 5_000)
    void orderKeysOrderIdsAsTheirStringsDo(@ForAll("ids") String a, @ForAll("ids") String b) {
        // ties of the keys fall back to the strings only when the keys do not hold the ids whole
        assertEquals(Integer.signum(a.compareTo(b)), Integer.signum(VectorClock.compareIds(a, b)), a + " vs " + b);
    }

    @Property(seed = "42", tries = 5_000)
    void idsSharingAPrefixOrderAsTheirStringsDo(@ForAll("ids") String prefix, @ForAll("ids") String a,
            @ForAll("ids") String b) {
        // equal first chars: the keys tie on them and must still order by what follows, or by length
        assertEquals(Integer.signum((prefix + a).compareTo(prefix + b)),
                Integer.signum(VectorClock.compareIds(prefix + a, prefix + b)), prefix + a + " vs " + prefix + b);
    }

    @Provide
    Arbitrary<String> ids() {
        Arbitrary<Character> chars = Arbitraries.oneOf(Arbitraries.chars().range('\u0000', '\u0003'),
                Arbitraries.chars().range('a', 'c'), Arbitraries.chars().range('\u00fd', '\u0101'),
                Arbitraries.chars().range('\ud7fe', '\uffff'));
        return chars.list().ofMaxSize(18).map(list -> list.stream().map(String::valueOf).reduce("", String::concat));
    }

    @Property(seed = "42")
    void compareIsReflexive(@ForAll("clocks") VectorClock a) {
        assertEquals(Causality.EQUAL, a.compare(a));
        assertEquals(Causality.EQUAL, a.compare(VectorClock.of(a.entries())));
    }

    @Property(seed = "42")
    void compareIsAntisymmetric(@ForAll("clocks") VectorClock a, @ForAll("clocks") VectorClock b) {
        Causality ab = a.compare(b);
        Causality expected = switch (ab) {
            case BEFORE -> Causality.AFTER;
            case AFTER -> Causality.BEFORE;
            case EQUAL -> Causality.EQUAL;
            case CONCURRENT -> Causality.CONCURRENT;
        };
        assertEquals(expected, b.compare(a));
        if (ab == Causality.EQUAL) {
            assertEquals(counters(a), counters(b), "EQUAL clocks have the same counters");
        }
    }

    @Property(seed = "42")
    void compareIsTransitive(@ForAll("clocks") VectorClock a, @ForAll("clocks") VectorClock b, @ForAll("clocks") VectorClock c) {
        if (atOrBefore(a, b) && atOrBefore(b, c)) {
            assertTrue(atOrBefore(a, c), a + " <= " + b + " <= " + c);
        }
    }

    @Property(seed = "42")
    void compareMatchesTheEntryWiseDefinition(@ForAll("clocks") VectorClock a, @ForAll("clocks") VectorClock b) {
        boolean aLeqB = NODES.stream().allMatch(n -> a.counter(n) <= b.counter(n));
        boolean bLeqA = NODES.stream().allMatch(n -> b.counter(n) <= a.counter(n));
        Causality expected = aLeqB && bLeqA ? Causality.EQUAL : aLeqB ? Causality.BEFORE : bLeqA ? Causality.AFTER : Causality.CONCURRENT;
        assertEquals(expected, a.compare(b));
        assertEquals(expected == Causality.AFTER, a.dominates(b));
    }

    @Property(seed = "42")
    void mergeIsCommutative(@ForAll("clocks") VectorClock a, @ForAll("clocks") VectorClock b) {
        assertEquals(a.merge(b), b.merge(a));
    }

    @Property(seed = "42")
    void mergeIsAssociative(@ForAll("clocks") VectorClock a, @ForAll("clocks") VectorClock b, @ForAll("clocks") VectorClock c) {
        assertEquals(a.merge(b).merge(c), a.merge(b.merge(c)));
    }

    @Property(seed = "42")
    void mergeIsIdempotent(@ForAll("clocks") VectorClock a) {
        assertEquals(a, a.merge(a));
        assertEquals(a, a.merge(VectorClock.EMPTY));
    }

    @Property(seed = "42")
    void mergeIsTheLeastUpperBound(@ForAll("clocks") VectorClock a, @ForAll("clocks") VectorClock b, @ForAll("clocks") VectorClock c) {
        VectorClock merged = a.merge(b);
        assertTrue(atOrBefore(a, merged) && atOrBefore(b, merged), merged + " is not above " + a + " and " + b);
        for (String node : NODES) {
            assertEquals(Math.max(a.counter(node), b.counter(node)), merged.counter(node));
        }
        if (atOrBefore(a, c) && atOrBefore(b, c)) {
            assertTrue(atOrBefore(merged, c), "every upper bound is above the merge");
        }
    }

    @Property(seed = "42")
    void incrementDominates(@ForAll("clocks") VectorClock a, @ForAll("nodes") String node, @ForAll @IntRange(max = 5_000) int time) {
        VectorClock next = a.increment(node, time);
        assertEquals(Causality.AFTER, next.compare(a));
        assertEquals(a.counter(node) + 1, next.counter(node));
        assertEquals(time, next.entries().stream().filter(e -> e.nodeId().equals(node)).findFirst().orElseThrow().timestamp());
        for (String other : NODES) {
            if (!other.equals(node)) {
                assertEquals(a.counter(other), next.counter(other));
            }
        }
    }

    @Property(seed = "42")
    void incrementsOnDifferentNodesAreConcurrent(@ForAll("clocks") VectorClock a) {
        assertEquals(Causality.CONCURRENT, a.increment("x", 1).compare(a.increment("y", 1)));
    }

    @Property(seed = "42")
    void truncateKeepsTheNewestEntriesWithinTheLimit(@ForAll("clocks") VectorClock a, @ForAll @IntRange(min = 1, max = 7) int limit) {
        VectorClock truncated = a.truncate(limit);
        assertEquals(Math.min(limit, a.size()), truncated.size());
        Set<VectorClock.Entry> kept = Set.copyOf(truncated.entries());
        assertTrue(a.entries().containsAll(kept), "truncation invents entries");
        List<VectorClock.Entry> byAge = new ArrayList<>(a.entries());
        byAge.sort(Comparator.comparingLong(VectorClock.Entry::timestamp).thenComparing(VectorClock.Entry::nodeId));
        List<VectorClock.Entry> newest = byAge.subList(byAge.size() - truncated.size(), byAge.size());
        assertEquals(Set.copyOf(newest), kept);
        for (VectorClock.Entry dropped : byAge.subList(0, byAge.size() - truncated.size())) {
            for (VectorClock.Entry survivor : kept) {
                assertTrue(dropped.timestamp() <= survivor.timestamp(), "dropped " + dropped + " is newer than kept " + survivor);
            }
        }
        if (a.size() <= limit) {
            assertSame(a, truncated);
        }
    }

    @Property(seed = "42")
    void encodingRoundTrips(@ForAll("clocks") VectorClock a) {
        VectorClock decoded = VectorClock.fromBytes(a.toBytes());
        assertEquals(a, decoded);
        assertEquals(a.hashCode(), decoded.hashCode());
        assertEquals(a.entries(), decoded.entries());
    }

    @Property(seed = "42")
    void randomBytesDecodeOrFailWithMalformedData(@ForAll byte[] garbage) {
        try {
            VectorClock decoded = VectorClock.fromBytes(garbage);
            assertTrue(Arrays.equals(garbage, decoded.toBytes()), "a decoded clock re-encodes to the same bytes");
        } catch (MalformedDataException expected) {
            // the only acceptable failure
        }
    }

    @Property(seed = "42")
    void everyTruncatedEncodingFailsWithMalformedData(@ForAll("clocks") VectorClock a) {
        byte[] bytes = a.toBytes();
        for (int length = 0; length < bytes.length; length++) {
            byte[] prefix = Arrays.copyOf(bytes, length);
            try {
                VectorClock.fromBytes(prefix);
                throw new AssertionError("a " + length + "-byte prefix of " + bytes.length + " bytes decoded");
            } catch (MalformedDataException expected) {
                // each prefix is missing something
            }
        }
    }

    @Property(seed = "42")
    void corruptedEncodingsDecodeOrFailWithMalformedData(@ForAll("clocks") VectorClock a, @ForAll int position, @ForAll byte value) {
        byte[] bytes = a.toBytes();
        bytes[Math.floorMod(position, bytes.length)] = value;
        try {
            VectorClock.fromBytes(bytes);
        } catch (MalformedDataException expected) {
            // the only acceptable failure
        }
    }

    @Property(seed = "42", tries = 50)
    void unsortedOrDuplicateEntriesAreRejected(@ForAll("clocks") VectorClock a) {
        if (a.size() < 2) {
            return;
        }
        List<VectorClock.Entry> reversed = new ArrayList<>(a.entries());
        java.util.Collections.reverse(reversed);
        BytesOut out = new BytesOut();
        out.writeVarInt(reversed.size());
        for (VectorClock.Entry e : reversed) {
            out.writeString(e.nodeId()).writeVarLong(e.counter()).writeVarLong(e.timestamp());
        }
        try {
            VectorClock.fromBytes(out.toByteArray());
            throw new AssertionError("entries out of order decoded");
        } catch (MalformedDataException expected) {
            // the order is part of the format
        }
    }

    private static boolean atOrBefore(VectorClock a, VectorClock b) {
        Causality c = a.compare(b);
        return c == Causality.BEFORE || c == Causality.EQUAL;
    }

    private static String counters(VectorClock clock) {
        return clock.entries().stream().map(e -> e.nodeId() + ":" + e.counter()).collect(Collectors.joining(","));
    }
}
