package io.dynamo.core.ring;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.dynamo.api.Bytes;
import io.dynamo.api.InvalidArgumentException;
import io.dynamo.spi.partition.Partitioner;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.function.Executable;

class RingTest {
    private static final Partitioner HASH = TestPartitioners.hash64();

    private static List<String> nodes(int count) {
        return IntStream.range(0, count).mapToObj(i -> String.format("node-%03d", i)).toList();
    }

    @Test
    void createDealsPartitionsRoundRobinOverSortedMembers() {
        Ring ring = Ring.create(List.of("c", "a", "b"), 8, HASH);

        assertEquals(List.of("a", "b", "c", "a", "b", "c", "a", "b"), ring.assignment());
        assertEquals(List.of("a", "b", "c"), ring.members());
        assertEquals(Map.of("a", 3, "b", 3, "c", 2), ring.partitionCounts());
        assertEquals(List.of(2, 5), ring.partitionsOwnedBy("c"));
        assertEquals(List.of(), ring.partitionsOwnedBy("z"));
        assertEquals(List.of("c", "a"), ring.preferenceList(5, 2));
        assertEquals(List.of("b", "a", "c"), ring.preferenceList(7, 3));
    }

    @Test
    void preferenceListSkipsNodesAlreadyChosenAndWraps() {
        Ring ring = Ring.fromAssignment(List.of("a", "a", "b", "a", "c", "b", "c", "c"), HASH);

        assertEquals(List.of("a", "b", "c"), ring.preferenceList(0, 3));
        assertEquals(List.of("a", "b"), ring.preferenceList(1, 2));
        assertEquals(List.of("c", "a", "b"), ring.preferenceList(6, 3));
        assertEquals(List.of("c", "a", "b"), ring.preferenceList(7, 5), "count > S gives all S members");
        assertEquals(List.of("c"), ring.preferenceList(7, 1));
        assertEquals(List.of("b", "a", "c"), new ArrayList<>(ring.replicasOf(2, 3)));
    }

    @Test
    void longPreferenceListsBeyondThePrecomputedDepthWalkTheRing() {
        List<String> owners = new ArrayList<>();
        for (int p = 0; p < 64; p++) {
            owners.add("n" + (p % 3 == 0 ? 0 : p % 12)); // n0 repeats every third partition
        }
        Ring ring = Ring.fromAssignment(owners, HASH);

        List<String> list = ring.preferenceList(0, 11);
        assertEquals(List.of("n0", "n1", "n2", "n4", "n5", "n7", "n8", "n10", "n11"), list.subList(0, 9));
        assertEquals(9, list.size(), "only 9 members exist");
        assertEquals(List.of("n10", "n11", "n0", "n1", "n2", "n4", "n5", "n7", "n8"), ring.preferenceList(10, 9));
    }

    @Test
    void longPreferenceListsAreTheSameWhetherKeptOrWalkedEachTime() {
        List<String> ids = nodes(20);
        Ring kept = Ring.create(ids, 4096, HASH); // 4096 x 20 is within the cache limit
        Ring walked = Ring.create(ids, 65536, HASH); // 65536 x 20 is not
        assertTrue(4096L * 20 <= Ring.FULL_LIST_CACHE_LIMIT && 65536L * 20 > Ring.FULL_LIST_CACHE_LIMIT);

        for (Ring ring : List.of(kept, walked)) {
            for (int p : new int[] {0, 17, ring.partitionCount() - 1}) {
                LinkedHashSet<String> walk = new LinkedHashSet<>();
                for (int step = 0; walk.size() < 20; step++) {
                    walk.add(ring.owner((p + step) % ring.partitionCount()));
                }
                List<String> expected = List.copyOf(walk);
                assertEquals(ids.get(p % 20), expected.get(0));
                assertEquals(expected.subList(0, 12), ring.preferenceList(p, 12));
                assertEquals(expected, ring.preferenceList(p, 20));
                assertEquals(expected, ring.preferenceList(p, 25));
                assertEquals(expected.subList(0, 12), ring.preferenceList(p, 12), "again, from the kept list");
            }
        }
    }

