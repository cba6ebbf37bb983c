package io.dynamo.core.antientropy;

import static java.util.Objects.requireNonNull;

import io.dynamo.api.Bytes;
import io.dynamo.api.InvalidArgumentException;
import io.dynamo.api.Versioned;
import io.dynamo.core.coordination.ReplicaStore;
import io.dynamo.core.storage.Quarantine;
import io.dynamo.spi.storage.StorageEngine;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * One node's {@link MerkleTree}s, one per data partition, kept current as writes land and
 * rebuilt from a storage scan ({@link StorageEngine#forEach}) the first time a partition's
 * tree is used after start, or after {@link #invalidate}.
 *
 * <p>Every change of a replica's key must be reported, as the node's {@link ReplicaStore} does
 * when this is its {@link ReplicaStore.ChangeListener}: {@link #begin} before it reaches the
 * engine, then the versions before and after, or the failure. The tree then stays equal to a rebuild from storage (see
 * {@link MerkleTree} for how concurrent writes and scans are reconciled).
 *
 * <p>Also remembers, per partition, the keys whose versions are all tombstones: the candidates
 * for tombstone collection. The set may hold keys that came alive again; whoever uses it reads
 * the key again. Thread-safe.
 */
public final class PartitionTrees implements ReplicaStore.ChangeListener {
    /** How many scans a rebuild makes at most before it leaves busy leaves to the exchanges. */
    static final int REBUILD_ATTEMPTS = 3;

    private final Quarantine engine;
    private final int depth;
    private final Map<Integer, PartitionState> states = new ConcurrentHashMap<>();

    private static final class PartitionState {
        final MerkleTree tree;
        final Set<Bytes> deadKeys = ConcurrentHashMap.newKeySet();
        boolean built; // guarded by this

        PartitionState(int depth) {
            this.tree = new MerkleTree(depth);
        }
    }

    public PartitionTrees(StorageEngine engine, int depth) {
        this(new Quarantine("partition trees", engine), depth);
    }

    /** Trees scanned through {@code engine}: an unreadable value is skipped and quarantined, never ending a build or a scan. */
    public PartitionTrees(Quarantine engine, int depth) {
        this.engine = requireNonNull(engine, "engine is null");
        if (depth < MerkleTree.MIN_DEPTH || depth > MerkleTree.MAX_DEPTH) {
            throw new InvalidArgumentException("tree depth must be in [" + MerkleTree.MIN_DEPTH + ", "
                    + MerkleTree.MAX_DEPTH + "]: " + depth);
        }
        this.depth = depth;
    }

    public int depth() {
        return depth;
    }

    /** A change of {@code key} in {@code partition} is about to reach storage. */
    @Override
    public Change begin(int partition, Bytes key) {
        if (partition < 0 || partition == StorageEngine.HINTS_PARTITION) {
            return Change.NONE;
        }
        int leaf = Digests.leafOf(key, depth);
        PartitionState state = state(partition);
        state.tree.beginUpdate(leaf);
        return new Change() {
            @Override
            public void completed(List<Versioned> before, List<Versioned> after) {
                long delta = Digests.keyDigest(key, before) ^ Digests.keyDigest(key, after);
                state.tree.completeUpdate(leaf, delta);
                if (isDead(after)) {
                    state.deadKeys.add(key);
                } else if (isDead(before)) {
                    state.deadKeys.remove(key);
                }
            }

            @Override
            public void failed() {
                state.tree.failUpdate(leaf);
            }
        };
    }

    /** The tree of {@code partition}, rebuilt from storage first if it was never built or was invalidated. */
    public MerkleTree tree(int partition) {
        checkPartition(partition);
        PartitionState state = state(partition);
        synchronized (state) {
            if (!state.built) {
                rebuild(partition, state);
                state.built = true;
            }
        }
        return state.tree;
    }

    /** A dropped partition's tree is rebuilt (empty) on its next use. */
    @Override
    public void dropped(int partition) {
        invalidate(partition);
    }

    /** Forgets what the tree of {@code partition} knows; the next use rebuilds it from storage. */
    public void invalidate(int partition) {
        checkPartition(partition);
        PartitionState state = state(partition);
        synchronized (state) {
            state.tree.unsettleAll();
            state.deadKeys.clear();
            state.built = false;
        }
    }

    /** The keys of {@code partition} last seen holding only tombstones. A snapshot. */
    public Set<Bytes> deadKeys(int partition) {
        tree(partition);
        return Set.copyOf(state(partition).deadKeys);
    }

    /**
     * The digest of every key of {@code partition} that falls in one of {@code leaves}, from a
     * storage scan. The scan also settles those leaves of the tree (see {@link MerkleTree#settle}).
     */
    public Map<Bytes, Long> scanLeaves(int partition, Set<Integer> leaves) {
        MerkleTree tree = tree(partition);
        boolean[] wanted = new boolean[tree.leafCount()];
        for (int leaf : leaves) {
            if (leaf < 0 || leaf >= wanted.length) {
                throw new InvalidArgumentException("leaf " + leaf + " outside [0, " + wanted.length + ")");
            }
            wanted[leaf] = true;
        }
        int[] before = tree.touches();
        long[] scanned = new long[tree.leafCount()];
        Map<Bytes, Long> digests = new HashMap<>();
        engine.forEach(partition, (key, versions) -> {
            int leaf = Digests.leafOf(key, depth);
            if (wanted[leaf]) {
                long digest = Digests.keyDigest(key, versions);
                scanned[leaf] ^= digest;
                digests.put(key, digest);
            }
        });
        for (int leaf : leaves) {
            tree.settle(leaf, scanned[leaf], before);
        }
        return digests;
    }

    private void rebuild(int partition, PartitionState state) {
        MerkleTree tree = state.tree;
        for (int attempt = 0; attempt < REBUILD_ATTEMPTS && (attempt == 0 || tree.unsettledLeaves() > 0); attempt++) {
            int[] before = tree.touches();
            long[] scanned = new long[tree.leafCount()];
            Set<Bytes> dead = new HashSet<>();
            engine.forEach(partition, (key, versions) -> {
                scanned[Digests.leafOf(key, depth)] ^= Digests.keyDigest(key, versions);
                if (isDead(versions)) {
                    dead.add(key);
                }
            });
            for (int leaf = 0; leaf < scanned.length; leaf++) {
                tree.settle(leaf, scanned[leaf], before);
            }
            state.deadKeys.addAll(dead);
        }
    }

    private PartitionState state(int partition) {
        return states.computeIfAbsent(partition, p -> new PartitionState(depth));
    }

    /** True when {@code versions} are all tombstones (and there is at least one). */
    static boolean isDead(List<Versioned> versions) {
        if (versions.isEmpty()) {
            return false;
        }
        for (Versioned v : versions) {
            if (!v.tombstone()) {
                return false;
            }
        }
        return true;
    }

    private static void checkPartition(int partition) {
        if (partition < 0 || partition == StorageEngine.HINTS_PARTITION) {
            throw new InvalidArgumentException("no tree for partition " + partition + ": only data partitions have trees");
        }
    }
}
