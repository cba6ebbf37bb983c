package io.dynamo.core.antientropy;

import static java.util.Objects.requireNonNull;

import io.dynamo.api.Bytes;
import io.dynamo.api.InvalidArgumentException;
import io.dynamo.api.Versioned;
import io.dynamo.core.coordination.ClusterView;
import io.dynamo.core.coordination.ReplicaStore;
import io.dynamo.core.coordination.Scheduler;
import io.dynamo.core.coordination.Siblings;
import io.dynamo.core.messages.Message;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executor;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A node's anti-entropy: rounds of {@linkplain Exchange exchanges} with the other replicas of its
 * partitions, the peer side of those exchanges ({@link #handle}), and tombstone collection.
 *
 * <p><b>Who exchanges with whom.</b> The replicas of partition {@code p} are the first N nodes
 * of its preference list. In a periodic round each node exchanges with the replicas listed after
 * it, so every pair meets once per round and the partition's owner (listed first) meets all the
 * others; an operator's {@link #repair} exchanges with every other replica. One exchange runs
 * at a time on a node, and its traffic is held under {@code max-bytes-per-second}, so client
 * requests are never starved.
 *
 * <p><b>Tombstones</b> are collected by the owner of their partition only, and only once every
 * other replica was confirmed to hold them: when a round of the owner's begins, it notes the keys
 * whose versions are all tombstones (the candidates, with those versions); when exchanges with
 * every other replica have since completed — each started after the note, so each left the peer
 * holding the candidates' versions or versions that dominate them — the owner sends
 * {@link Message.CollectTombstones} to every replica and removes the keys itself. Each receiver
 * removes a key only if all it holds are tombstones the message covers. A replica that is down
 * cannot be confirmed, so nothing of its partitions is collected until it is back and has been
 * brought up to date; see the module README for why a returning replica cannot bring a deleted
 * key back.
 *
 * <p>Thread-safe. Heavy work (storage scans, merges) runs on the given executor.
 */
public final class AntiEntropy implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(AntiEntropy.class);

    private final String self;
    private final Supplier<ClusterView> view;
    private final int replicas;
    private final ReplicaStore store;
    private final PartitionTrees trees;
    private final Peers peers;
    private final Scheduler scheduler;
    private final Executor executor;
    private final AntiEntropySettings settings;
    private final TokenBucket bucket;
    /** Told what each round did (the node's metrics). */
    private final Consumer<RoundReport> onRound;
    private final AtomicLong exchangeSequence = new AtomicLong();
    /** Per partition owned: the candidates noted and the exchange sequence number at that moment. */
    private final Map<Integer, Sweep> sweeps = new ConcurrentHashMap<>();
    /** Per partition, per peer: sequence number of the last exchange with it that completed. */
    private final Map<Integer, Map<String, Long>> completed = new ConcurrentHashMap<>();
    private CompletableFuture<RoundReport> lastRound = CompletableFuture.completedFuture(RoundReport.EMPTY); // guarded by this
    private Scheduler.Cancellable next; // guarded by this
    private boolean closed; // guarded by this

    private record Sweep(long firstSequence, Map<Bytes, List<Versioned>> candidates) {}

    /** One partition of a round: its number and the peers to exchange with. */
    private record Task(int partition, List<String> peers, boolean owner) {}

    /**
     * @param replicas N, the number of replicas of each partition
     * @param store the node's replica store; its change listener must be {@code trees}
     */
    public AntiEntropy(String self, Supplier<ClusterView> view, int replicas, ReplicaStore store, PartitionTrees trees,
            Peers peers, Scheduler scheduler, Executor executor, AntiEntropySettings settings) {
        this(self, view, replicas, store, trees, peers, scheduler, executor, settings, report -> {});
    }

    /** As above; {@code onRound} is told what each completed round did. */
    public AntiEntropy(String self, Supplier<ClusterView> view, int replicas, ReplicaStore store, PartitionTrees trees,
            Peers peers, Scheduler scheduler, Executor executor, AntiEntropySettings settings,
            Consumer<RoundReport> onRound) {
        this.onRound = requireNonNull(onRound, "onRound is null");
        this.self = requireNonNull(self, "self is null");
        this.view = requireNonNull(view, "view is null");
        if (replicas < 1) {
            throw new InvalidArgumentException("replicas must be positive: " + replicas);
        }
        this.replicas = replicas;
        this.store = requireNonNull(store, "store is null");
        this.trees = requireNonNull(trees, "trees is null");
        this.peers = requireNonNull(peers, "peers is null");
        this.scheduler = requireNonNull(scheduler, "scheduler is null");
        this.executor = requireNonNull(executor, "executor is null");
        this.settings = requireNonNull(settings, "settings is null");
        if (settings.treeDepth() != trees.depth()) {
            throw new InvalidArgumentException("trees of depth " + trees.depth() + " but settings ask for " + settings.treeDepth());
        }
        this.bucket = new TokenBucket(settings.maxBytesPerSecond(), scheduler);
    }

    /** Starts the periodic rounds, unless the interval is zero. */
    public synchronized void start() {
        if (!closed && next == null && !settings.interval().isZero()) {
            next = scheduler.schedule(settings.interval(), this::tick);
        }
    }

    private void tick() {
        round(Optional.empty(), false).whenComplete((report, failure) -> {
            if (failure != null) {
                log.warn("{}: anti-entropy round failed", self, failure);
            } else if (report.keysDiffering() > 0 || report.failedExchanges() > 0 || report.tombstonesCollected() > 0) {
                log.info("{}: anti-entropy round: {}", self, report);
            }
            synchronized (this) {
                if (!closed) {
                    next = scheduler.schedule(settings.interval(), this::tick);
                }
            }
        });
    }

    /**
     * Runs one round now, with every other replica of {@code partition} (or of every partition
     * this node replicates), after any round in progress; completes with what it did.
     */
    public CompletableFuture<RoundReport> repair(Optional<Integer> partition) {
        requireNonNull(partition, "partition is null");
        partition.ifPresent(p -> {
            if (p < 0 || p >= view.get().ring().partitionCount()) {
                throw new InvalidArgumentException("partition " + p + " outside [0, " + view.get().ring().partitionCount() + ")");
            }
        });
        return round(partition, true).whenComplete((report, failure) -> {
            // an operator's round: one line when it did something or something failed, as for the periodic rounds
            if (report != null && (report.keysDiffering() > 0 || report.failedExchanges() > 0
                    || report.tombstonesCollected() > 0)) {
                log.info("{}: repair round{}: {}", self, partition.map(p -> " of partition " + p).orElse(""), report);
            }
        });
    }

    private synchronized CompletableFuture<RoundReport> round(Optional<Integer> partition, boolean everyPeer) {
        if (closed) {
            return CompletableFuture.failedFuture(new IllegalStateException("anti-entropy of " + self + " is closed"));
        }
        CompletableFuture<RoundReport> round = lastRound.handle((r, f) -> null)
                .thenCompose(ignored -> runTasks(tasks(partition, everyPeer), 0, RoundReport.EMPTY));
        lastRound = round;
        round.thenAccept(onRound);
        return round;
    }

    private List<Task> tasks(Optional<Integer> only, boolean everyPeer) {
        ClusterView current = view.get();
        List<Task> tasks = new ArrayList<>();
        int count = current.ring().partitionCount();
        for (int p = 0; p < count; p++) {
            if (only.isPresent() && only.get() != p) {
                continue;
            }
            List<String> list = current.ring().preferenceList(p, replicas);
            int at = list.indexOf(self);
            if (at < 0) {
                continue;
            }
            List<String> with = new ArrayList<>();
            for (int i = everyPeer ? 0 : at + 1; i < list.size(); i++) {
                if (i != at) {
                    with.add(list.get(i));
                }
            }
            if (!with.isEmpty()) {
                tasks.add(new Task(p, with, at == 0));
            }
        }
        return tasks;
    }

    private CompletableFuture<RoundReport> runTasks(List<Task> tasks, int index, RoundReport sum) {
        if (index >= tasks.size()) {
            return CompletableFuture.completedFuture(sum);
        }
        Task task = tasks.get(index);
        return CompletableFuture.supplyAsync(() -> {
                    if (task.owner() && settings.collectTombstones()) {
                        noteCandidates(task.partition());
                    }
                    return null;
                }, executor)
                .thenCompose(ignored -> runExchanges(task, 0, new RoundReport(1, 0, 0, 0, 0, 0, 0, 0, 0)))
                .thenCompose(report -> task.owner() && settings.collectTombstones()
                        ? collectIfConfirmed(task.partition()).thenApply(report::plus)
                        : CompletableFuture.completedFuture(report))
                .thenCompose(report -> runTasks(tasks, index + 1, sum.plus(report)));
    }

    private CompletableFuture<RoundReport> runExchanges(Task task, int index, RoundReport sum) {
        if (index >= task.peers().size()) {
            return CompletableFuture.completedFuture(sum);
        }
        String peer = task.peers().get(index);
        long sequence = exchangeSequence.incrementAndGet();
        Exchange exchange = new Exchange(task.partition(), peer, trees, store, peers, scheduler, executor, bucket, settings);
        return exchange.run().handle((report, failure) -> {
            if (failure != null) {
                log.debug("{}: exchange of partition {} with {} failed: {}", self, task.partition(), peer, failure.toString());
                return new RoundReport(0, 0, 1, 0, 0, 0, 0, 0, 0);
            }
            completed.computeIfAbsent(task.partition(), p -> new ConcurrentHashMap<>()).put(peer, sequence);
            return report;
        }).thenCompose(report -> runExchanges(task, index + 1, sum.plus(report)));
    }

    /** At the owner: notes the partition's dead keys and their versions, unless a note awaits confirmation. */
    private void noteCandidates(int partition) {
        if (sweeps.containsKey(partition)) {
            return;
        }
        Map<Bytes, List<Versioned>> candidates = new TreeMap<>();
        for (Bytes key : trees.deadKeys(partition)) {
            List<Versioned> versions = store.read(partition, key);
            if (PartitionTrees.isDead(versions)) {
                candidates.put(key, versions);
            }
        }
        if (!candidates.isEmpty()) {
            sweeps.put(partition, new Sweep(exchangeSequence.get() + 1, candidates));
        }
    }

    /** At the owner: collects the noted candidates if every other replica completed an exchange since the note. */
    private CompletableFuture<RoundReport> collectIfConfirmed(int partition) {
        Sweep sweep = sweeps.get(partition);
        if (sweep == null) {
            return CompletableFuture.completedFuture(RoundReport.EMPTY);
        }
        List<String> others = new ArrayList<>(view.get().ring().preferenceList(partition, replicas));
        others.remove(self);
        Map<String, Long> done = completed.getOrDefault(partition, Map.of());
        for (String other : others) {
            if (done.getOrDefault(other, 0L) < sweep.firstSequence()) {
                return CompletableFuture.completedFuture(RoundReport.EMPTY); // not confirmed yet: keep the note
            }
        }
        sweeps.remove(partition);
        List<Message.KeyVersions> tombstones = new ArrayList<>();
        sweep.candidates().forEach((key, versions) -> tombstones.add(new Message.KeyVersions(key, versions)));
        List<CompletableFuture<?>> sent = new ArrayList<>();
        for (String other : others) {
            for (int from = 0; from < tombstones.size(); from += settings.maxKeysPerMessage()) {
                List<Message.KeyVersions> batch = tombstones.subList(from, Math.min(tombstones.size(), from + settings.maxKeysPerMessage()));
                sent.add(peers.send(other, new Message.CollectTombstones(partition, batch), settings.timeout())
                        .exceptionally(failure -> {
                            // the peer keeps its tombstones; they come back here by anti-entropy and are collected again
                            log.debug("{}: collecting tombstones of partition {} at {} failed: {}", self, partition, other,
                                    failure.toString());
                            return null;
                        }));
            }
        }
        long removed = collect(partition, tombstones);
        return CompletableFuture.allOf(sent.toArray(CompletableFuture[]::new))
                .thenApply(ignored -> new RoundReport(0, 0, 0, 0, 0, 0, 0, 0, removed));
    }

    /** Removes each key whose versions are all tombstones covered by the given ones; returns how many. */
    private long collect(int partition, List<Message.KeyVersions> tombstones) {
        long removed = 0;
        for (Message.KeyVersions k : tombstones) {
            boolean[] collected = new boolean[1];
            store.update(partition, k.key(), stored -> {
                collected[0] = PartitionTrees.isDead(stored) && Siblings.covers(k.versions(), stored);
                return collected[0] ? List.of() : stored;
            });
            if (collected[0]) {
                removed++;
            }
        }
        return removed;
    }

    /**
     * The peer side: answers {@link Message.TreeNodes}, {@link Message.LeafKeys},
     * {@link Message.Reconcile} and {@link Message.CollectTombstones}; empty for any other request.
     */
    public Optional<CompletableFuture<Message.Response>> handle(Message.Request request) {
        if (request instanceof Message.TreeNodes m) {
            checkDepth(m.depth());
            return Optional.of(CompletableFuture.supplyAsync(() -> {
                long[] hashes = trees.tree(m.partition()).hashes(m.level(), m.indices());
                List<Long> list = new ArrayList<>(hashes.length);
                for (long h : hashes) {
                    list.add(h);
                }
                return new Message.TreeHashes(list);
            }, executor));
        }
        if (request instanceof Message.LeafKeys m) {
            checkDepth(m.depth());
            return Optional.of(CompletableFuture.supplyAsync(() -> {
                Map<Bytes, Long> digests = trees.scanLeaves(m.partition(), new java.util.HashSet<>(m.leaves()));
                List<Message.KeyDigest> keys = new ArrayList<>(digests.size());
                digests.forEach((key, digest) -> keys.add(new Message.KeyDigest(key, digest)));
                return new Message.LeafDigests(keys);
            }, executor));
        }
        if (request instanceof Message.Reconcile m) {
            return Optional.of(CompletableFuture.supplyAsync(() -> reconcile(m), executor));
        }
        if (request instanceof Message.CollectTombstones m) {
            return Optional.of(CompletableFuture.supplyAsync(() -> {
                collect(m.partition(), m.tombstones());
                return new Message.Ack();
            }, executor));
        }
        return Optional.empty();
    }

    private Message.Response reconcile(Message.Reconcile request) {
        List<Message.KeyVersions> lacking = new ArrayList<>();
        for (Message.KeyVersions theirs : request.keys()) {
            List<Versioned> mine = store.read(request.partition(), theirs.key());
            if (!theirs.versions().isEmpty()) {
                store.merge(request.partition(), theirs.key(), theirs.versions());
            }
            List<Versioned> notCovered = new ArrayList<>();
            for (Versioned v : mine) {
                if (!Siblings.covers(theirs.versions(), List.of(v))) {
                    notCovered.add(v);
                }
            }
            if (!notCovered.isEmpty()) {
                lacking.add(new Message.KeyVersions(theirs.key(), notCovered));
            }
        }
        return new Message.Reconciled(lacking);
    }

    private void checkDepth(int depth) {
        if (depth != trees.depth()) {
            throw new InvalidArgumentException("hash tree depth " + depth + " asked, but " + self + " keeps trees of depth "
                    + trees.depth() + ": set " + AntiEntropySettings.NAMESPACE + "." + AntiEntropySettings.TREE_DEPTH
                    + " alike on every node");
        }
    }

    /** The node's trees, for inspection. */
    public PartitionTrees trees() {
        return trees;
    }

    public AntiEntropySettings settings() {
        return settings;
    }

    /** Stops the periodic rounds; a round in progress finishes its current step. */
    @Override
    public synchronized void close() {
        closed = true;
        if (next != null) {
            next.cancel();
        }
    }

    @Override
    public String toString() {
        return "anti-entropy of " + self + " (tree depth " + trees.depth() + ")";
    }
}
