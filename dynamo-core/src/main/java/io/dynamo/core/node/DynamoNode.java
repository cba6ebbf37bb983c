package io.dynamo.core.node;

import static java.util.Objects.requireNonNull;

import io.dynamo.api.DynamoStore;
import io.dynamo.api.InvalidArgumentException;
import io.dynamo.core.antientropy.AntiEntropy;
import io.dynamo.core.antientropy.AntiEntropySettings;
import io.dynamo.core.antientropy.RoundReport;
import io.dynamo.core.coordination.ClusterView;
import io.dynamo.core.coordination.FailureDetector;
import io.dynamo.core.coordination.MessageValidator;
import io.dynamo.core.coordination.QuorumCoordinator;
import io.dynamo.core.coordination.ReplicaClient;
import io.dynamo.core.coordination.Scheduler;
import io.dynamo.core.handoff.HintStore;
import io.dynamo.core.handoff.HintedHandoff;
import io.dynamo.core.membership.Membership;
import io.dynamo.core.messages.Message;
import io.dynamo.core.metrics.NodeMetrics;
import io.dynamo.core.plugin.PluginDescription;
import io.dynamo.core.ring.Ring;
import io.dynamo.core.storage.SyncPolicy;
import io.dynamo.core.store.CatalogEntry;
import io.dynamo.core.store.StoreCatalog;
import io.dynamo.core.store.StoreDefinition;
import io.dynamo.core.store.StoreFactory;
import io.dynamo.core.store.StoreLifecycle;
import io.dynamo.core.store.StoreParts;
import io.dynamo.core.coordination.Timeouts;
import io.dynamo.spi.resolution.ConflictResolver;
import io.dynamo.spi.storage.StorageEngine;
import io.dynamo.spi.transport.Endpoint;
import io.dynamo.spi.transport.RequestHandler;
import io.dynamo.spi.transport.Transport;
import java.time.Duration;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One Dynamo node: its storage, its view of the ring, its transport, the quorum coordinator,
 * the replica server and hinted handoff, put together.
 *
 * <p>{@link #start()} binds the transport and starts handoff; from then on the node serves
 * peers and clients. {@link #store()} is the node as an embedded {@link DynamoStore} (requests
 * coordinated or forwarded from here); {@link #coordinator()} is its asynchronous form.
 *
 * <p>It keeps a Merkle tree per partition and runs anti-entropy with the other replicas
 * ({@link #antiEntropy()}, {@link #repair}).
 *
 * <p>Its stores are those it was given and, on a node whose membership has a
 * {@link StoreFactory}, those of the run-time catalog, opened and dropped while it runs (see the
 * dynamo-core README, "Store catalog"): the store map is replaced whole on each change, so a request
 * sees one snapshot, and a store being dropped answers as an unknown store.
 *
 * <p>The node owns what it is given: {@link #close()} stops anti-entropy and handoff, then closes the transport,
 * the storage engine and the scheduler (when it is {@link AutoCloseable}), each even when an earlier
 * one failed.
 */
public final class DynamoNode implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(DynamoNode.class);
    /** How long closing waits for a scan of the node's own executor before it closes the storage engine. */
    private static final Duration OWN_EXECUTOR_GRACE = Duration.ofSeconds(5);

    private final NodeSettings settings;
    private final Transport transport;
    private final Scheduler scheduler;
    /**
     * Every store of the node by name, the default one first: replaced whole (under
     * {@link #storesLock}) when the catalog opens or drops a store, so a request reads one snapshot.
     */
    private volatile Map<String, StoreRuntime> stores;
    private final Object storesLock = new Object();
    private boolean closed; // guarded by storesLock
    /** The stores of the node config (the default one apart), as listed to admins: never opened or dropped by the catalog. */
    private final Map<String, StoreDefinition> configStores;
    /** What every store is given by this node, for the stores the catalog opens. */
    private final StoreRuntime.NodeParts nodeParts;
    /** Opens and drops the catalog's stores; empty when the node opens none. */
    private final Optional<StoreFactory> storeFactory;
    /** Where the catalog's stores are opened and dropped (I/O, never on a transport thread); null when none are. */
    private final Executor storesExecutor;
    /** The node's own thread for store opens and drops, when it has one. */
    private final ExecutorService ownStoresExecutor;
    /** The catalog entry each catalog store was opened with, by name. */
    private final Map<String, CatalogEntry> openedEntries = new java.util.concurrent.ConcurrentHashMap<>();
    /** The default store: requests that name no store. */
    private final StoreRuntime defaultStore;
    private final NodeRequestHandler handler;
    private final Draining draining;
    private final FailureDetector detector;
    private final ExecutorService ownExecutor;
    private final Membership membership;
    private final Supplier<ClusterView> view;
    /** Background syncs of every store with a sync policy, on a thread of their own; null when none has one. */
    private final ExecutorService syncExecutor;
    private final NodeMetrics metrics;
    private volatile Endpoint boundAt;

    public DynamoNode(NodeSettings settings, Supplier<ClusterView> view, StorageEngine storage, Transport transport,
            ConflictResolver resolver, Scheduler scheduler, FailureDetector detector) {
        this(settings, view, storage, transport, resolver, scheduler, detector, AntiEntropySettings.DEFAULT, null);
    }

    /**
     * A node with these anti-entropy settings. Anti-entropy scans and merges, and the scans that
     * serve partition streams, run on {@code antiEntropyExecutor}, or on a thread of the node's
     * own when it is null (a simulated cluster passes {@code Runnable::run} to stay on its one thread).
     */
    public DynamoNode(NodeSettings settings, Supplier<ClusterView> view, StorageEngine storage, Transport transport,
            ConflictResolver resolver, Scheduler scheduler, FailureDetector detector, AntiEntropySettings antiEntropySettings,
            Executor antiEntropyExecutor) {
        this(settings, view, storage, transport, resolver, scheduler, detector, antiEntropySettings, antiEntropyExecutor,
                List.of());
    }

    /** As above, with stores beyond the default one ({@link #store(String)}). */
    public DynamoNode(NodeSettings settings, Supplier<ClusterView> view, StorageEngine storage, Transport transport,
            ConflictResolver resolver, Scheduler scheduler, FailureDetector detector, AntiEntropySettings antiEntropySettings,
            Executor antiEntropyExecutor, List<StoreParts> otherStores) {
        this(settings, requireNonNull(view, "view is null"), null, storage, transport, resolver, scheduler, detector,
                antiEntropySettings, antiEntropyExecutor, List.of(), NodeMetrics.inMemory(settings.nodeId()), otherStores);
    }

    /**
     * A node whose view of the cluster comes from gossip ({@link Membership}): it starts from
     * {@code membership.founding()} (or from what a seed tells it, when joining) and follows
     * every ring change. A {@link io.dynamo.core.membership.PhiAccrualFailureDetector} as
     * {@code detector} is fed by gossip heartbeats.
     */
    public DynamoNode(NodeSettings settings, Membership.Options membership, StorageEngine storage, Transport transport,
            ConflictResolver resolver, Scheduler scheduler, FailureDetector detector, AntiEntropySettings antiEntropySettings,
            Executor antiEntropyExecutor) {
        this(settings, membership, storage, transport, resolver, scheduler, detector, antiEntropySettings,
                antiEntropyExecutor, List.of(), NodeMetrics.inMemory(settings.nodeId()));
    }

    /**
     * As above, with the plugins the node was assembled from, which it lists to an admin who asks
     * ({@link io.dynamo.core.messages.Message.Plugins}, {@code dynamo plugins --node}), recording
     * in {@code metrics}, which the node owns from now on: it starts the metrics endpoint with the
     * node and closes the registry last.
     */
    public DynamoNode(NodeSettings settings, Membership.Options membership, StorageEngine storage, Transport transport,
            ConflictResolver resolver, Scheduler scheduler, FailureDetector detector, AntiEntropySettings antiEntropySettings,
            Executor antiEntropyExecutor, List<PluginDescription> plugins, NodeMetrics metrics) {
        this(settings, membership, storage, transport, resolver, scheduler, detector, antiEntropySettings,
                antiEntropyExecutor, plugins, metrics, List.of());
    }

    /**
     * As above, with stores beyond the default one (each with its own engine, which the node owns
     * from now on, resolver and causality scheme; see {@link StoreRuntime}).
     */
    public DynamoNode(NodeSettings settings, Membership.Options membership, StorageEngine storage, Transport transport,
            ConflictResolver resolver, Scheduler scheduler, FailureDetector detector, AntiEntropySettings antiEntropySettings,
            Executor antiEntropyExecutor, List<PluginDescription> plugins, NodeMetrics metrics, List<StoreParts> otherStores) {
        this(settings, null, requireNonNull(membership, "membership is null"), storage, transport, resolver, scheduler,
                detector, antiEntropySettings, antiEntropyExecutor, plugins, metrics, otherStores);
    }

    private DynamoNode(NodeSettings settings, Supplier<ClusterView> staticView, Membership.Options membershipOptions,
            StorageEngine storage, Transport transport, ConflictResolver resolver, Scheduler scheduler,
            FailureDetector detector, AntiEntropySettings antiEntropySettings, Executor antiEntropyExecutor,
            List<PluginDescription> plugins, NodeMetrics metrics, List<StoreParts> otherStores) {
        this.settings = requireNonNull(settings, "settings is null");
        this.metrics = requireNonNull(metrics, "metrics is null");
        this.view = staticView != null ? staticView : this::gossipedView;
        requireNonNull(storage, "storage is null");
        this.transport = requireNonNull(transport, "transport is null");
        this.scheduler = requireNonNull(scheduler, "scheduler is null");
        this.detector = requireNonNull(detector, "detector is null");
        requireNonNull(antiEntropySettings, "antiEntropySettings is null");
        requireNonNull(otherStores, "otherStores is null");
        // background syncs on a thread of their own, so a slow device holds up neither timers nor scans
        boolean anySync = settings.sync().policy() != SyncPolicy.NONE || otherStores.stream()
                .anyMatch(other -> other.definition().sync().policy() != SyncPolicy.NONE);
        this.syncExecutor = antiEntropyExecutor == null && anySync ? Executors.newSingleThreadExecutor(runnable -> {
            Thread thread = new Thread(runnable, "sync-" + settings.nodeId());
            thread.setDaemon(true);
            return thread;
        }) : null;
        MessageValidator validator = new MessageValidator(settings.limits(), settings.replication().maxClockEntries(),
                settings.versionLimits(), scheduler::currentTimeMillis, view, settings.causality());
        ReplicaClient peers = new ReplicaClient(transport, view, detector, validator,
                settings.replication().timeout());
        this.ownExecutor = antiEntropyExecutor == null ? Executors.newSingleThreadExecutor(runnable -> {
            Thread thread = new Thread(runnable, "anti-entropy-" + settings.nodeId());
            thread.setDaemon(true);
            return thread;
        }) : null;
        Executor executor = antiEntropyExecutor == null ? ownExecutor : antiEntropyExecutor;
        StoreRuntime.NodeParts parts = new StoreRuntime.NodeParts(settings, view, transport, peers, detector, scheduler,
                antiEntropySettings, executor, syncExecutor != null ? syncExecutor : executor, metrics);
        this.nodeParts = parts;
        Map<String, StoreRuntime> byName = new LinkedHashMap<>();
        Map<String, StoreDefinition> fromConfig = new LinkedHashMap<>();
        this.defaultStore = new StoreRuntime(Message.InStore.DEFAULT_STORE, settings.replication(), settings.limits(),
                settings.versionLimits(), settings.sync(), storage, resolver, settings.causality(), parts);
        byName.put(defaultStore.name(), defaultStore);
        for (StoreParts other : otherStores) {
            StoreDefinition definition = other.definition();
            if (byName.containsKey(definition.name())) {
                throw new InvalidArgumentException("store " + definition.name() + " is given twice");
            }
            byName.put(definition.name(), runtimeOf(other, parts));
            fromConfig.put(definition.name(), definition);
        }
        this.stores = Collections.unmodifiableMap(byName);
        this.configStores = Collections.unmodifiableMap(fromConfig);
        this.storeFactory = membershipOptions == null ? Optional.empty() : membershipOptions.stores().factory();
        this.ownStoresExecutor = storeFactory.isPresent() && antiEntropyExecutor == null
                ? Executors.newSingleThreadExecutor(runnable -> {
                    Thread thread = new Thread(runnable, "stores-" + settings.nodeId());
                    thread.setDaemon(true);
                    return thread;
                }) : null;
        this.storesExecutor = ownStoresExecutor != null ? ownStoresExecutor : antiEntropyExecutor;
        Membership.Options options = membershipOptions;
        if (storeFactory.isPresent()) {
            StoreLifecycle told = membershipOptions.stores().lifecycle();
            options = membershipOptions.withStores(membershipOptions.stores().withLifecycle(new CatalogStores(told)));
        }
        this.membership = options == null ? null : new Membership(settings.nodeId(), settings.listen(),
                options, transport, stores.values().stream().map(StoreRuntime::membershipView).toList(),
                detector, scheduler, this::runHandoffs, executor);
        this.draining = new Draining(settings.nodeId(), defaultStore.hints(), defaultStore.handoff(), scheduler);
        List<CatalogEntry> listed = new java.util.ArrayList<>();
        listed.add(storeFactory.map(factory -> CatalogEntry.live(StoreCatalog.DEFAULT, factory.defaults().settings(), 0,
                settings.nodeId())).orElseGet(() -> defaultStore(settings)));
        configStores.values().stream().limit(StoreCatalog.MAX_ENTRIES)
                .forEach(definition -> listed.add(CatalogEntry.live(definition.name(), definition.settings(), 0, settings.nodeId())));
        this.handler = new NodeRequestHandler(this::stores, view, membership, new Message.PluginList(requireNonNull(plugins,
                "plugins is null")), metrics, draining, listed);
        metrics.hintsHeld(() -> stores.values().stream().mapToLong(s -> s.hints().size()).sum());
        metrics.storageEntries(storage.getClass().getSimpleName(), this::storedEntries);
        metrics.storageBytes(storage.getClass().getSimpleName(),
                () -> stores.values().stream().mapToLong(s -> s.engine().bytesUsed()).sum());
        if (membership != null) {
            metrics.membership(membership, detector);
        }
    }

    private static StoreRuntime runtimeOf(StoreParts other, StoreRuntime.NodeParts parts) {
        StoreDefinition definition = other.definition();
        return new StoreRuntime(definition.name(), definition.replication(), definition.limits(),
                definition.versionLimits(), definition.sync(), other.engine(), other.resolver(), other.causality(), parts);
    }

    /** The node's stores now, the default first. */
    private Map<String, StoreRuntime> stores() {
        return stores;
    }

    /**
     * The node's side of the store catalog: each call is handed to the node's stores executor (a
     * thread of its own, or the simulation's), in the order membership makes them, then told to
     * the lifecycle the node was given.
     */
    private final class CatalogStores implements StoreLifecycle {
        private final StoreLifecycle told;

        CatalogStores(StoreLifecycle told) {
            this.told = told;
        }

        @Override
        public void open(CatalogEntry entry) {
            run(() -> openCatalogStore(entry), () -> told.open(entry), "opened", entry.name());
        }

        @Override
        public void drop(String name) {
            run(() -> dropCatalogStore(name), () -> told.drop(name), "dropped", name);
        }

        private void run(Runnable work, Runnable tell, String what, String name) {
            try {
                storesExecutor.execute(() -> {
                    try {
                        work.run();
                    } catch (InvalidArgumentException e) {
                        // a setting this node cannot honour (a plugin it lacks): the message names the key
                        log.error("{}: store {} could not be {}: {}", settings.nodeId(), name, what, e.getMessage());
                    } catch (RuntimeException e) {
                        log.error("{}: store {} could not be {}", settings.nodeId(), name, what, e);
                    }
                    tell.run();
                });
            } catch (java.util.concurrent.RejectedExecutionException e) {
                log.info("{}: store {} not {}: the node is closing", settings.nodeId(), name, what);
            }
        }

        @Override
        public String toString() {
            return "stores of " + settings.nodeId() + (told == StoreLifecycle.NONE ? "" : " and " + told);
        }
    }

    /**
     * Opens the catalog's store {@code entry} on this node: its definition from the settings and
     * the node's defaults, its parts by the factory, then it serves (in the node's map and in
     * membership) and its handoff, syncs and anti-entropy start. Does nothing for a store open
     * already: a store's settings never change after its creation, so an entry with other settings
     * (a name dropped and created again is dropped first) is logged and the open store kept; a
     * store of the node config keeps its config on this node.
     */
    private void openCatalogStore(CatalogEntry entry) {
        String name = entry.name();
        StoreFactory factory = storeFactory.orElseThrow();
        synchronized (storesLock) {
            if (closed) {
                return;
            }
            if (configStores.containsKey(name)) {
                log.warn("{}: store {} of the catalog is defined in this node's config (store.{}.*), which it keeps",
                        settings.nodeId(), name, name);
                return;
            }
            if (stores.containsKey(name)) {
                CatalogEntry opened = openedEntries.get(name);
                if (opened != null && !opened.settings().equals(entry.settings())) {
                    log.warn("{}: store {} is open with {}; keeping it (a store's settings never change): {}",
                            settings.nodeId(), name, opened.settings(), entry.settings());
                }
                return;
            }
        }
        StoreParts parts = factory.make(factory.define(name, entry.settings()));
        StoreRuntime runtime = runtimeOf(parts, nodeParts);
        try {
            prepare(runtime);
        } catch (RuntimeException e) {
            parts.engine().close();
            throw e;
        }
        synchronized (storesLock) {
            if (closed) {
                parts.engine().close();
                return;
            }
            Map<String, StoreRuntime> next = new LinkedHashMap<>(stores);
            next.put(name, runtime);
            stores = Collections.unmodifiableMap(next);
            openedEntries.put(name, entry);
        }
        if (membership != null) {
            membership.addStore(runtime.membershipView());
        }
        runtime.handoff().start();
        runtime.durability().start();
        runtime.antiEntropy().start();
        log.info("{}: store {} open ({}, {}, {}; N={}, R={}, W={})", settings.nodeId(), name, parts.definition().resolver(),
                parts.definition().storage(), parts.definition().causality(), runtime.replication().replicas(),
                runtime.replication().readQuorum(), runtime.replication().writeQuorum());
    }

    /**
     * Drops the catalog's store {@code name} on this node: out of the node's map (requests for it
     * now fail as an unknown store) and out of membership first, then its background work stopped,
     * the requests being served let finish (bounded), its syncs stopped and its engine closed, and
     * only then its data deleted. A store of the node config is kept.
     */
    private void dropCatalogStore(String name) {
        StoreFactory factory = storeFactory.orElseThrow();
        if (configStores.containsKey(name)) {
            log.warn("{}: store {} is defined in this node's config (store.{}.*): not dropped here", settings.nodeId(),
                    name, name);
            return;
        }
        StoreRuntime runtime;
        synchronized (storesLock) {
            if (closed) {
                return;
            }
            runtime = stores.get(name);
            if (runtime != null) {
                Map<String, StoreRuntime> next = new LinkedHashMap<>(stores);
                next.remove(name);
                stores = Collections.unmodifiableMap(next);
                openedEntries.remove(name);
            }
        }
        if (runtime != null) {
            if (membership != null) {
                membership.removeStore(name);
            }
            RuntimeException failure = null;
            failure = step(failure, runtime.antiEntropy()::close);
            failure = step(failure, runtime.handoff()::close);
            failure = step(failure, () -> awaitServed(runtime));
            failure = step(failure, runtime.durability()::close);
            failure = step(failure, runtime.engine()::close);
            if (failure != null) {
                throw failure;
            }
        }
        factory.deleteData(name);
        log.info("{}: store {} dropped and its data deleted", settings.nodeId(), name);
    }

    /**
     * Waits (on a node with threads of its own; a simulation has none to wait for) for the
     * requests {@code runtime} is serving and for the scans queued on the node's executor before
     * now, each at most the grace, so that nothing runs on its engine once closed.
     */
    private void awaitServed(StoreRuntime runtime) {
        try {
            if (ownStoresExecutor == null) {
                runtime.closeRequests(Duration.ZERO); // a simulation runs nothing at the same time as this
                return;
            }
            Duration limit = Timeouts.withSlack(Timeouts.withSlack(runtime.replication().timeout()));
            if (!runtime.closeRequests(limit)) {
                log.warn("{}: requests to store {} still running after {} ms; closing it anyway", settings.nodeId(),
                        runtime.name(), limit.toMillis());
            }
            if (ownExecutor != null) {
                CompletableFuture.runAsync(() -> { }, ownExecutor)
                        .get(OWN_EXECUTOR_GRACE.toMillis(), TimeUnit.MILLISECONDS);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (java.util.concurrent.ExecutionException | java.util.concurrent.TimeoutException e) {
            log.warn("{}: a scan of the node's executor did not finish; closing store {} anyway", settings.nodeId(),
                    runtime.name());
        }
    }

    private void runHandoffs() {
        stores.values().forEach(s -> s.handoff().runOnce());
    }

    /** The {@code default} store's settings that this node can tell: those of its config (the resolver and engine it was given by instance). */
    private static CatalogEntry defaultStore(NodeSettings settings) {
        Map<String, String> known = new java.util.TreeMap<>();
        known.put("n", Integer.toString(settings.replication().replicas()));
        known.put("r", Integer.toString(settings.replication().readQuorum()));
        known.put("w", Integer.toString(settings.replication().writeQuorum()));
        known.put("timeout", settings.replication().timeout().toMillis() + "ms");
        known.put("max-clock-entries", Integer.toString(settings.replication().maxClockEntries()));
        known.put("max-value-size", Integer.toString(settings.limits().maxValueSize()));
        known.put("sibling-warn", Integer.toString(settings.versionLimits().siblingWarn()));
        known.put("max-siblings", Integer.toString(settings.versionLimits().maxSiblings()));
        return CatalogEntry.live(StoreCatalog.DEFAULT, known, 0, settings.nodeId());
    }

    /**
     * Completes once a drain (the {@code Drain} request, {@code dynamo drain}) has refused client
     * requests and handed off the hints it could, with the hints left per target node: whoever
     * runs the node then stops it. Never completes for a node that is not drained.
     */
    public CompletableFuture<Map<String, Long>> drained() {
        return draining.finished();
    }

    /** What the transport hands requests to. */
    RequestHandler handler() {
        return handler;
    }

    /**
     * Binds the transport and starts hinted handoff. Returns this node. A start that fails (a full
     * disk, a port in use) closes the node first, storage included, so the next start finds its
     * files closed cleanly instead of recovering them.
     */
    public DynamoNode start() {
        try {
            prepareStorage();
            boundAt = transport.bind(settings.listen(), handler);
            for (StoreRuntime store : stores.values()) {
                store.handoff().start();
                store.durability().start();
                store.antiEntropy().start();
            }
            if (membership != null) {
                membership.start();
            }
            metrics.start();
        } catch (RuntimeException | Error e) {
            try {
                close();
            } catch (RuntimeException suppressed) {
                e.addSuppressed(suppressed);
            }
            throw e;
        }
        log.info("node {} serving at {} (N={}, R={}, W={}){}", settings.nodeId(), boundAt,
                settings.replication().replicas(), settings.replication().readQuorum(), settings.replication().writeQuorum(),
                stores.size() == 1 ? "" : " with stores " + stores.keySet());
        return this;
    }

    public String id() {
        return settings.nodeId();
    }

    /** Where peers reach this node, once started. */
    public Endpoint endpoint() {
        return boundAt == null ? settings.listen() : boundAt;
    }

    /** The node as a blocking store (the default store); closing it does nothing (close the node). */
    public DynamoStore store() {
        return defaultStore.store();
    }

    /**
     * The store {@code name} of this node as a blocking store; closing it does nothing. Throws
     * {@link io.dynamo.api.UnknownStoreException} listing the node's stores when it has none of that name.
     */
    public DynamoStore store(String name) {
        return storeRuntime(name).store();
    }

    /** Everything the store {@code name} is on this node; throws {@link io.dynamo.api.UnknownStoreException}. */
    public StoreRuntime storeRuntime(String name) {
        return NodeRequestHandler.storeOf(stores, name);
    }

    /** The names of this node's stores, the default first. */
    public java.util.Set<String> storeNames() {
        return stores.keySet();
    }

    /** The node's coordinator: the asynchronous form of {@link #store()}. */
    public QuorumCoordinator coordinator() {
        return defaultStore.coordinator();
    }

    /** The default store's engine. */
    public StorageEngine storage() {
        return defaultStore.engine();
    }

    /** The hinted writes this node holds for others, of the default store. */
    public HintStore hints() {
        return defaultStore.hints();
    }

    /** The node's meters (see {@link NodeMetrics}). */
    public NodeMetrics metrics() {
        return metrics;
    }

    public HintedHandoff handoff() {
        return defaultStore.handoff();
    }

    public FailureDetector failureDetector() {
        return detector;
    }

    /** The node's anti-entropy: Merkle trees, exchanges, tombstone collection. */
    /** Stored values this node found unreadable and skipped (quarantined when the engine can), since it started. */
    public long unreadableValues() {
        return stores.values().stream().mapToLong(StoreRuntime::unreadableValues).sum();
    }

    /** The default store's anti-entropy. */
    public AntiEntropy antiEntropy() {
        return defaultStore.antiEntropy();
    }

    /** Runs one anti-entropy round of the default store now (see {@link AntiEntropy#repair}). */
    public CompletableFuture<RoundReport> repair(Optional<Integer> partition) {
        return defaultStore.antiEntropy().repair(partition);
    }

    /** The node's gossip membership, or empty when its view is static. */
    public Optional<Membership> membership() {
        return Optional.ofNullable(membership);
    }

    /**
     * Lets the engine create what it keeps per partition (a Chronicle map file) for every
     * partition this node replicates, before it serves: creating one on a first write would stall
     * that request and every other one on the same I/O thread. A joining node that does not know
     * the ring yet prepares its partitions as they move to it.
     */
    private void prepareStorage() {
        if (membership != null && !membership.hasView()) {
            return;
        }
        for (StoreRuntime store : stores.values()) {
            prepare(store);
        }
    }

    /** Prepares {@code store}'s partitions of this node (see {@link #prepareStorage}), when the node knows its ring. */
    private void prepare(StoreRuntime store) {
        if (membership != null && !membership.hasView()) {
            store.engine().prepare(StorageEngine.HINTS_PARTITION);
            return;
        }
        Ring ring = view.get().ring();
        int replicas = store.replication().replicas();
        for (int partition = 0; partition < ring.partitionCount(); partition++) {
            if (ring.preferenceList(partition, replicas).contains(settings.nodeId())) {
                store.engine().prepare(partition);
            }
        }
        store.engine().prepare(StorageEngine.HINTS_PARTITION);
    }

    /** Keys stored over every partition of the ring (the hints' partition apart), read when the gauge is. */
    private long storedEntries() {
        if (membership != null && !membership.hasView()) {
            return 0;
        }
        long entries = 0;
        int partitions = view.get().ring().partitionCount();
        for (StoreRuntime store : stores.values()) {
            for (int partition = 0; partition < partitions; partition++) {
                entries += store.engine().size(partition);
            }
        }
        return entries;
    }

    private ClusterView gossipedView() {
        return membership.view();
    }

    /**
     * Stops gossip, anti-entropy (waiting a bounded time for a scan in progress) and handoff,
     * then the transport (which lets requests in flight finish), and only then closes the
     * storage engine and the scheduler. Every step runs even when an earlier one failed, so the
     * storage engine is always closed; the first failure is thrown afterwards, with the others
     * suppressed in it. Idempotent.
     */
    @Override
    public void close() {
        RuntimeException failure = null;
        failure = step(failure, () -> {
            if (membership != null) {
                membership.close();
            }
        });
        failure = step(failure, this::stopStoresExecutor);
        Map<String, StoreRuntime> stores;
        synchronized (storesLock) {
            closed = true; // no store opens or drops from now on
            stores = this.stores;
        }
        for (StoreRuntime store : stores.values()) {
            failure = step(failure, store.antiEntropy()::close);
        }
        failure = step(failure, this::stopOwnExecutor);
        for (StoreRuntime store : stores.values()) {
            failure = step(failure, store.handoff()::close);
        }
        failure = step(failure, transport::close);
        for (StoreRuntime store : stores.values()) {
            failure = step(failure, store.durability()::close);
        }
        failure = step(failure, this::stopSyncExecutor);
        for (StoreRuntime store : stores.values()) {
            failure = step(failure, store.engine()::close);
        }
        failure = step(failure, metrics::close);
        failure = step(failure, () -> {
            if (scheduler instanceof AutoCloseable closeable) {
                try {
                    closeable.close();
                } catch (Exception e) {
                    log.warn("closing the scheduler of {} failed", settings.nodeId(), e);
                }
            }
        });
        if (failure != null) {
            throw failure;
        }
    }

    private static RuntimeException step(RuntimeException failure, Runnable step) {
        try {
            step.run();
            return failure;
        } catch (RuntimeException e) {
            if (failure == null) {
                return e;
            }
            failure.addSuppressed(e);
            return failure;
        }
    }

    /** Lets a store open or drop in progress finish (bounded), and runs no other. */
    private void stopStoresExecutor() {
        if (ownStoresExecutor == null) {
            return;
        }
        ownStoresExecutor.shutdown();
        try {
            if (!ownStoresExecutor.awaitTermination(OWN_EXECUTOR_GRACE.toMillis(), TimeUnit.MILLISECONDS)) {
                log.warn("{}: a store open or drop did not finish within {} ms", settings.nodeId(),
                        OWN_EXECUTOR_GRACE.toMillis());
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** Lets a background sync in progress finish (bounded), so none runs on a closed engine. */
    private void stopSyncExecutor() {
        if (syncExecutor == null) {
            return;
        }
        syncExecutor.shutdown();
        try {
            if (!syncExecutor.awaitTermination(OWN_EXECUTOR_GRACE.toMillis(), TimeUnit.MILLISECONDS)) {
                log.warn("{}: a background sync did not finish within {} ms; closing storage anyway",
                        settings.nodeId(), OWN_EXECUTOR_GRACE.toMillis());
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** Interrupts the node's anti-entropy and stream scans and waits for them, so none reads a closed engine. */
    private void stopOwnExecutor() {
        if (ownExecutor == null) {
            return;
        }
        ownExecutor.shutdownNow();
        try {
            if (!ownExecutor.awaitTermination(OWN_EXECUTOR_GRACE.toMillis(), TimeUnit.MILLISECONDS)) {
                log.warn("{}: an anti-entropy or stream scan did not stop within {} ms; closing storage anyway",
                        settings.nodeId(), OWN_EXECUTOR_GRACE.toMillis());
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    @Override
    public String toString() {
        return "node " + settings.nodeId();
    }
}
