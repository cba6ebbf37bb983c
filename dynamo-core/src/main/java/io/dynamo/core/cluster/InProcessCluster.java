package io.dynamo.core.cluster;

import static java.util.Objects.requireNonNull;

import io.dynamo.api.DynamoStore;
import io.dynamo.api.InvalidArgumentException;
import io.dynamo.core.antientropy.AntiEntropySettings;
import io.dynamo.core.causality.WriterSlots;
import io.dynamo.core.client.DynamoClient;
import io.dynamo.core.config.NodePluginContext;
import io.dynamo.core.config.ReadFanout;
import io.dynamo.core.config.ReplicationConfig;
import io.dynamo.core.coordination.ClusterView;
import io.dynamo.core.coordination.RequestLimits;
import io.dynamo.core.coordination.Scheduler;
import io.dynamo.core.coordination.SuspicionFailureDetector;
import io.dynamo.core.coordination.VersionLimits;
import io.dynamo.core.membership.MemberState;
import io.dynamo.core.membership.Membership;
import io.dynamo.core.membership.MembershipSettings;
import io.dynamo.core.membership.RingState;
import io.dynamo.core.node.DynamoNode;
import io.dynamo.core.node.NodeSettings;
import io.dynamo.core.resolution.VectorClockResolverFactory;
import io.dynamo.core.ring.Ring;
import io.dynamo.core.storage.MemoryStorageEngineFactory;
import io.dynamo.core.storage.SyncSettings;
import io.dynamo.core.store.StoreDefinition;
import io.dynamo.core.store.StoreParts;
import io.dynamo.core.transport.local.Faults;
import io.dynamo.core.transport.local.LocalNetwork;
import io.dynamo.spi.PluginConfig;
import io.dynamo.spi.PluginContext;
import io.dynamo.spi.causality.CausalityScheme;
import io.dynamo.spi.partition.Partitioner;
import io.dynamo.spi.resolution.ConflictResolver;
import io.dynamo.spi.resolution.ConflictResolverFactory;
import io.dynamo.spi.storage.StorageEngine;
import io.dynamo.spi.storage.StorageEngineFactory;
import io.dynamo.spi.transport.Endpoint;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Consumer;

/**
 * A cluster of {@link DynamoNode}s in one process, talking over a {@link LocalNetwork}: for
 * tests, examples and benchmarks.
 *
 * <p>Nodes are named {@code node-1} … {@code node-S} and listen at endpoints of the same names.
 * By default the network is {@linkplain LocalNetwork#simulated simulated}: everything runs on
 * the thread that waits for a result, on virtual time, and a run replays exactly from its seed;
 * use the blocking {@link #store} and {@link #client} from one thread, or the asynchronous
 * coordinator and client methods from inside scheduled events. A
 * {@linkplain Builder#realTime() real-time} cluster runs on threads and may be used from many.
 *
 * <p>A gossip cluster opens the stores of its run-time catalog on every node
 * ({@link Builder#catalogStores}); their engines, like the others, outlive crashes.
 *
 * <p>{@link #crash} kills a node's incarnation but keeps its storage engine, as a process
 * crash keeps its disk; {@link #restart} starts a new incarnation over the same engine (and so
 * the same hints). Closing the cluster closes every node and engine.
 */
public final class InProcessCluster implements AutoCloseable {
    private final Builder settings;
    private final LocalNetwork network;
    private final ClusterView view;
    private final Map<String, StorageEngine> engines = new LinkedHashMap<>();
    /** The engines of the stores beyond the default one, by node id and store name; they outlive crashes too. */
    private final Map<String, Map<String, StorageEngine>> storeEngines = new LinkedHashMap<>();
    /**
     * The parts of the stores the catalog opened, by node id and store name: they outlive crashes
     * (a restarted node opens its catalog's stores over them again) and go when a store is dropped.
     */
    private final Map<String, Map<String, StoreParts>> catalogParts = new java.util.concurrent.ConcurrentHashMap<>();
    private final Map<String, DynamoNode> nodes = new LinkedHashMap<>();
    private final List<DynamoClient> clients = new ArrayList<>();

