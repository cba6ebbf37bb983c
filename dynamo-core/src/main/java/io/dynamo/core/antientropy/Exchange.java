package io.dynamo.core.antientropy;

import io.dynamo.api.Bytes;
import io.dynamo.api.DynamoException;
import io.dynamo.api.Versioned;
import io.dynamo.core.coordination.ReplicaStore;
import io.dynamo.core.coordination.Scheduler;
import io.dynamo.core.messages.Message;
import io.dynamo.core.messages.MessageCodec;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;

/**
 * One anti-entropy exchange of one partition, this node (the initiator) with one peer:
 * <ol>
 *   <li>compare the roots, then, level by level, only the children of nodes that differ;</li>
 *   <li>for the leaves that differ, fetch the peer's key digests and compare them with a scan
 *       of the same leaves here;</li>
 *   <li>send this node's versions of the keys that differ; the peer merges them by causality
 *       and answers with the versions it holds that this node's did not cover, which this node
 *       merges in turn.</li>
 * </ol>
 * Each step waits as the {@link TokenBucket} says. Not thread-safe: one exchange runs one step
 * at a time.
 */
final class Exchange {
    private final int partition;
    private final String peer;
    private final PartitionTrees trees;
    private final ReplicaStore store;
    private final Peers peers;
    private final Scheduler scheduler;
    private final Executor executor;
    private final TokenBucket bucket;
    private final AntiEntropySettings settings;
    private final int depth;

    private long keysCompared;
    private long keysDiffering;
    private long keysSent;
    private long bytesSent;
    private long treeNodes;

    Exchange(int partition, String peer, PartitionTrees trees, ReplicaStore store, Peers peers, Scheduler scheduler,
            Executor executor, TokenBucket bucket, AntiEntropySettings settings) {
        this.partition = partition;
        this.peer = peer;
        this.trees = trees;
        this.store = store;
        this.peers = peers;
        this.scheduler = scheduler;
        this.executor = executor;
        this.bucket = bucket;
        this.settings = settings;
        this.depth = trees.depth();
    }

    /** Runs the exchange; completes with what it did (one exchange, no partition counted). */
    CompletableFuture<RoundReport> run() {
        return CompletableFuture.supplyAsync(() -> trees.tree(partition), executor)
                .thenCompose(tree -> compareLevel(tree, 0, List.of(0)))
                .thenApply(done -> new RoundReport(0, 1, 0, keysCompared, keysDiffering, keysSent, bytesSent, treeNodes, 0));
    }

    private CompletableFuture<Void> compareLevel(MerkleTree tree, int level, List<Integer> candidates) {
        return compareNodes(tree, level, candidates, 0, new ArrayList<>()).thenCompose(differing -> {
            if (differing.isEmpty()) {
                return CompletableFuture.completedFuture(null);
            }
            if (level == depth) {
                return compareLeaves(tree, differing, 0);
            }
            List<Integer> children = new ArrayList<>(differing.size() * 2);
            for (int index : differing) {
                children.add(2 * index);
                children.add(2 * index + 1);
            }
            return compareLevel(tree, level + 1, children);
        });
    }

    /** Compares {@code candidates[from...]} in batches; collects the indices that differ. */
    private CompletableFuture<List<Integer>> compareNodes(MerkleTree tree, int level, List<Integer> candidates, int from,
            List<Integer> differing) {
        if (from >= candidates.size()) {
            return CompletableFuture.completedFuture(differing);
        }
        List<Integer> batch = candidates.subList(from, Math.min(candidates.size(), from + settings.maxNodesPerMessage()));
        Message.TreeNodes request = new Message.TreeNodes(partition, depth, level, batch);
        return ask(request, Message.TreeHashes.class).thenComposeAsync(answer -> {
            if (answer.hashes().size() != batch.size()) {
                throw new DynamoException(peer + " answered " + answer.hashes().size() + " hashes for " + batch.size() + " nodes");
            }
            treeNodes += batch.size();
            long[] local = tree.hashes(level, batch);
            for (int i = 0; i < local.length; i++) {
                if (local[i] != answer.hashes().get(i)) {
                    differing.add(batch.get(i));
                }
            }
            return compareNodes(tree, level, candidates, from + batch.size(), differing);
        }, executor);
    }

