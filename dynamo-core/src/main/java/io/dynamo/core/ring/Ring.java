package io.dynamo.core.ring;

import io.dynamo.api.Bytes;
import io.dynamo.api.InvalidArgumentException;
import io.dynamo.api.VectorClock;
import io.dynamo.spi.partition.Partitioner;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.atomic.AtomicReferenceArray;

/**
 * An immutable ring: the partitioner's token space cut into Q equal partitions (Q a power of
 * two), each owned by one physical node — Dynamo's partitioning "strategy 3", as in Riak and
 * Voldemort.
 *
 * <p><b>Key to partition</b> is arithmetic, no search: the top {@code log2 Q} bits of
 * {@link Partitioner#position}. Partition {@code p} covers the positions
 * {@code [p * 2^64/Q, (p + 1) * 2^64/Q)}.
 *
 * <p><b>Initial assignment</b> ({@link #create}) deals the partitions round-robin over the
 * members sorted by id: partition {@code p} goes to {@code sorted[p mod S]}. The result depends
 * only on the set of members, every node holds {@code Q/S} or {@code Q/S + 1} partitions, and
 * any {@code S} consecutive partitions have distinct owners, so a preference list is usually
 * found by looking at N consecutive partitions.
 *
 * <p><b>Membership changes move whole partitions, as few as possible.</b> A joining node takes
 * {@code floor(Q/(S+1))} partitions, always from a most-loaded node, aiming at evenly spaced
 * positions so that its partitions stay apart; a leaving node's partitions each go to a
 * least-loaded remaining node, preferring one that owns no partition close by. Nobody else's
 * partitions change, and loads stay within one partition of each other. A ring is therefore a
 * product of its history: {@code create([a, b]).withMember("c")} is balanced but generally not
 * equal to {@code create([a, b, c])}; nodes exchange the assignment itself
 * ({@link #assignment()}, {@link #fromAssignment}), not the member list.
 *
 * <p><b>Preference lists.</b> After joins and leaves the same node can own partitions a few
 * places apart, so walking the ring may meet a node twice; {@link #preferenceList} skips
 * repeats and returns distinct physical nodes. The first {@value #PRECOMPUTED_DEPTH} distinct
 * nodes after every partition are computed once, when the ring is built (Q × 8 references,
 * e.g. 128 KiB for Q = 4096), so the lookup on the request path is an index computation and one
 * small immutable view. A longer list (sloppy-quorum stand-ins, up to all S members) is walked
 * once per partition, on first use, and kept while the ring lives if Q × S is at most
 * {@value #FULL_LIST_CACHE_LIMIT} references (4 MiB; e.g. Q = 4096 with up to 256 nodes);
 * larger rings walk every time.
 *
 * <p>Equality is on Q and the assignment; the partitioner is not compared. Thread-safe.
 */
public final class Ring {
    /** The default number of partitions of a cluster, as in the design. */
    public static final int DEFAULT_PARTITION_COUNT = 256;

    /** The largest partition count accepted: keeps the ring and its precomputed lists small. */
    public static final int MAX_PARTITION_COUNT = 1 << 16;

    /** How many distinct nodes are precomputed after every partition. */
    public static final int PRECOMPUTED_DEPTH = 8;

    /** The most references a ring keeps for full-length preference lists, filled lazily. */
    public static final int FULL_LIST_CACHE_LIMIT = 1 << 20;

    /** How far around a partition a leave looks for a node that already owns partitions there. */
    private static final int NEIGHBOURHOOD = 2 * PRECOMPUTED_DEPTH;

    private final Partitioner partitioner;
    private final int partitionCount;
    /** {@code 63 - log2 Q}: {@code position >>> 1 >>> shift} is the partition, also for Q = 1. */
    private final int shift;
    /** Member ids, sorted. */
    private final String[] memberIds;
    /** Owner of each partition, as an index into {@link #memberIds}. */
    private final int[] ownerIndex;
    /** Owner of each partition; the same String instances as {@link #memberIds}. */
    private final String[] owners;
    /** Partitions held by each member, by member index. */
    private final int[] loads;
    /** min(S, PRECOMPUTED_DEPTH). */
    private final int depth;
    /** {@code preferred[p * depth + i]} is the i-th distinct node from partition p onwards. */
    private final String[] preferred;
    /** Per partition, all S members in preference order, filled on first use; null if not kept. */
    private final AtomicReferenceArray<String[]> fullLists;
    private final List<String> members;
    private final Map<String, Integer> partitionCounts;
    private final int hash;