    private InProcessCluster(Builder settings) {
        this.settings = settings;
        this.network = settings.simulated ? LocalNetwork.simulated(settings.seed)
                : LocalNetwork.realTime(settings.seed, settings.threads, false);
        network.setFaults(settings.faults);
        List<String> ids = new ArrayList<>();
        Map<String, Endpoint> endpoints = new LinkedHashMap<>();
        for (int i = 1; i <= settings.nodeCount; i++) {
            String id = "node-" + i;
            ids.add(id);
            endpoints.put(id, new Endpoint(id));
        }
        this.view = new ClusterView(Ring.create(ids, settings.partitions, settings.partitioner), endpoints);
        for (String id : ids) {
            createEngines(id);
            nodes.put(id, startNode(id));
        }
    }

    public static Builder builder() {
        return new Builder();
    }

    private DynamoNode startNode(String id) {
        return startNode(id, false);
    }

    /** {@code id}'s engines, new: the default store's and one per other store, in a directory of its own. */
    private void createEngines(String id) {
        engines.put(id, settings.storage.create(PluginConfig.empty(settings.storage.name()), contextOf(id)));
        Map<String, StorageEngine> byStore = new LinkedHashMap<>();
        for (ExtraStore store : settings.stores) {
            byStore.put(store.definition().name(), store.storage().create(PluginConfig.empty(store.storage().name()),
                    new NodePluginContext(id, settings.dataDirectory.resolve(id).resolve("stores")
                            .resolve(store.definition().name()))));
        }
        storeEngines.put(id, byStore);
    }

    private List<StoreParts> storeParts(String id) {
        List<StoreParts> parts = new ArrayList<>();
        for (ExtraStore store : settings.stores) {
            parts.add(new StoreParts(store.definition(), storeEngines.get(id).get(store.definition().name()),
                    store.resolver(), store.causality()));
        }
        return parts;
    }

    private DynamoNode startNode(String id, boolean standby) {
        ReplicationConfig replication = new ReplicationConfig(settings.n, settings.r, settings.w, settings.timeout,
                settings.maxClockEntries, settings.readFanout, settings.speculativeRetry, settings.primaries);
        NodeSettings nodeSettings = new NodeSettings(id, new Endpoint(id), settings.partitionerName, replication,
                settings.limits, settings.versionLimits, settings.handoffInterval, settings.causality, settings.sync);
        if (settings.membership != null) {
            boolean founding = view.ring().isMember(id);
            List<Endpoint> seeds = view.ring().members().subList(0, Math.min(settings.seedCount, view.ring().members().size()))
                    .stream().map(Endpoint::new).toList();
            Membership.Options options = new Membership.Options(settings.membership, seeds,
                    founding ? Optional.of(view) : Optional.empty(), !founding, settings.partitioner, standby && !founding,
                    io.dynamo.core.store.StoreHooks.of(new CatalogStoreFactory(id, replication))
                            .withLifecycle(settings.storeLifecycles.apply(id)));
            Scheduler scheduler = network.scheduler(id);
            return new DynamoNode(nodeSettings, options, engines.get(id), network.transport(id), settings.resolver,
                    scheduler, settings.membership.detector(scheduler::monotonicMillis), settings.antiEntropy,
                    settings.simulated ? Runnable::run : null, List.of(), io.dynamo.core.metrics.NodeMetrics.inMemory(id),
                    storeParts(id)).start();
        }
        return new DynamoNode(nodeSettings, () -> view, engines.get(id), network.transport(id), settings.resolver,
                network.scheduler(id), new SuspicionFailureDetector(), settings.antiEntropy,
                settings.simulated ? Runnable::run : null, storeParts(id)).start();
    }

    /**
     * Starts a new node {@code id} that joins the running cluster through the seeds (gossip
     * clusters only): it learns the ring from them, proposes the ring with itself, and receives
     * its partitions. Returns at once; run the network until {@link #settled()}.
     */
    public DynamoNode join(String id) {
        return join(id, false);
    }

    /**
     * Starts a new node {@code id} that joins gossip through the seeds but waits outside the
     * ring until an operator makes it replace a member ({@code Membership.replace}).
     */
    public DynamoNode standby(String id) {
        return join(id, true);
    }

