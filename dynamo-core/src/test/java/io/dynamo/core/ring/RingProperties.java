package io.dynamo.core.ring;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.dynamo.spi.partition.Partitioner;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Random;
import java.util.Set;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Assume;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.constraints.IntRange;

class RingProperties {
    private static final Partitioner HASH = TestPartitioners.hash64();

    /** Members and a partition count of at least as many partitions. */
    record Cluster(List<String> members, int partitionCount) {
        Ring ring() {
            return Ring.create(members, partitionCount, HASH);
        }
    }

    /** A membership change: join a new node, or remove the member at {@code index mod S}. */
    record Change(boolean join, String newId, int index) {}

    @Provide
    Arbitrary<Cluster> clusters() {
        Arbitrary<Set<String>> ids = Arbitraries.strings().withCharRange('a', 'z').ofMinLength(1).ofMaxLength(5)
                .set().ofMinSize(1).ofMaxSize(40);
        return ids.flatMap(set -> {
            int minLog2 = 32 - Integer.numberOfLeadingZeros(set.size() - 1); // smallest Q >= S
            return Arbitraries.integers().between(minLog2, 10)
                    .map(log2 -> new Cluster(List.copyOf(set), 1 << log2));
        });
    }

    /** Rings after a random history of joins and leaves. */
    @Provide
    Arbitrary<Ring> evolvedRings() {
        Arbitrary<Change> change = Combinators.combine(
                        Arbitraries.of(true, false),
                        Arbitraries.strings().withCharRange('A', 'Z').ofLength(3),
                        Arbitraries.integers().between(0, 1000))
                .as(Change::new);
        return Combinators.combine(clusters(), change.list().ofMaxSize(12)).as((cluster, changes) -> {
            Ring ring = cluster.ring();
            for (Change c : changes) {
                if (c.join() && !ring.isMember(c.newId()) && ring.members().size() < ring.partitionCount()) {
                    ring = ring.withMember(c.newId());
                } else if (!c.join() && ring.members().size() > 1) {
                    ring = ring.withoutMember(ring.members().get(c.index() % ring.members().size()));
                }
            }
            return ring;
        });
    }

    @Property(tries = 100, seed = "3")
    void preferenceListsHoldDistinctNodesInRingOrder(@ForAll("evolvedRings") Ring ring,
            @ForAll @IntRange(min = 1, max = 45) int count) {
        int expectedSize = Math.min(count, ring.members().size());
        for (int p = 0; p < ring.partitionCount(); p++) {
            List<String> list = ring.preferenceList(p, count);
            assertEquals(expectedSize, list.size());
            assertEquals(expectedSize, new HashSet<>(list).size(), "distinct nodes: " + list);
            assertEquals(ring.owner(p), list.get(0));
            assertEquals(referenceWalk(ring, p, count), list);
            assertEquals(new LinkedHashSet<>(list), ring.replicasOf(p, count));
        }
    }

    @Property(tries = 200, seed = "5")
    void sameMembersInAnyOrderGiveEqualRings(@ForAll("clusters") Cluster cluster, @ForAll Random random) {
        List<String> shuffled = new ArrayList<>(cluster.members());
        Collections.shuffle(shuffled, random);
        Ring ring = cluster.ring();
        Ring other = Ring.create(shuffled, cluster.partitionCount(), HASH);

        assertEquals(ring, other);
        assertEquals(ring.hashCode(), other.hashCode());
        assertEquals(ring.assignment(), other.assignment());
    }

    @Property(tries = 200, seed = "7")
    void everyNodeHoldsQOverSPartitionsOrOneMore(@ForAll("clusters") Cluster cluster) {
        Ring ring = cluster.ring();
        int q = cluster.partitionCount();
        int s = cluster.members().size();

        assertEquals(s, ring.partitionCounts().size());
        for (int count : ring.partitionCounts().values()) {
            assertTrue(count == q / s || count == q / s + 1, count + " partitions, Q=" + q + " S=" + s);
        }
        assertEquals(q, ring.partitionCounts().values().stream().mapToInt(Integer::intValue).sum());
    }