    private Ring(Partitioner partitioner, String[] ownerIds) {
        this.partitioner = partitioner;
        this.partitionCount = ownerIds.length;
        this.shift = 63 - Integer.numberOfTrailingZeros(partitionCount);
        this.memberIds = Arrays.stream(ownerIds).distinct().sorted().toArray(String[]::new);
        Map<String, Integer> indexOf = new HashMap<>();
        for (int i = 0; i < memberIds.length; i++) {
            indexOf.put(memberIds[i], i);
        }
        this.ownerIndex = new int[partitionCount];
        this.owners = new String[partitionCount];
        this.loads = new int[memberIds.length];
        for (int p = 0; p < partitionCount; p++) {
            int index = indexOf.get(ownerIds[p]);
            ownerIndex[p] = index;
            owners[p] = memberIds[index];
            loads[index]++;
        }
        this.depth = Math.min(memberIds.length, PRECOMPUTED_DEPTH);
        this.preferred = new String[partitionCount * depth];
        for (int p = 0; p < partitionCount; p++) {
            walk(p, depth, preferred, p * depth);
        }
        this.fullLists = (long) partitionCount * memberIds.length <= FULL_LIST_CACHE_LIMIT
                ? new AtomicReferenceArray<>(partitionCount) : null;
        this.members = List.of(memberIds);
        Map<String, Integer> counts = new LinkedHashMap<>();
        for (int i = 0; i < memberIds.length; i++) {
            counts.put(memberIds[i], loads[i]);
        }
        this.partitionCounts = Collections.unmodifiableMap(counts);
        this.hash = 31 * partitionCount + Arrays.hashCode(owners);
    }

    /**
     * A balanced ring of these members (any order, distinct ids) over {@code partitionCount}
     * partitions: a power of two, at least the number of members, at most
     * {@value #MAX_PARTITION_COUNT}. The same members always give the same ring.
     */
    public static Ring create(List<String> nodeIds, int partitionCount, Partitioner partitioner) {
        requirePartitioner(partitioner);
        checkPartitionCount(partitionCount);
        if (nodeIds == null || nodeIds.isEmpty()) {
            throw new InvalidArgumentException("a ring needs at least one member; nodeIds is " + (nodeIds == null ? "null" : "empty"));
        }
        String[] sorted = new String[nodeIds.size()];
        for (int i = 0; i < sorted.length; i++) {
            sorted[i] = checkNodeId(nodeIds.get(i));
        }
        Arrays.sort(sorted);
        for (int i = 1; i < sorted.length; i++) {
            if (sorted[i].equals(sorted[i - 1])) {
                throw new InvalidArgumentException("node id " + sorted[i] + " appears more than once in " + nodeIds);
            }
        }
        if (sorted.length > partitionCount) {
            throw new InvalidArgumentException("partitionCount (" + partitionCount
                    + ") must be at least the number of members (" + sorted.length + ")");
        }
        String[] ownerIds = new String[partitionCount];
        for (int p = 0; p < partitionCount; p++) {
            ownerIds[p] = sorted[p % sorted.length];
        }
        return new Ring(partitioner, ownerIds);
    }

    /**
     * The ring with exactly this assignment: {@code owners.get(p)} owns partition {@code p}.
     * The inverse of {@link #assignment()}, for a ring received from another node; the
     * members are the distinct owners. No balance is required.
     */
    public static Ring fromAssignment(List<String> owners, Partitioner partitioner) {
        requirePartitioner(partitioner);
        if (owners == null) {
            throw new InvalidArgumentException("owners is null");
        }
        checkPartitionCount(owners.size());
        String[] ownerIds = new String[owners.size()];
        for (int p = 0; p < ownerIds.length; p++) {
            ownerIds[p] = checkNodeId(owners.get(p));
        }
        return new Ring(partitioner, ownerIds);
    }