    private DynamoNode join(String id, boolean standby) {
        if (settings.membership == null) {
            throw new InvalidArgumentException("join needs a gossip cluster (Builder.gossip)");
        }
        if (nodes.containsKey(id)) {
            throw new InvalidArgumentException("node " + id + " exists already; nodes: " + nodes.keySet());
        }
        createEngines(id);
        DynamoNode node = startNode(id, standby);
        nodes.put(id, node);
        return node;
    }

    /** Asks node {@code via} to decommission {@code id} (gossip clusters only). */
    public void decommission(String id, String via) {
        node(via).membership().orElseThrow(() -> new InvalidArgumentException("decommission needs a gossip cluster"))
                .decommission(id);
    }

    /**
     * True when every running node that has not left knows the same ring state, with no change
     * in progress (gossip clusters only).
     */
    public boolean settled() {
        RingState seen = null;
        for (Map.Entry<String, DynamoNode> entry : nodes.entrySet()) {
            if (!network.isUp(entry.getKey())) {
                continue;
            }
            Membership membership = entry.getValue().membership().orElseThrow();
            if (membership.self().state() == MemberState.LEFT) {
                continue;
            }
            RingState ring = membership.state().ring();
            if (!ring.known() || ring.moving() || (seen != null && !seen.equals(ring))) {
                return false;
            }
            seen = ring;
        }
        return seen != null;
    }

    private PluginContext contextOf(String id) {
        return new NodePluginContext(id, settings.dataDirectory.resolve(id));
    }

    /** The node ids, in order. */
    public List<String> nodeIds() {
        return List.copyOf(nodes.keySet());
    }

    /** The current incarnation of {@code id}. */
    public DynamoNode node(String id) {
        DynamoNode node = nodes.get(id);
        if (node == null) {
            throw new InvalidArgumentException("no node " + id + "; nodes: " + nodes.keySet());
        }
        return node;
    }

    /** {@code id}'s storage engine, which outlives its crashes. */
    public StorageEngine storage(String id) {
        node(id);
        return engines.get(id);
    }

    /** {@code id} as an embedded store (requests coordinated or forwarded from it). */
    public DynamoStore store(String id) {
        return node(id).store();
    }

    /** The store {@code store} of node {@code id}, embedded (requests coordinated or forwarded from it). */
    public DynamoStore store(String id, String store) {
        return node(id).store(store);
    }

    /** {@code id}'s storage engine of store {@code store}, which outlives its crashes. */
    public StorageEngine storage(String id, String store) {
        node(id);
        if (store.equals(io.dynamo.core.store.StoreDefinition.DEFAULT)) {
            return engines.get(id);
        }
        StorageEngine engine = storeEngines.get(id).get(store);
        if (engine == null) {
            throw new InvalidArgumentException("no store " + store + "; stores: default, "
                    + storeEngines.get(id).keySet());
        }
        return engine;
    }

    /** A new client named {@code name} that knows every node; closed with the cluster. */
    public DynamoClient client(String name) {
        return client(name, builder -> { });
    }

    /** A new client named {@code name} that knows every node, with {@code options} set on its builder. */
    public DynamoClient client(String name, Consumer<DynamoClient.Builder> options) {
        List<Endpoint> endpoints = new ArrayList<>(nodes.size());
        nodes.keySet().forEach(id -> endpoints.add(new Endpoint(id)));
        DynamoClient.Builder builder = DynamoClient.builder(network.transport(name), endpoints)
                .timeout(settings.timeout).limits(settings.limits);
        if (settings.simulated) {
            builder.scheduler(network.scheduler(name));
            // a seeded client id: a random one would change the bytes, and so the run, of every replay
            builder.clientId(simulatedClientId(name));
        }
        options.accept(builder);
        DynamoClient client = builder.build();
        synchronized (clients) {
            clients.add(client);
        }
        return client;
    }

    /** A client id that depends only on the seed and the client's name, never 0. */
    private long simulatedClientId(String name) {
        long id = new java.util.SplittableRandom(settings.seed * 31 + name.hashCode()).nextLong();
        return id == 0 ? 1 : id;
    }