    /** Compares the keys of {@code leaves[from...]}, a batch per request, and reconciles those that differ. */
    private CompletableFuture<Void> compareLeaves(MerkleTree tree, List<Integer> leaves, int from) {
        if (from >= leaves.size()) {
            return CompletableFuture.completedFuture(null);
        }
        // every leaf batch costs a partition scan on both sides: make batches as large as the digest limit allows
        long expectedPerLeaf = Math.max(1, 2 * store.engine().size(partition) / tree.leafCount());
        int perRequest = (int) Math.max(1, Math.min(settings.maxNodesPerMessage(), settings.maxDigestsPerMessage() / expectedPerLeaf));
        List<Integer> batch = leaves.subList(from, Math.min(leaves.size(), from + perRequest));
        return ask(new Message.LeafKeys(partition, depth, batch), Message.LeafDigests.class).thenComposeAsync(answer -> {
            Map<Bytes, Long> local = trees.scanLeaves(partition, new HashSet<>(batch));
            Map<Bytes, Long> remote = new HashMap<>();
            for (Message.KeyDigest k : answer.keys()) {
                remote.put(k.key(), k.digest());
            }
            Set<Bytes> differing = new TreeSet<>(); // sorted: the same order on every run
            Set<Bytes> all = new LinkedHashSet<>(local.keySet());
            all.addAll(remote.keySet());
            for (Bytes key : all) {
                if (!local.getOrDefault(key, 0L).equals(remote.getOrDefault(key, 0L))) {
                    differing.add(key);
                }
            }
            keysCompared += all.size();
            keysDiffering += differing.size();
            return reconcile(new ArrayList<>(differing), 0).thenCompose(done -> compareLeaves(tree, leaves, from + batch.size()));
        }, executor);
    }

    private CompletableFuture<Void> reconcile(List<Bytes> keys, int from) {
        if (from >= keys.size()) {
            return CompletableFuture.completedFuture(null);
        }
        List<Bytes> batch = keys.subList(from, Math.min(keys.size(), from + settings.maxKeysPerMessage()));
        List<Message.KeyVersions> mine = new ArrayList<>(batch.size());
        Set<Bytes> sent = new HashSet<>();
        for (Bytes key : batch) {
            List<Versioned> versions = store.read(partition, key);
            mine.add(new Message.KeyVersions(key, versions));
            if (!versions.isEmpty()) {
                sent.add(key);
            }
        }
        return ask(new Message.Reconcile(partition, mine), Message.Reconciled.class).thenComposeAsync(answer -> {
            for (Message.KeyVersions theirs : answer.keys()) {
                if (!theirs.versions().isEmpty()) {
                    store.merge(partition, theirs.key(), theirs.versions());
                    sent.add(theirs.key());
                }
            }
            keysSent += sent.size();
            return reconcile(keys, from + batch.size());
        }, executor);
    }

    /** Sends {@code request}, counts both directions' bytes, and pauses as the rate limit asks. */
    private <T extends Message.Response> CompletableFuture<T> ask(Message.Request request, Class<T> expected) {
        int requestBytes = MessageCodec.encode(request).length;
        return peers.send(peer, request, settings.timeout()).thenCompose(answer -> {
            if (!expected.isInstance(answer)) {
                throw new DynamoException(peer + " answered " + answer.getClass().getSimpleName() + " to "
                        + request.getClass().getSimpleName());
            }
            long bytes = requestBytes + MessageCodec.encode(answer).length;
            bytesSent += bytes;
            Duration pause = bucket.take(bytes);
            CompletableFuture<T> resumed = new CompletableFuture<>();
            if (pause.isZero()) {
                resumed.complete(expected.cast(answer));
            } else {
                scheduler.schedule(pause, () -> resumed.complete(expected.cast(answer)));
            }
            return resumed;
        });
    }
}