    public Partitioner partitioner() {
        return partitioner;
    }

    /** Q. */
    public int partitionCount() {
        return partitionCount;
    }

    /** The member ids, sorted. */
    public List<String> members() {
        return members;
    }

    public boolean isMember(String nodeId) {
        return nodeId != null && Arrays.binarySearch(memberIds, nodeId) >= 0;
    }

    /** The partition holding {@code key}: the top {@code log2 Q} bits of its position. */
    public int partitionOf(Bytes key) {
        if (key == null) {
            throw new InvalidArgumentException("key is null");
        }
        return partitionOfPosition(partitioner.position(key));
    }

    /** The partition holding an unsigned 64-bit position (see {@link Partitioner#position}). */
    public int partitionOfPosition(long position) {
        return (int) (position >>> 1 >>> shift);
    }

    /** The first position of {@code partition}, an unsigned 64-bit number. */
    public long partitionStart(int partition) {
        checkPartition(partition);
        return partition == 0 ? 0 : ((long) partition << 1) << shift;
    }

    public String owner(int partition) {
        checkPartition(partition);
        return owners[partition];
    }

    /**
     * The owners of {@code partition} and of the partitions after it (wrapping around), the
     * first {@code count} distinct physical nodes in ring order; all S members when
     * {@code count > S}. The first N are the partition's replicas, the next ones its
     * sloppy-quorum stand-ins. The list is immutable.
     */
    public List<String> preferenceList(int partition, int count) {
        checkPartition(partition);
        if (count < 1) {
            throw new InvalidArgumentException("count must be at least 1: " + count);
        }
        int size = Math.min(count, memberIds.length);
        if (size <= depth) {
            return new PreferenceList(preferred, partition * depth, size);
        }
        String[] nodes = fullLists == null ? null : fullLists.get(partition);
        if (nodes == null) {
            nodes = new String[fullLists == null ? size : memberIds.length];
            walk(partition, nodes.length, nodes, 0);
            if (fullLists != null) {
                fullLists.set(partition, nodes); // racing walks store equal arrays; either is fine
            }
        }
        return new PreferenceList(nodes, 0, size);
    }

    /** {@link #preferenceList(int, int)} of the key's partition. */
    public List<String> preferenceList(Bytes key, int count) {
        return preferenceList(partitionOf(key), count);
    }

    /** The set of {@code preferenceList(partition, n)}, in the same order. */
    public Set<String> replicasOf(int partition, int n) {
        return Collections.unmodifiableSet(new LinkedHashSet<>(preferenceList(partition, n)));
    }

    /** The partitions owned by {@code nodeId}, ascending; empty for a node that is not a member. */
    public List<Integer> partitionsOwnedBy(String nodeId) {
        if (nodeId == null) {
            throw new InvalidArgumentException("nodeId is null");
        }
        int member = Arrays.binarySearch(memberIds, nodeId);
        if (member < 0) {
            return List.of();
        }
        List<Integer> partitions = new ArrayList<>(loads[member]);
        for (int p = 0; p < partitionCount; p++) {
            if (ownerIndex[p] == member) {
                partitions.add(p);
            }
        }
        return Collections.unmodifiableList(partitions);
    }

    /** How many partitions each member owns, in member order. */
    public Map<String, Integer> partitionCounts() {
        return partitionCounts;
    }

    /** The owner of every partition, by partition: what nodes exchange to agree on the ring. */
    public List<String> assignment() {
        return List.of(owners);
    }