    public LocalNetwork network() {
        return network;
    }

    public Ring ring() {
        return view.ring();
    }

    public ClusterView view() {
        return view;
    }

    /** Kills {@code id}'s process: no more messages, timers or answers; its storage stays. */
    public void crash(String id) {
        node(id);
        network.crash(id);
    }

    /** Starts a new incarnation of a crashed {@code id} over its storage engine. */
    public DynamoNode restart(String id) {
        node(id);
        if (network.isUp(id)) {
            throw new InvalidArgumentException(id + " has not crashed");
        }
        network.restart(id);
        DynamoNode node = startNode(id);
        nodes.put(id, node);
        return node;
    }

    public boolean isUp(String id) {
        return network.isUp(id);
    }

    /**
     * Replaces crashed {@code id}'s storage with a new, empty engine: a crash that lost the
     * disk. The next {@link #restart} starts over nothing, to be refilled by anti-entropy,
     * read repair and hinted handoff.
     */
    public void wipe(String id) {
        node(id);
        if (network.isUp(id)) {
            throw new InvalidArgumentException(id + " is running; crash it before wiping its storage");
        }
        engines.get(id).close();
        storeEngines.get(id).values().forEach(StorageEngine::close);
        Map<String, StoreParts> kept = catalogParts.remove(id);
        if (kept != null) {
            kept.values().forEach(parts -> parts.engine().close());
        }
        createEngines(id);
    }

    /** Hinted writes held anywhere in the cluster. */
    public long hintCount() {
        long count = 0;
        for (StorageEngine engine : engines.values()) {
            count += engine.size(StorageEngine.HINTS_PARTITION);
        }
        for (Map<String, StorageEngine> byStore : storeEngines.values()) {
            for (StorageEngine engine : byStore.values()) {
                count += engine.size(StorageEngine.HINTS_PARTITION);
            }
        }
        return count;
    }

    /** Runs until every hint was handed off, at most {@code limit}; returns whether none is left. */
    public boolean awaitHandoff(Duration limit) {
        return network.runUntil(() -> hintCount() == 0, limit);
    }

    @Override
    public void close() {
        synchronized (clients) {
            clients.forEach(DynamoClient::close);
        }
        for (String id : nodes.keySet()) {
            if (network.isUp(id)) {
                nodes.get(id).close();
            } else {
                engines.get(id).close();
                storeEngines.get(id).values().forEach(StorageEngine::close);
                catalogParts.getOrDefault(id, Map.of()).values().forEach(parts -> parts.engine().close());
            }
        }
        network.close();
    }

    /**
     * What opens the catalog's stores on node {@code id}: the builder's {@code catalogStores}
     * function, given a context with the store's own directory, or the parts kept from an
     * incarnation before a crash.
     */
    private final class CatalogStoreFactory implements io.dynamo.core.store.StoreFactory {
        private final String id;
        private final StoreDefinition defaults;

        CatalogStoreFactory(String id, ReplicationConfig replication) {
            this.id = id;
            this.defaults = new StoreDefinition(StoreDefinition.DEFAULT, replication, DEFAULT_RESOLVER,
                    settings.storage.name(), DEFAULT_CAUSALITY, settings.versionLimits, settings.limits, settings.sync);
        }

        @Override
        public StoreDefinition defaults() {
            return defaults;
        }

        @Override
        public StoreParts make(StoreDefinition definition) {
            Map<String, StoreParts> kept = catalogParts.computeIfAbsent(id, node -> new java.util.concurrent.ConcurrentHashMap<>());
            StoreParts parts = kept.get(definition.name());
            if (parts != null && parts.definition().equals(definition)) {
                return parts;
            }
            if (parts != null) {
                parts.engine().close();
            }
            parts = settings.catalogStores.apply(definition, new NodePluginContext(id,
                    settings.dataDirectory.resolve(id).resolve("stores").resolve(definition.name())));
            kept.put(definition.name(), parts);
            return parts;
        }

        @Override
        public void deleteData(String name) {
            Map<String, StoreParts> kept = catalogParts.get(id);
            StoreParts parts = kept == null ? null : kept.remove(name);
            if (parts != null) {
                parts.engine().close(); // closed already when the store was open; a memory engine's data goes with it
            }
        }
    }

