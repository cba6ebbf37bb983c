package io.dynamo.core.antientropy;

import io.dynamo.api.InvalidArgumentException;
import java.util.Arrays;
import java.util.List;

/**
 * A hash tree over one partition of one replica: {@code 2^depth} leaves, each the XOR of the
 * {@linkplain Digests#keyDigest digests} of the keys that fall in it
 * ({@linkplain Digests#leafOf top key-hash bits}), and interior nodes that hash their two
 * children. Level 0 is the root; level {@code depth} holds the leaves; node {@code i} of level
 * {@code L} has children {@code 2i} and {@code 2i+1} of level {@code L+1}.
 *
 * <p><b>Kept current, not rebuilt.</b> A write XORs {@code digest(before) ^ digest(after)}
 * into its leaf ({@link #beginUpdate}/{@link #completeUpdate}); XOR commutes, so concurrent
 * writes of one leaf may complete in any order. Interior nodes are recomputed lazily, on the
 * first read after a change, along the paths of the changed leaves only.
 *
 * <p><b>Settled and unsettled leaves.</b> A new tree knows nothing: all its leaves are
 * unsettled. A storage scan settles a leaf — sets it to the XOR the scan computed — only if no
 * write of that leaf began, was in flight or completed while the scan ran
 * ({@link #touches()} before, {@link #settle} after); otherwise the scan cannot tell whether it
 * saw that write and the leaf stays unsettled for a later scan. Every anti-entropy exchange
 * scans the leaves it finds different, so a leaf that a rebuild could not settle is settled the
 * next time it is compared. A failed write unsettles its leaf.
 *
 * <p>Thread-safe: every method holds the tree's lock for a short, bounded time.
 */
public final class MerkleTree {
    /** The smallest and largest depth accepted: 2 to about a million leaves. */
    public static final int MIN_DEPTH = 1;
    public static final int MAX_DEPTH = 20;

    private final int depth;
    private final int leafCount;
    /** Heap layout: index 1 is the root, node i of level L is at {@code (1 << L) + i}. */
    private final long[] nodes;
    /** Per leaf: bumped when a write begins and when it ends. */
    private final int[] touches;
    private final int[] inFlight;
    /** Leaves whose ancestors are stale. */
    private final long[] dirty;
    /** Leaves no scan has settled since the tree was made or the leaf was unsettled. */
    private final long[] unsettled;
    private int unsettledCount;
    private boolean anyDirty;

    public MerkleTree(int depth) {
        if (depth < MIN_DEPTH || depth > MAX_DEPTH) {
            throw new InvalidArgumentException("tree depth must be in [" + MIN_DEPTH + ", " + MAX_DEPTH + "]: " + depth);
        }
        this.depth = depth;
        this.leafCount = 1 << depth;
        this.nodes = new long[2 * leafCount];
        this.touches = new int[leafCount];
        this.inFlight = new int[leafCount];
        this.dirty = new long[(leafCount + 63) / 64];
        this.unsettled = new long[(leafCount + 63) / 64];
        Arrays.fill(unsettled, -1L);
        if (leafCount < 64) {
            unsettled[0] = (1L << leafCount) - 1;
        }
        this.unsettledCount = leafCount;
        this.anyDirty = true;
        Arrays.fill(dirty, -1L);
        if (leafCount < 64) {
            dirty[0] = (1L << leafCount) - 1;
        }
    }

    public int depth() {
        return depth;
    }

    public int leafCount() {
        return leafCount;
    }

    /** A write of a key in {@code leaf} is about to reach storage. */
    public synchronized void beginUpdate(int leaf) {
        checkLeaf(leaf);
        touches[leaf]++;
        inFlight[leaf]++;
    }

    /** The write begun on {@code leaf} reached storage and changed its key's digest by {@code delta}. */
    public synchronized void completeUpdate(int leaf, long delta) {
        checkLeaf(leaf);
        touches[leaf]++;
        inFlight[leaf]--;
        if (delta != 0) {
            nodes[leafCount + leaf] ^= delta;
            markDirty(leaf);
        }
    }

    /** The write begun on {@code leaf} failed: whether it reached storage is unknown. */
    public synchronized void failUpdate(int leaf) {
        checkLeaf(leaf);
        touches[leaf]++;
        inFlight[leaf]--;
        if (!isSet(unsettled, leaf)) {
            set(unsettled, leaf);
            unsettledCount++;
        }
    }