    /**
     * This ring with {@code nodeId} joined. The new node takes {@code floor(Q/(S+1))}
     * partitions, each from a node that is most loaded at that moment, picked near evenly
     * spaced positions (starting at an offset derived from the id) so that its partitions are
     * far apart. No other node gains a partition, and loads stay within one of each other.
     */
    public Ring withMember(String nodeId) {
        checkNodeId(nodeId);
        if (isMember(nodeId)) {
            throw new InvalidArgumentException("node " + nodeId + " is already a member of the ring");
        }
        int size = memberIds.length;
        if (size + 1 > partitionCount) {
            throw new InvalidArgumentException("cannot add " + nodeId + ": the ring has " + partitionCount
                    + " partitions and already " + size + " members; every member needs a partition");
        }
        int joiner = size;
        int take = partitionCount / (size + 1);
        int[] owner = ownerIndex.clone();
        int[] load = loads.clone();
        int offset = Math.floorMod(nodeId.hashCode(), partitionCount);
        for (int i = 0; i < take; i++) {
            int target = (int) ((offset + (long) i * partitionCount / take) % partitionCount);
            int maxLoad = 0;
            for (int m = 0; m < size; m++) {
                maxLoad = Math.max(maxLoad, load[m]);
            }
            int taken = nearestOwnedByLoad(owner, load, target, joiner, maxLoad);
            load[owner[taken]]--;
            owner[taken] = joiner;
        }
        String[] ownerIds = new String[partitionCount];
        for (int p = 0; p < partitionCount; p++) {
            ownerIds[p] = owner[p] == joiner ? nodeId : memberIds[owner[p]];
        }
        return new Ring(partitioner, ownerIds);
    }

    /**
     * This ring with every partition of {@code member} given to {@code replacement}, which must
     * not be a member: a node that replaces one whose disk is gone. No other partition changes
     * owner, so every preference list is the same with {@code replacement} in place of
     * {@code member}.
     */
    public Ring withReplacement(String member, String replacement) {
        checkNodeId(replacement);
        if (member == null || Arrays.binarySearch(memberIds, member) < 0) {
            throw new InvalidArgumentException("node " + member + " is not a member of the ring; members: " + summary(members));
        }
        if (isMember(replacement)) {
            throw new InvalidArgumentException("node " + replacement + " is already a member of the ring");
        }
        String[] ownerIds = new String[partitionCount];
        for (int p = 0; p < partitionCount; p++) {
            String owner = owner(p);
            ownerIds[p] = owner.equals(member) ? replacement : owner;
        }
        return new Ring(partitioner, ownerIds);
    }

    /**
     * This ring without {@code nodeId}. Each of its partitions, in ascending order, goes to a
     * remaining node that is least loaded at that moment, preferring one that owns no
     * partition nearby (fewer repeats in preference lists), then the smallest id. No other
     * partition changes owner; loads stay within one of each other if they were before.
     */
    public Ring withoutMember(String nodeId) {
        if (nodeId == null) {
            throw new InvalidArgumentException("nodeId is null");
        }
        int leaver = Arrays.binarySearch(memberIds, nodeId);
        if (leaver < 0) {
            throw new InvalidArgumentException("node " + nodeId + " is not a member of the ring; members: " + summary(members));
        }
        if (memberIds.length == 1) {
            throw new InvalidArgumentException("cannot remove " + nodeId + ": it is the only member of the ring");
        }
        int size = memberIds.length;
        int[] owner = ownerIndex.clone();
        int[] load = loads.clone();
        load[leaver] = Integer.MAX_VALUE;
        int radius = Math.min(NEIGHBOURHOOD, partitionCount / 2);
        int[] nearest = new int[size];
        for (int p = 0; p < partitionCount; p++) {
            if (owner[p] != leaver) {
                continue;
            }
            int minLoad = Integer.MAX_VALUE;
            for (int m = 0; m < size; m++) {
                minLoad = Math.min(minLoad, load[m]);
            }
            // Distance from p to each node's closest partition, capped at radius + 1.
            Arrays.fill(nearest, radius + 1);
            for (int d = radius; d >= 1; d--) {
                nearest[owner[(p + d) % partitionCount]] = d;
                nearest[owner[Math.floorMod(p - d, partitionCount)]] = d;
            }
            int chosen = -1;
            for (int m = 0; m < size; m++) {
                if (load[m] == minLoad && (chosen < 0 || nearest[m] > nearest[chosen])) {
                    chosen = m;
                }
            }
            owner[p] = chosen;
            load[chosen]++;
        }
        String[] ownerIds = new String[partitionCount];
        for (int p = 0; p < partitionCount; p++) {
            ownerIds[p] = memberIds[owner[p]];
        }
        return new Ring(partitioner, ownerIds);
    }