    /** The name of the resolver and causality scheme a catalog store of this cluster takes when it names none. */
    private static final String DEFAULT_RESOLVER = "vector-clock";
    private static final String DEFAULT_CAUSALITY = "vector-clock";

    /**
     * The parts of a catalog store by its definition's names: the cluster's storage engine factory
     * when the store names it ({@code memory} always), the built-in resolvers and causality schemes.
     */
    private static StoreParts builtinParts(StorageEngineFactory clusterStorage, StoreDefinition definition,
            PluginContext context) {
        io.dynamo.core.BuiltinPlugin builtin = new io.dynamo.core.BuiltinPlugin();
        List<StorageEngineFactory> engines = new ArrayList<>(List.of(clusterStorage));
        engines.addAll(builtin.storageEngines());
        StorageEngineFactory storage = byName(engines, definition.storage(), definition.keyOf(StoreDefinition.STORAGE));
        ConflictResolverFactory resolver = byName(builtin.conflictResolvers(), definition.resolver(),
                definition.keyOf(StoreDefinition.RESOLVER));
        io.dynamo.spi.causality.CausalitySchemeFactory causality = byName(builtin.causalitySchemes(),
                definition.causality(), definition.keyOf(StoreDefinition.CAUSALITY));
        return new StoreParts(definition, storage.create(PluginConfig.empty(storage.name()), context),
                resolver.create(PluginConfig.empty(resolver.name()), context),
                causality.create(PluginConfig.empty(causality.name()), context));
    }

    private static <F extends io.dynamo.spi.ExtensionFactory<?>> F byName(List<F> factories, String name, String key) {
        return factories.stream().filter(factory -> factory.name().equals(name)).findFirst()
                .orElseThrow(() -> new io.dynamo.spi.ConfigException(key, "no plugin named '" + name + "' in this cluster;"
                        + " available: " + factories.stream().map(io.dynamo.spi.ExtensionFactory::name).distinct().toList()));
    }

    /** The parts store {@code store} of node {@code id} was opened with by the catalog, while it is open or crashed. */
    public Optional<StoreParts> catalogStore(String id, String store) {
        node(id);
        return Optional.ofNullable(catalogParts.getOrDefault(id, Map.of()).get(store));
    }

    /** A store beyond the default one and what makes its parts on each node. */
    private record ExtraStore(StoreDefinition definition, StorageEngineFactory storage, ConflictResolver resolver,
            CausalityScheme causality) {
        ExtraStore {
            requireNonNull(definition, "definition is null");
            requireNonNull(storage, "storage is null");
            requireNonNull(resolver, "resolver is null");
            requireNonNull(causality, "causality is null");
        }
    }

    /** Settings of an {@link InProcessCluster}. */
    public static final class Builder {
        private int nodeCount = 3;
        private int n = 3;
        private int r = 2;
        private int w = 2;
        private Duration timeout = Duration.ofSeconds(1);
        private int maxClockEntries = ReplicationConfig.DEFAULT_MAX_CLOCK_ENTRIES;
        private ReadFanout readFanout = ReplicationConfig.DEFAULT_READ_FANOUT;
        private Duration speculativeRetry = ReplicationConfig.DEFAULT_SPECULATIVE_RETRY;
        private io.dynamo.core.config.PrimaryQuorums primaries = io.dynamo.core.config.PrimaryQuorums.NONE;
        private long seed = 1;
        private boolean simulated = true;
        private int threads = 2;
        private int partitions = 64;
        private String partitionerName = "sha256";
        private Partitioner partitioner = DigestPartitioner.sha256();
        private StorageEngineFactory storage = new MemoryStorageEngineFactory();
        private SyncSettings sync = SyncSettings.NONE;
        private ConflictResolver resolver = new VectorClockResolverFactory().create(PluginConfig.empty("vector-clock"), null);
        private CausalityScheme causality = new WriterSlots();
        private final List<ExtraStore> stores = new ArrayList<>();
        private RequestLimits limits = RequestLimits.DEFAULT;
        private VersionLimits versionLimits = VersionLimits.DEFAULT;
        private Duration handoffInterval = Duration.ofMillis(500);
        private Faults faults = Faults.delay(Duration.ofMillis(1), Duration.ofMillis(1));
        private Path dataDirectory = Path.of(System.getProperty("java.io.tmpdir"), "dynamo-cluster");
        private AntiEntropySettings antiEntropy = AntiEntropySettings.DEFAULT.withInterval(Duration.ZERO);
        private MembershipSettings membership;
        private int seedCount = 1;
        private java.util.function.Function<String, io.dynamo.core.store.StoreLifecycle> storeLifecycles =
                id -> io.dynamo.core.store.StoreLifecycle.NONE;
        private java.util.function.BiFunction<StoreDefinition, PluginContext, StoreParts> catalogStores =
                (definition, context) -> builtinParts(storage, definition, context);