    /** A copy of the per-leaf write counters, taken before a scan; see {@link #settle}. */
    public synchronized int[] touches() {
        return touches.clone();
    }

    /**
     * Sets {@code leaf} to {@code scanned}, the XOR a storage scan computed for it, if no write
     * of the leaf happened since {@code touchesBeforeScan} were taken; returns whether it did.
     */
    public synchronized boolean settle(int leaf, long scanned, int[] touchesBeforeScan) {
        checkLeaf(leaf);
        if (touches[leaf] != touchesBeforeScan[leaf] || inFlight[leaf] != 0) {
            return false;
        }
        if (nodes[leafCount + leaf] != scanned) {
            nodes[leafCount + leaf] = scanned;
            markDirty(leaf);
        }
        if (isSet(unsettled, leaf)) {
            clear(unsettled, leaf);
            unsettledCount--;
        }
        return true;
    }

    /** Unsettles every leaf: the tree must be rebuilt from storage before it is trusted again. */
    public synchronized void unsettleAll() {
        for (int leaf = 0; leaf < leafCount; leaf++) {
            set(unsettled, leaf);
        }
        unsettledCount = leafCount;
    }

    /** The number of leaves no scan has settled: 0 when the tree matches storage. */
    public synchronized int unsettledLeaves() {
        return unsettledCount;
    }

    /** True when {@code leaf} was settled by a scan and not unsettled since. */
    public synchronized boolean isSettled(int leaf) {
        checkLeaf(leaf);
        return !isSet(unsettled, leaf);
    }

    public long root() {
        return hash(0, 0);
    }

    /** The hash of node {@code index} of {@code level}. */
    public synchronized long hash(int level, int index) {
        checkNode(level, index);
        refresh();
        return nodes[(1 << level) + index];
    }

    /** The hashes of the given nodes of {@code level}, in order. */
    public synchronized long[] hashes(int level, List<Integer> indices) {
        long[] result = new long[indices.size()];
        refresh();
        for (int i = 0; i < result.length; i++) {
            int index = indices.get(i);
            checkNode(level, index);
            result[i] = nodes[(1 << level) + index];
        }
        return result;
    }

    /** The leaf values, for tests and comparisons: a copy. */
    public synchronized long[] leaves() {
        return Arrays.copyOfRange(nodes, leafCount, 2 * leafCount);
    }

    /** Recomputes the ancestors of changed leaves, level by level up to the root. */
    private void refresh() {
        if (!anyDirty) {
            return;
        }
        int changed = 0;
        for (long word : dirty) {
            changed += Long.bitCount(word);
        }
        int[] level = new int[changed];
        int count = 0;
        for (int word = 0; word < dirty.length; word++) {
            long bits = dirty[word];
            while (bits != 0) {
                int bit = Long.numberOfTrailingZeros(bits);
                bits &= bits - 1;
                level[count++] = leafCount + word * 64 + bit; // heap index, ascending
            }
            dirty[word] = 0;
        }
        while (count > 0 && level[0] > 1) {
            int parents = 0;
            for (int i = 0; i < count; i++) {
                int parent = level[i] >>> 1;
                if (parents == 0 || level[parents - 1] != parent) {
                    level[parents++] = parent;
                    nodes[parent] = Digests.combine(nodes[2 * parent], nodes[2 * parent + 1]);
                }
            }
            count = parents;
        }
        anyDirty = false;
    }

    private void markDirty(int leaf) {
        set(dirty, leaf);
        anyDirty = true;
    }

    private void checkLeaf(int leaf) {
        if (leaf < 0 || leaf >= leafCount) {
            throw new InvalidArgumentException("leaf " + leaf + " outside [0, " + leafCount + ")");
        }
    }

    private void checkNode(int level, int index) {
        if (level < 0 || level > depth) {
            throw new InvalidArgumentException("level " + level + " outside [0, " + depth + "]");
        }
        if (index < 0 || index >= 1 << level) {
            throw new InvalidArgumentException("node " + index + " outside level " + level + " of " + (1 << level) + " nodes");
        }
    }

    private static boolean isSet(long[] bits, int i) {
        return (bits[i >>> 6] & (1L << i)) != 0;
    }

    private static void set(long[] bits, int i) {
        bits[i >>> 6] |= 1L << i;
    }

    private static void clear(long[] bits, int i) {
        bits[i >>> 6] &= ~(1L << i);
    }
}