    @Override
    public boolean equals(Object other) {
        return other instanceof Ring that && partitionCount == that.partitionCount && hash == that.hash
                && Arrays.equals(owners, that.owners);
    }

    @Override
    public int hashCode() {
        return hash;
    }

    @Override
    public String toString() {
        int min = Integer.MAX_VALUE;
        int max = 0;
        for (int load : loads) {
            min = Math.min(min, load);
            max = Math.max(max, load);
        }
        return "Ring[partitions=" + partitionCount + ", members=" + memberIds.length + " " + summary(members)
                + ", partitions per member=" + (min == max ? String.valueOf(min) : min + ".." + max) + "]";
    }

    /**
     * Writes into {@code out[from..from+count)} the first {@code count} distinct owners met
     * walking from {@code partition} onwards; {@code count <= S}, so the walk always ends.
     */
    private void walk(int partition, int count, String[] out, int from) {
        if (count <= PRECOMPUTED_DEPTH) {
            // few nodes: a linear check of those found beats any set
            int found = 0;
            for (int p = partition; found < count; p = p + 1 == partitionCount ? 0 : p + 1) {
                String node = owners[p];
                boolean seen = false;
                for (int i = 0; i < found && !seen; i++) {
                    seen = out[from + i] == node;
                }
                if (!seen) {
                    out[from + found++] = node;
                }
            }
            return;
        }
        boolean[] seen = new boolean[memberIds.length];
        int found = 0;
        for (int p = partition; found < count; p = p + 1 == partitionCount ? 0 : p + 1) {
            if (!seen[ownerIndex[p]]) {
                seen[ownerIndex[p]] = true;
                out[from + found++] = owners[p];
            }
        }
    }

    /**
     * The partition closest to {@code target} (looking after, then before, at growing distance)
     * whose owner is not {@code joiner} and holds {@code maxLoad} partitions.
     */
    private int nearestOwnedByLoad(int[] owner, int[] load, int target, int joiner, int maxLoad) {
        for (int d = 0; d <= partitionCount / 2; d++) {
            int after = (target + d) % partitionCount;
            if (owner[after] != joiner && load[owner[after]] == maxLoad) {
                return after;
            }
            int before = Math.floorMod(target - d, partitionCount);
            if (owner[before] != joiner && load[owner[before]] == maxLoad) {
                return before;
            }
        }
        throw new IllegalStateException("no partition owned by a node with " + maxLoad + " partitions");
    }

    private void checkPartition(int partition) {
        if (partition < 0 || partition >= partitionCount) {
            throw new InvalidArgumentException("partition must be in [0, " + partitionCount + "): " + partition);
        }
    }

    private static void requirePartitioner(Partitioner partitioner) {
        if (partitioner == null) {
            throw new InvalidArgumentException("partitioner is null");
        }
    }

    private static void checkPartitionCount(int partitionCount) {
        if (partitionCount < 1 || partitionCount > MAX_PARTITION_COUNT || Integer.bitCount(partitionCount) != 1) {
            throw new InvalidArgumentException("partitionCount must be a power of two from 1 to "
                    + MAX_PARTITION_COUNT + ": " + partitionCount);
        }
    }

    private static String checkNodeId(String nodeId) {
        if (nodeId == null || nodeId.isEmpty() || nodeId.length() > VectorClock.MAX_NODE_ID_LENGTH) {
            throw new InvalidArgumentException("node id must have 1 to " + VectorClock.MAX_NODE_ID_LENGTH
                    + " characters: " + (nodeId == null ? "null" : "\"" + nodeId + "\""));
        }
        return nodeId;
    }

    private static String summary(List<String> ids) {
        int shown = 10;
        if (ids.size() <= shown) {
            return ids.toString();
        }
        return "[" + String.join(", ", ids.subList(0, shown)) + ", ... (" + ids.size() + " in all)]";
    }
}