        private Builder() {}

        /** S, the number of nodes (default 3). */
        public Builder nodes(int count) {
            if (count < 1) {
                throw new InvalidArgumentException("a cluster needs at least one node: " + count);
            }
            this.nodeCount = count;
            return this;
        }

        /** N, R and W (default 3, 2, 2). */
        public Builder replication(int n, int r, int w) {
            this.n = n;
            this.r = r;
            this.w = w;
            return this;
        }

        /** The coordinator timeout (default 1 s, virtual when simulated). */
        public Builder timeout(Duration timeout) {
            this.timeout = requireNonNull(timeout, "timeout is null");
            return this;
        }

        /** The default pr and pw ({@code replication.pr}/{@code replication.pw}). */
        public Builder primaries(int pr, int pw) {
            this.primaries = new io.dynamo.core.config.PrimaryQuorums(pr, pw);
            return this;
        }

        public Builder maxClockEntries(int max) {
            this.maxClockEntries = max;
            return this;
        }

        /** Which replicas a read asks, and when a late quorum asks one more (default quorum, 10 ms). */
        public Builder reads(ReadFanout fanout, Duration speculativeRetry) {
            this.readFanout = requireNonNull(fanout, "fanout is null");
            this.speculativeRetry = requireNonNull(speculativeRetry, "speculativeRetry is null");
            return this;
        }

        /** The seed of the network's random source (default 1). */
        public Builder seed(long seed) {
            this.seed = seed;
            return this;
        }

        /** Run on real time and threads instead of a simulation. */
        public Builder realTime() {
            this.simulated = false;
            return this;
        }

        /** Delivery threads of a real-time network (default 2). */
        public Builder threads(int threads) {
            this.threads = threads;
            return this;
        }

        /** Q (default 64). */
        public Builder partitions(int partitions) {
            this.partitions = partitions;
            return this;
        }

        /**
         * The partitioner, and the name the nodes tell clients that place keys themselves
         * (default: SHA-256, {@code sha256}).
         */
        public Builder partitioner(String name, Partitioner partitioner) {
            this.partitionerName = requireNonNull(name, "name is null");
            this.partitioner = requireNonNull(partitioner, "partitioner is null");
            return this;
        }

        /** The storage engine every node gets one of (default {@code memory}). */
        public Builder storage(StorageEngineFactory storage) {
            this.storage = requireNonNull(storage, "storage is null");
            return this;
        }

        /** When every node syncs its writes (default {@code none}); the engine must be able to sync otherwise. */
        public Builder sync(SyncSettings sync) {
            this.sync = requireNonNull(sync, "sync is null");
            return this;
        }

        /** Where engines with files keep them: one subdirectory per node. */
        public Builder dataDirectory(Path directory) {
            this.dataDirectory = requireNonNull(directory, "directory is null");
            return this;
        }

        /** The conflict resolver every node uses (default {@code vector-clock}). */
        public Builder resolver(ConflictResolver resolver) {
            this.resolver = requireNonNull(resolver, "resolver is null");
            return this;
        }