    @Test
    void preferenceListsAreImmutable() {
        Ring ring = Ring.create(nodes(20), 64, HASH);
        List<String> shortList = ring.preferenceList(3, 3);
        List<String> longList = ring.preferenceList(3, 15);

        assertThrows(UnsupportedOperationException.class, () -> shortList.set(0, "x"));
        assertThrows(UnsupportedOperationException.class, () -> shortList.add("x"));
        assertThrows(UnsupportedOperationException.class, () -> longList.set(0, "x"));
        assertThrows(IndexOutOfBoundsException.class, () -> shortList.get(3));
        assertEquals(List.of("node-003", "node-004", "node-005"), shortList);
    }

    @Test
    void partitionOfIsTheTopBitsOfThePosition() {
        Random random = new Random(7);
        for (int log2 = 0; log2 <= 16; log2++) {
            int q = 1 << log2;
            Ring ring = Ring.create(List.of("a"), q, HASH);
            for (int i = 0; i < 200; i++) {
                byte[] key = new byte[1 + random.nextInt(20)];
                random.nextBytes(key);
                long position = HASH.position(Bytes.of(key));
                int expected = log2 == 0 ? 0 : (int) (position >>> (64 - log2));
                assertEquals(expected, ring.partitionOf(Bytes.of(key)), "Q=" + q);
                assertEquals(ring.preferenceList(expected, 1), ring.preferenceList(Bytes.of(key), 1));
            }
            assertEquals(0, ring.partitionOfPosition(0));
            assertEquals(q - 1, ring.partitionOfPosition(-1L), "the largest unsigned position is in the last partition");
        }
    }

    @Test
    void partitionStartIsTheFirstPositionOfEachPartition() {
        Ring ring = Ring.create(nodes(3), 16, HASH);
        for (int p = 0; p < 16; p++) {
            long start = ring.partitionStart(p);
            assertEquals(p, ring.partitionOfPosition(start));
            assertEquals(Math.floorMod(p - 1, 16), ring.partitionOfPosition(start - 1));
        }
        assertEquals(0x1000_0000_0000_0000L, ring.partitionStart(1));
        assertEquals(0L, Ring.create(List.of("a"), 1, HASH).partitionStart(0));
    }

    @Test
    void mostLoadedNodeHoldsAtMostFivePercentAboveTheMeanOfAMillionKeys() {
        Partitioner md5 = TestPartitioners.md5();
        Ring ring = Ring.create(nodes(10), 1024, md5);
        Random random = new Random(20_070_101);
        int[] perPartition = new int[ring.partitionCount()];
        byte[] key = new byte[16];
        int keys = 1_000_000;
        for (int i = 0; i < keys; i++) {
            random.nextBytes(key);
            perPartition[ring.partitionOf(Bytes.of(key))]++;
        }
        int[] perNode = new int[10];
        for (int p = 0; p < perPartition.length; p++) {
            perNode[ring.members().indexOf(ring.owner(p))] += perPartition[p];
        }
        double mean = keys / 10.0;
        int max = Arrays.stream(perNode).max().orElseThrow();
        assertTrue(max <= 1.05 * mean, "most loaded node holds " + max + " keys, mean " + mean);
    }

    @Test
    void joinAndLeaveRoundTripKeepsBalance() {
        Ring ring = Ring.create(nodes(4), 256, HASH);
        Ring joined = ring.withMember("node-new");

        assertEquals(256 / 5, joined.partitionCounts().get("node-new"));
        assertTrue(joined.isMember("node-new"));
        Ring left = joined.withoutMember("node-new");
        assertEquals(List.copyOf(ring.members()), left.members());
        assertTrue(left.partitionCounts().values().stream().allMatch(c -> c == 64), left.partitionCounts().toString());
    }

    @Test
    void joinsAndLeavesKeepConsecutivePartitionsOnDistinctNodesOnALargeRing() {
        Ring ring = Ring.create(nodes(90), 4096, HASH);
        for (int i = 0; i < 10; i++) {
            ring = ring.withMember("joined-" + i);
        }
        assertEquals(0, partitionsWhoseNextThreeRepeatANode(ring), "after joins");
        for (int i = 0; i < 10; i++) {
            ring = ring.withoutMember(String.format("node-%03d", i * 3));
        }
        assertTrue(partitionsWhoseNextThreeRepeatANode(ring) <= 4096 / 100, "after leaves");
    }