    @Property(tries = 200, seed = "11")
    void loadsStayWithinOneThroughJoinsAndLeaves(@ForAll("evolvedRings") Ring ring) {
        int min = ring.partitionCounts().values().stream().mapToInt(Integer::intValue).min().orElseThrow();
        int max = ring.partitionCounts().values().stream().mapToInt(Integer::intValue).max().orElseThrow();

        assertTrue(max - min <= 1, ring.partitionCounts().toString());
        assertTrue(min >= 1, "every member owns a partition");
    }

    @Property(tries = 150, seed = "13")
    void aJoiningNodeTakesAboutQOverSPlusOnePartitionsAndNobodyElseGains(@ForAll("evolvedRings") Ring ring,
            @ForAll("newIds") String newId) {
        int s = ring.members().size();
        int q = ring.partitionCount();
        Assume.that(s < q && !ring.isMember(newId));

        Ring joined = ring.withMember(newId);

        int taken = 0;
        for (int p = 0; p < q; p++) {
            if (!joined.owner(p).equals(ring.owner(p))) {
                assertEquals(newId, joined.owner(p), "partition " + p + " moved to an existing node");
                taken++;
            }
        }
        assertEquals(taken, joined.partitionsOwnedBy(newId).size(), "the new node owns only what it took");
        assertTrue(Math.abs(taken - q / (s + 1)) <= 1, "took " + taken + " of Q=" + q + " with S=" + s);
        for (String member : ring.members()) {
            assertTrue(joined.partitionCounts().get(member) <= ring.partitionCounts().get(member));
        }
        int min = joined.partitionCounts().values().stream().mapToInt(Integer::intValue).min().orElseThrow();
        int max = joined.partitionCounts().values().stream().mapToInt(Integer::intValue).max().orElseThrow();
        assertTrue(max - min <= 1, joined.partitionCounts().toString());
    }

    @Property(tries = 200, seed = "17")
    void aLeavingNodeGivesAwayOnlyItsPartitions(@ForAll("evolvedRings") Ring ring,
            @ForAll @IntRange(min = 0, max = 1000) int which) {
        Assume.that(ring.members().size() > 1);
        String leaver = ring.members().get(which % ring.members().size());

        Ring left = ring.withoutMember(leaver);

        assertEquals(ring.members().size() - 1, left.members().size());
        for (int p = 0; p < ring.partitionCount(); p++) {
            if (ring.owner(p).equals(leaver)) {
                assertNotEquals(leaver, left.owner(p));
            } else {
                assertEquals(ring.owner(p), left.owner(p), "partition " + p + " of a staying node moved");
            }
        }
        int min = left.partitionCounts().values().stream().mapToInt(Integer::intValue).min().orElseThrow();
        int max = left.partitionCounts().values().stream().mapToInt(Integer::intValue).max().orElseThrow();
        assertTrue(max - min <= 1, left.partitionCounts().toString());
    }

    @Property(tries = 100, seed = "19")
    void theAssignmentRebuildsAnEqualRing(@ForAll("evolvedRings") Ring ring) {
        Ring copy = Ring.fromAssignment(ring.assignment(), HASH);

        assertEquals(ring, copy);
        assertEquals(ring.members(), copy.members());
        for (int p = 0; p < ring.partitionCount(); p++) {
            assertEquals(ring.preferenceList(p, 3), copy.preferenceList(p, 3));
        }
        for (String member : ring.members()) {
            List<Integer> owned = ring.partitionsOwnedBy(member);
            assertEquals(ring.partitionCounts().get(member), owned.size());
            owned.forEach(p -> assertEquals(member, ring.owner(p)));
        }
    }

    @Provide
    Arbitrary<String> newIds() {
        return Arbitraries.strings().withCharRange('a', 'z').ofMinLength(1).ofMaxLength(6);
    }

    /** The definition, written plainly: walk the ring collecting owners not yet chosen. */
    private static List<String> referenceWalk(Ring ring, int partition, int count) {
        Set<String> chosen = new LinkedHashSet<>();
        for (int step = 0; step < ring.partitionCount() && chosen.size() < count; step++) {
            chosen.add(ring.owner((partition + step) % ring.partitionCount()));
        }
        return List.copyOf(chosen);
    }
}