        /**
         * A store beyond the default one, on every node: N, R and W of its own, the resolver
         * {@code resolver} makes, the cluster's storage engine factory (an engine of its own per
         * node) and causality scheme, and the cluster's timeout, limits and sync policy as set on this builder
         * so far (set them first).
         */
        public Builder store(String name, int n, int r, int w, ConflictResolverFactory resolver) {
            requireNonNull(resolver, "resolver is null");
            ReplicationConfig replication = new ReplicationConfig(n, r, w, timeout, maxClockEntries, readFanout,
                    speculativeRetry);
            return store(new StoreDefinition(name, replication, resolver.name(), storage.name(), "vector-clock",
                    versionLimits, limits, sync), storage, resolver.create(PluginConfig.empty(resolver.name()), null), causality);
        }

        /** A store beyond the default one, on every node, made as given. */
        public Builder store(StoreDefinition definition, StorageEngineFactory storage, ConflictResolver resolver,
                CausalityScheme causality) {
            ExtraStore store = new ExtraStore(definition, storage, resolver, causality);
            if (definition.isDefault() || stores.stream().anyMatch(s -> s.definition().name().equals(definition.name()))) {
                throw new InvalidArgumentException("store " + definition.name() + " is the default or given twice");
            }
            stores.add(store);
            return this;
        }

        /** The causality scheme every node stamps writes with (default {@code vector-clock}). */
        public Builder causality(CausalityScheme causality) {
            this.causality = requireNonNull(causality, "causality is null");
            return this;
        }

        public Builder limits(RequestLimits limits) {
            this.limits = requireNonNull(limits, "limits is null");
            return this;
        }

        /** Sibling and clock-skew limits (default {@link VersionLimits#DEFAULT}). */
        public Builder versionLimits(VersionLimits versionLimits) {
            this.versionLimits = requireNonNull(versionLimits, "versionLimits is null");
            return this;
        }

        /** How often hinted handoff runs (default 500 ms). */
        public Builder handoffInterval(Duration interval) {
            this.handoffInterval = requireNonNull(interval, "interval is null");
            return this;
        }

        /** The network's faults at start (default: every message delayed 1 ms). */
        public Builder faults(Faults faults) {
            this.faults = requireNonNull(faults, "faults is null");
            return this;
        }

        /**
         * Anti-entropy settings of every node (default: {@link AntiEntropySettings#DEFAULT}
         * without periodic rounds, so that a test runs them when it means to).
         */
        public Builder antiEntropy(AntiEntropySettings antiEntropy) {
            this.antiEntropy = requireNonNull(antiEntropy, "antiEntropy is null");
            return this;
        }

        /**
         * Nodes learn of each other by gossip with these settings, detect failures with a
         * phi-accrual detector, and can {@link InProcessCluster#join} and be decommissioned. The
         * first {@code seeds} nodes are the seeds. Without this call the view is static and the
         * failure detector suspicion-based.
         */
        /**
         * What each node (by id) tells of the stores its catalog opens and drops (gossip clusters
         * only); asked again at each restart, so a lifecycle kept per id sees every incarnation.
         */
        public Builder storeLifecycles(java.util.function.Function<String, io.dynamo.core.store.StoreLifecycle> lifecycles) {
            this.storeLifecycles = requireNonNull(lifecycles, "lifecycles is null");
            return this;
        }

        /**
         * What makes the parts of a store the catalog opens on a node (gossip clusters only), given
         * its definition and a context whose data directory is the store's own on that node
         * (default: the engine of the builder's storage factory when the store names it, else the
         * built-in {@code memory}; the built-in resolvers and causality schemes by name). A store
         * whose settings leave a name out takes {@code vector-clock} and the builder's storage.
         */
        public Builder catalogStores(java.util.function.BiFunction<StoreDefinition, PluginContext, StoreParts> make) {
            this.catalogStores = requireNonNull(make, "make is null");
            return this;
        }

        public Builder gossip(MembershipSettings membership, int seeds) {
            this.membership = requireNonNull(membership, "membership is null");
            if (seeds < 1) {
                throw new InvalidArgumentException("a gossip cluster needs at least one seed: " + seeds);
            }
            this.seedCount = seeds;
            return this;
        }

        public InProcessCluster build() {
            if (n > nodeCount) {
                throw new InvalidArgumentException("N=" + n + " is more than the " + nodeCount + " nodes");
            }
            return new InProcessCluster(this);
        }
    }
}
