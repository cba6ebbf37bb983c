package io.dynamo.core.node;

import static java.util.Objects.requireNonNull;

import io.dynamo.api.Bytes;
import io.dynamo.api.Context;
import io.dynamo.api.DynamoStore;
import io.dynamo.api.ReadResult;
import io.dynamo.api.RequestOptions;
import io.dynamo.core.antientropy.AntiEntropy;
import io.dynamo.core.antientropy.AntiEntropySettings;
import io.dynamo.core.antientropy.PartitionTrees;
import io.dynamo.core.config.ReplicationConfig;
import io.dynamo.core.coordination.ClusterView;
import io.dynamo.core.coordination.FailureDetector;
import io.dynamo.core.coordination.MessageValidator;
import io.dynamo.core.coordination.QuorumCoordinator;
import io.dynamo.core.coordination.ReplicaClient;
import io.dynamo.core.coordination.ReplicaStore;
import io.dynamo.core.coordination.RequestLimits;
import io.dynamo.core.coordination.Scheduler;
import io.dynamo.core.coordination.Timeouts;
import io.dynamo.core.coordination.VersionLimits;
import io.dynamo.core.handoff.HintStore;
import io.dynamo.core.handoff.HintedHandoff;
import io.dynamo.core.membership.Membership;
import io.dynamo.core.metrics.NodeMetrics;
import io.dynamo.core.storage.Durability;
import io.dynamo.core.storage.Quarantine;
import io.dynamo.core.storage.SyncSettings;
import io.dynamo.spi.causality.CausalityScheme;
import io.dynamo.spi.resolution.ConflictResolver;
import io.dynamo.spi.storage.StorageEngine;
import io.dynamo.spi.transport.Transport;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Supplier;

/**
 * One store on one node: its storage engine (its data apart from every other store's), the
 * quarantine, Merkle trees, replica store and hints kept in that engine, the coordinator with the
 * store's N/R/W, resolver, causality scheme and limits, hinted handoff and anti-entropy. Every
 * request it sends to peers names its store ({@link ReplicaClient#forStore}), so none of those
 * parts knows which store it serves. The node holds one per store, by name.
 */
public final class StoreRuntime {
    private final String name;
    private final ReplicationConfig replication;
    private final StorageEngine engine;
    private final Quarantine quarantine;
    private final Durability durability;
    private final ReplicaStore replicas;
    private final MessageValidator validator;
    private final ReplicaClient peers;
    private final HintStore hints;
    private final QuorumCoordinator coordinator;
    private final HintedHandoff handoff;
    private final AntiEntropy antiEntropy;
    private final Scheduler scheduler;
    private final DynamoStore embedded;
    /** Requests being served: counted without a lock, as every request of every store passes here. */
    private final AtomicInteger inFlight = new AtomicInteger();
    /** Dropped: takes no more requests. */
    private volatile boolean closing;

    /** What a store is given by its node, the same for every store of it. */
    record NodeParts(NodeSettings settings, Supplier<ClusterView> view, Transport transport, ReplicaClient nodePeers,
            FailureDetector detector, Scheduler scheduler, AntiEntropySettings antiEntropySettings, Executor executor,
            Executor syncExecutor, NodeMetrics metrics) {}