    private static int partitionsWhoseNextThreeRepeatANode(Ring ring) {
        int count = 0;
        int q = ring.partitionCount();
        for (int p = 0; p < q; p++) {
            if (new HashSet<>(List.of(ring.owner(p), ring.owner((p + 1) % q), ring.owner((p + 2) % q))).size() < 3) {
                count++;
            }
        }
        return count;
    }

    @Test
    void ringsAreEqualByAssignment() {
        Ring ring = Ring.create(List.of("a", "b", "c"), 16, HASH);

        assertEquals(ring, Ring.create(List.of("b", "c", "a"), 16, TestPartitioners.md5()));
        assertEquals(ring.hashCode(), Ring.create(List.of("c", "a", "b"), 16, HASH).hashCode());
        assertEquals(ring, Ring.fromAssignment(ring.assignment(), HASH));
        assertNotEquals(ring, Ring.create(List.of("a", "b", "c"), 32, HASH));
        assertNotEquals(ring, Ring.create(List.of("a", "b", "d"), 16, HASH));
        assertNotEquals(ring, ring.withMember("d"));
        assertEquals("Ring[partitions=16, members=3 [a, b, c], partitions per member=5..6]", ring.toString());
        assertFalse(Ring.create(nodes(40), 64, HASH).toString().contains("node-039"), "long member lists are cut");
    }

    @Test
    void invalidArgumentsAreRefusedWithClearMessages() {
        Ring ring = Ring.create(List.of("a", "b"), 8, HASH);

        assertRefused("power of two", () -> Ring.create(List.of("a"), 3, HASH));
        assertRefused("power of two", () -> Ring.create(List.of("a"), 0, HASH));
        assertRefused("power of two", () -> Ring.create(List.of("a"), -8, HASH));
        assertRefused("power of two from 1 to 65536", () -> Ring.create(List.of("a"), 1 << 17, HASH));
        assertRefused("at least one member", () -> Ring.create(List.of(), 8, HASH));
        assertRefused("at least one member", () -> Ring.create(null, 8, HASH));
        assertRefused("node id a appears more than once", () -> Ring.create(List.of("a", "b", "a"), 8, HASH));
        assertRefused("node id must have 1 to 255 characters", () -> Ring.create(List.of("a", ""), 8, HASH));
        assertRefused("node id must have 1 to 255 characters", () -> Ring.create(List.of("x".repeat(256)), 8, HASH));
        assertRefused("partitionCount (4) must be at least the number of members (5)",
                () -> Ring.create(nodes(5), 4, HASH));
        assertRefused("partitioner is null", () -> Ring.create(List.of("a"), 8, null));
        assertRefused("count must be at least 1: 0", () -> ring.preferenceList(0, 0));
        assertRefused("count must be at least 1: -1", () -> ring.preferenceList(Bytes.utf8("k"), -1));
        assertRefused("partition must be in [0, 8): 8", () -> ring.preferenceList(8, 3));
        assertRefused("partition must be in [0, 8): -1", () -> ring.owner(-1));
        assertRefused("key is null", () -> ring.partitionOf(null));
        assertRefused("node z is not a member of the ring; members: [a, b]", () -> ring.withoutMember("z"));
        assertRefused("node a is already a member", () -> ring.withMember("a"));
        assertRefused("the only member", () -> Ring.create(List.of("a"), 8, HASH).withoutMember("a"));
        assertRefused("every member needs a partition", () -> Ring.create(List.of("a", "b"), 2, HASH).withMember("c"));
        assertRefused("power of two", () -> Ring.fromAssignment(List.of("a", "b", "c"), HASH));
    }

    private static void assertRefused(String expectedMessagePart, Executable call) {
        InvalidArgumentException e = assertThrows(InvalidArgumentException.class, call);
        assertTrue(e.getMessage().contains(expectedMessagePart),
                "message \"" + e.getMessage() + "\" should contain \"" + expectedMessagePart + "\"");
    }
}