    StoreRuntime(String name, ReplicationConfig replication, RequestLimits limits, VersionLimits versionLimits,
            SyncSettings sync, StorageEngine engine, ConflictResolver resolver, CausalityScheme causality, NodeParts node) {
        this.name = requireNonNull(name, "name is null");
        this.replication = requireNonNull(replication, "replication is null");
        this.engine = requireNonNull(engine, "engine is null");
        this.scheduler = node.scheduler();
        NodeSettings settings = node.settings();
        this.quarantine = new Quarantine(settings.nodeId(), engine);
        PartitionTrees trees = new PartitionTrees(quarantine, node.antiEntropySettings().treeDepth());
        this.durability = new Durability(settings.nodeId() + " store " + name, engine, sync, node.scheduler(),
                node.syncExecutor());
        this.replicas = new ReplicaStore(quarantine, trees, causality, durability);
        this.validator = new MessageValidator(limits, replication.maxClockEntries(), versionLimits,
                node.scheduler()::currentTimeMillis, node.view(), causality);
        this.peers = node.nodePeers().forStore(name, validator, replication.timeout());
        this.hints = new HintStore(quarantine, node.metrics(), durability);
        this.coordinator = new QuorumCoordinator(settings.nodeId(), settings.partitioner(), replication, limits,
                node.view(), replicas, hints, peers, node.detector(), resolver, node.scheduler(), validator, node.metrics());
        this.handoff = new HintedHandoff(settings.nodeId(), hints, peers, node.detector(), node.scheduler(),
                settings.handoffInterval(), replication.timeout());
        this.antiEntropy = new AntiEntropy(settings.nodeId(), node.view(), replication.replicas(), replicas, trees,
                peers::send, node.scheduler(), node.executor(), node.antiEntropySettings(),
                node.metrics()::antiEntropyRound);
        this.embedded = new EmbeddedStore();
    }

    public String name() {
        return name;
    }

    /**
     * Counts a request in; false once the store is being dropped (the request must not touch it).
     * The count rises before {@code closing} is read and {@link #closeRequests} sets {@code closing}
     * before it reads the count, so either the request sees the drop or the drop waits for it.
     */
    boolean enter() {
        inFlight.incrementAndGet();
        if (closing) {
            exit();
            return false;
        }
        return true;
    }

    /** Counts a request out. */
    void exit() {
        if (inFlight.decrementAndGet() == 0 && closing) {
            synchronized (this) {
                notifyAll();
            }
        }
    }

    /**
     * Takes no more requests and waits, at most {@code limit}, for those being served; returns
     * whether none is left.
     */
    synchronized boolean closeRequests(Duration limit) throws InterruptedException {
        closing = true;
        long until = System.nanoTime() + limit.toNanos();
        while (inFlight.get() > 0) {
            long left = until - System.nanoTime();
            if (left <= 0) {
                return false;
            }
            java.util.concurrent.TimeUnit.NANOSECONDS.timedWait(this, left);
        }
        return true;
    }

    /** N, R, W and the timeout of this store. */
    public ReplicationConfig replication() {
        return replication;
    }

    /** The store as a blocking {@link DynamoStore}, its requests coordinated or forwarded from this node. */
    public DynamoStore store() {
        return embedded;
    }

    public QuorumCoordinator coordinator() {
        return coordinator;
    }

    public StorageEngine engine() {
        return engine;
    }

    /** When this store's writes are made durable ({@code sync}); started and closed by the node. */
    public Durability durability() {
        return durability;
    }

    public HintStore hints() {
        return hints;
    }

    public HintedHandoff handoff() {
        return handoff;
    }

    public AntiEntropy antiEntropy() {
        return antiEntropy;
    }

    ReplicaStore replicas() {
        return replicas;
    }

    MessageValidator validator() {
        return validator;
    }

    long unreadableValues() {
        return quarantine.found();
    }

    /** What membership needs of this store to move, stream and drop its partitions. */
    Membership.StoreReplicas membershipView() {
        return new Membership.StoreReplicas(name, replicas, replication.replicas(), peers);
    }

    @Override
    public String toString() {
        return "store " + name;
    }

    private final class EmbeddedStore implements DynamoStore {
        @Override
        public ReadResult get(Bytes key, RequestOptions options) {
            return await(coordinator.get(key, options), options);
        }

        @Override
        public Context put(Bytes key, Bytes value, Context context, RequestOptions options) {
            return await(coordinator.put(key, value, context, options), options);
        }

        @Override
        public Context delete(Bytes key, Context context, RequestOptions options) {
            return await(coordinator.delete(key, context, options), options);
        }

        private <T> T await(CompletableFuture<T> future, RequestOptions options) {
            Duration timeout = options.timeout() == null ? replication.timeout() : options.timeout();
            // the coordinator enforces the timeout; the slack covers a forwarding hop
            return scheduler.await(future, Timeouts.withSlack(Timeouts.withSlack(timeout)));
        }

        @Override
        public void close() {}
    }
}
