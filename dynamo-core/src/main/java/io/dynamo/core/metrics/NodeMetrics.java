package io.dynamo.core.metrics;

import static java.util.Objects.requireNonNull;

import io.dynamo.api.Versioned;
import io.dynamo.core.antientropy.RoundReport;
import io.dynamo.core.coordination.FailureDetector;
import io.dynamo.core.membership.MemberInfo;
import io.dynamo.core.membership.MemberState;
import io.dynamo.core.membership.Membership;
import io.dynamo.core.membership.MoveProgress;
import io.dynamo.core.membership.PhiAccrualFailureDetector;
import io.dynamo.core.messages.Message;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.DistributionSummary;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.micrometer.core.instrument.composite.CompositeMeterRegistry;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.micrometer.core.instrument.binder.jvm.ClassLoaderMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmMemoryMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmThreadMetrics;
import io.micrometer.core.instrument.binder.system.ProcessorMetrics;
import io.micrometer.core.instrument.binder.system.UptimeMetrics;
import io.micrometer.jmx.JmxConfig;
import io.micrometer.jmx.JmxMeterRegistry;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Supplier;
import java.util.function.ToDoubleFunction;

/**
 * A node's meters, over the node's one {@link MeterRegistry}. Every meter on a request path is
 * made here once, in the constructor (or once per peer, kept in a map): recording is an array
 * index and an atomic add, never a registry lookup or a string built per request.
 *
 * <p>Names follow Micrometer's dotted form; the Prometheus registry renders them as
 * {@code dynamo_coordinator_requests_seconds}, {@code dynamo_quorum_failures_total}, … (the table
 * in dynamo-server's README lists them all). Every meter carries the tag {@code node}.
 *
 * <p>Thread-safe. {@link #close()} closes the registry.
 */
public final class NodeMetrics implements AutoCloseable {
    /** Latency histograms cover 50 µs to 10 s: p50, p99 and p99.9 come from their buckets. */
    private static final Duration MIN_LATENCY = Duration.ofNanos(50_000);
    private static final Duration MAX_LATENCY = Duration.ofSeconds(10);
    private static final double[] SIBLING_BUCKETS = {1, 2, 3, 4, 5, 6, 8, 10, 16, 32, 64, 128};
    private static final double[] SIZE_BUCKETS = {16, 64, 256, 1024, 4096, 16384, 65536, 262144, 1048576, 4194304,
        16777216};

    private final MeterRegistry registry;
    /** False for a registry that keeps nothing ({@link #discarding}, {@code metrics.enabled=false}): requests skip their timing. */
    private final boolean recording;
    private final String nodeId;
    private final Timer[] coordinatorSucceeded = new Timer[Operation.values().length];
    private final Timer[] coordinatorFailed = new Timer[Operation.values().length];
    private final Timer[] replica = new Timer[Operation.values().length];
    private final Counter[][] quorumFailures = new Counter[Operation.values().length][QuorumFailureCause.values().length];
    private final Counter forwarded;
    private final Counter readRepairs;
    private final Counter conflicts;
    private final DistributionSummary siblings;
    private final DistributionSummary readSize;
    private final DistributionSummary writtenSize;
    private final ConcurrentMap<String, Counter> hintsStored = new ConcurrentHashMap<>();
    private final ConcurrentMap<String, Counter> hintsDelivered = new ConcurrentHashMap<>();
    private final ConcurrentMap<String, AtomicLong> hintsPending = new ConcurrentHashMap<>();
    private final Counter antiEntropyRounds;
    private final Counter antiEntropyExchanges;
    private final Counter antiEntropyExchangesFailed;
    private final Counter antiEntropyKeysCompared;
    private final Counter antiEntropyKeysDiffering;
    private final Counter antiEntropyKeysSent;
    private final Counter antiEntropyBytes;
    private final Counter streamedKeys;
    private final Counter streamedBytes;
    private final Set<String> phiPeers = ConcurrentHashMap.newKeySet();
    private volatile Membership membership;
    private volatile PhiAccrualFailureDetector phi;
    /** Set by {@link #publishing}: the registry the endpoint scrapes, the endpoint, and the registries' clock. */
    private volatile PrometheusMeterRegistry prometheus;
    private volatile MetricsEndpoint endpoint;
    private volatile CoarseClock clock;

    /** The meters of node {@code nodeId} in {@code registry}, which gets the common tag {@code node=nodeId}. */
    public NodeMetrics(String nodeId, MeterRegistry registry) {
        this.nodeId = requireNonNull(nodeId, "nodeId is null");
        this.registry = requireNonNull(registry, "registry is null");
        this.recording = !(registry instanceof CompositeMeterRegistry composite && composite.getRegistries().isEmpty());
        registry.config().commonTags("node", nodeId);
        for (Operation op : Operation.values()) {
            coordinatorSucceeded[op.ordinal()] = latency("dynamo.coordinator.requests",
                    "client requests this node coordinated, from its receipt to the quorum's answer", op, "success");
            coordinatorFailed[op.ordinal()] = latency("dynamo.coordinator.requests",
                    "client requests this node coordinated, from its receipt to the quorum's answer", op, "failure");
            replica[op.ordinal()] = Timer.builder("dynamo.replica.requests")
                    .description("reads and writes applied to this node's copy as a replica (its own copy as coordinator included)")
                    .tag("operation", op.tag)
                    .publishPercentileHistogram()
                    .minimumExpectedValue(MIN_LATENCY)
                    .maximumExpectedValue(MAX_LATENCY)
                    .register(registry);
            for (QuorumFailureCause cause : QuorumFailureCause.values()) {
                quorumFailures[op.ordinal()][cause.ordinal()] = Counter.builder("dynamo.quorum.failures")
                        .description("coordinated requests that failed, by cause")
                        .tag("operation", op.tag)
                        .tag("cause", cause.tag)
                        .register(registry);
            }
        }
        forwarded = Counter.builder("dynamo.coordinator.forwarded")
                .description("client requests passed on to an owner of the key").register(registry);
        readRepairs = Counter.builder("dynamo.read.repairs")
                .description("stale replicas sent the reconciled versions after a read").register(registry);
        conflicts = Counter.builder("dynamo.conditional.conflicts")
                .description("conditional writes refused: the key held versions their context did not cover")
                .register(registry);
        siblings = DistributionSummary.builder("dynamo.read.siblings")
                .description("versions a coordinated read that found the key returned (2 or more: siblings)")
                .serviceLevelObjectives(SIBLING_BUCKETS)
                .register(registry);
        readSize = DistributionSummary.builder("dynamo.object.size")
                .description("bytes of the values a coordinated read returned or a put wrote")
                .baseUnit("bytes").tag("operation", Operation.GET.tag)
                .serviceLevelObjectives(SIZE_BUCKETS).register(registry);
        writtenSize = DistributionSummary.builder("dynamo.object.size")
                .description("bytes of the values a coordinated read returned or a put wrote")
                .baseUnit("bytes").tag("operation", Operation.PUT.tag)
                .serviceLevelObjectives(SIZE_BUCKETS).register(registry);
        antiEntropyRounds = counter("dynamo.antientropy.rounds", "anti-entropy rounds completed");
        antiEntropyExchanges = Counter.builder("dynamo.antientropy.exchanges").tag("outcome", "success")
                .description("Merkle-tree exchanges with a peer").register(registry);
        antiEntropyExchangesFailed = Counter.builder("dynamo.antientropy.exchanges").tag("outcome", "failure")
                .description("Merkle-tree exchanges with a peer").register(registry);
        antiEntropyKeysCompared = counter("dynamo.antientropy.keys.compared", "key digests compared in differing leaves");
        antiEntropyKeysDiffering = counter("dynamo.antientropy.keys.differing", "keys whose digests differed");
        antiEntropyKeysSent = counter("dynamo.antientropy.keys.sent", "keys whose versions travelled, either way");
        antiEntropyBytes = Counter.builder("dynamo.antientropy.traffic").baseUnit("bytes")
                .description("bytes of anti-entropy requests and answers, both ways").register(registry);
        streamedKeys = counter("dynamo.stream.keys.sent", "keys this node streamed to a node taking over a partition");
        streamedBytes = Counter.builder("dynamo.stream.sent").baseUnit("bytes")
                .description("value bytes this node streamed to a node taking over a partition").register(registry);
    }

    /**
     * The meters of a node run as a server, per {@code settings}: a Prometheus registry (scraped
     * by the endpoint, when {@code metrics.port} is set, and by {@link #scrape()}), with a JMX
     * registry (domain {@code io.dynamo}) beside it when asked, and the JVM's meters; their clock
     * is a {@link CoarseClock}. With {@code metrics.enabled=false}, meters that record nothing.
     * The endpoint binds in {@link #start()}.
     */
    public static NodeMetrics publishing(String nodeId, MetricsSettings settings) {
        requireNonNull(settings, "settings is null");
        if (!settings.enabled()) {
            return discarding(nodeId);
        }
        CoarseClock clock = new CoarseClock(nodeId);
        PrometheusMeterRegistry prometheus = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT,
                new PrometheusRegistry(), clock);
        MeterRegistry registry = prometheus;
        if (settings.jmx()) {
            // a composite only when there are two registries: it costs every record a hop
            CompositeMeterRegistry composite = new CompositeMeterRegistry(clock);
            composite.add(prometheus);
            composite.add(new JmxMeterRegistry(new JmxConfig() {
                @Override
                public String get(String key) {
                    return null;
                }

                @Override
                public String domain() {
                    return "io.dynamo";
                }
            }, clock));
            registry = composite;
        }
        NodeMetrics metrics = new NodeMetrics(nodeId, registry);
        metrics.prometheus = prometheus;
        metrics.clock = clock;
        if (settings.jvm()) {
            new JvmMemoryMetrics().bindTo(registry);
            new GcMeters().bindTo(registry);
            new JvmThreadMetrics().bindTo(registry);
            new ClassLoaderMetrics().bindTo(registry);
            new ProcessorMetrics().bindTo(registry);
            new UptimeMetrics().bindTo(registry);
        }
        if (settings.serves()) {
            metrics.endpoint = new MetricsEndpoint(nodeId,
                    new InetSocketAddress(settings.address(), settings.port().getAsInt()), metrics::scrapeText);
        }
        return metrics;
    }

    /** Starts the Prometheus endpoint, if there is one. Returns this. */
    public NodeMetrics start() {
        MetricsEndpoint e = endpoint;
        if (e != null) {
            e.start();
        }
        return this;
    }

    /** The port the endpoint listens on, once started; empty when there is no endpoint. */
    public java.util.OptionalInt endpointPort() {
        MetricsEndpoint e = endpoint;
        return e == null || e.port() < 0 ? java.util.OptionalInt.empty() : java.util.OptionalInt.of(e.port());
    }

    /** The meters in the Prometheus text format, when this node has a Prometheus registry. */
    public java.util.Optional<String> scrape() {
        return prometheus == null ? java.util.Optional.empty() : java.util.Optional.of(scrapeText());
    }

    private String scrapeText() {
        refreshPeers();
        return prometheus.scrape();
    }

    /** Meters kept in memory only (tests, embedded nodes): read them through {@link #registry()}. */
    public static NodeMetrics inMemory(String nodeId) {
        return new NodeMetrics(nodeId, new SimpleMeterRegistry());
    }

    /** Meters that record nothing (a composite registry with no registry in it). */
    public static NodeMetrics discarding(String nodeId) {
        return new NodeMetrics(nodeId, new CompositeMeterRegistry());
    }

    public MeterRegistry registry() {
        return registry;
    }

    public String nodeId() {
        return nodeId;
    }

    // ---- coordination

    /**
     * Records {@code round}, a request this node coordinates as an owner, when it completes:
     * latency by outcome, failures by cause, and for reads the siblings and sizes returned.
     * Returns {@code round}.
     */
    public CompletableFuture<Message.Response> coordinated(Operation op, long startNanos, int valueBytes,
            CompletableFuture<Message.Response> round) {
        if (!recording) {
            return round;
        }
        if (op != Operation.GET && valueBytes >= 0) {
            writtenSize.record(valueBytes);
        }
        round.whenComplete((response, failure) -> {
            long nanos = System.nanoTime() - startNanos;
            if (failure == null) {
                coordinatorSucceeded[op.ordinal()].record(nanos, TimeUnit.NANOSECONDS);
                if (response instanceof Message.ReadResult read && !read.versions().isEmpty()) {
                    // a read that found nothing has no siblings to count
                    List<Versioned> versions = read.versions();
                    siblings.record(versions.size());
                    for (int i = 0; i < versions.size(); i++) {
                        readSize.record(versions.get(i).value().length());
                    }
                }
            } else {
                coordinatorFailed[op.ordinal()].record(nanos, TimeUnit.NANOSECONDS);
                Throwable cause = failure instanceof java.util.concurrent.CompletionException && failure.getCause() != null
                        ? failure.getCause() : failure;
                quorumFailures[op.ordinal()][QuorumFailureCause.of(cause).ordinal()].increment();
            }
        });
        return round;
    }

    /** A client request passed on to an owner. */
    public void forwarded() {
        forwarded.increment();
    }

    /** One stale replica sent the reconciled versions after a read. */
    /** A conditional write refused with a conflict (an answer, not a failure). */
    public void conflict() {
        conflicts.increment();
    }

    public void readRepair() {
        readRepairs.increment();
    }

    /** The start of a request to time: {@link System#nanoTime()}, or 0 when nothing is recorded. */
    public long startNanos() {
        return recording ? System.nanoTime() : 0;
    }

    /** A read or write applied to this node's copy, which took since {@code startNanos}. */
    public void replica(Operation op, long startNanos) {
        if (!recording) {
            return;
        }
        replica[op.ordinal()].record(System.nanoTime() - startNanos, TimeUnit.NANOSECONDS);
    }

    /** The operation a replica write stands for: a delete when it carries only tombstones. */
    public static Operation writeOperation(List<Versioned> versions) {
        for (int i = 0; i < versions.size(); i++) {
            if (!versions.get(i).tombstone()) {
                return Operation.PUT;
            }
        }
        return versions.isEmpty() ? Operation.PUT : Operation.DELETE;
    }

    // ---- hinted handoff

    /** A hinted write kept here for {@code target}. */
    public void hintStored(String target) {
        perTarget(hintsStored, target, "dynamo.hints.stored", "hinted writes kept for a target node").increment();
    }

    /** A hint delivered to {@code target} and acknowledged. */
    public void hintDelivered(String target) {
        perTarget(hintsDelivered, target, "dynamo.hints.delivered", "hints delivered to their target node").increment();
    }

    /** The hinted keys held now, per target (from a handoff round's scan); targets not named hold none. */
    public void hintsPending(Map<String, Long> byTarget) {
        for (Map.Entry<String, Long> e : byTarget.entrySet()) {
            pendingGauge(e.getKey()).set(e.getValue());
        }
        hintsPending.forEach((target, value) -> {
            if (!byTarget.containsKey(target)) {
                value.set(0);
            }
        });
    }

    private AtomicLong pendingGauge(String target) {
        return hintsPending.computeIfAbsent(target, t -> {
            AtomicLong value = new AtomicLong();
            Gauge.builder("dynamo.hints.pending", value, AtomicLong::get)
                    .description("hinted keys held for a target node, as of the last handoff round")
                    .tag("target", t).strongReference(true).register(registry);
            return value;
        });
    }

    private Counter perTarget(ConcurrentMap<String, Counter> counters, String target, String name, String description) {
        Counter counter = counters.get(target);
        if (counter == null) {
            counter = counters.computeIfAbsent(target,
                    t -> Counter.builder(name).description(description).tag("target", t).register(registry));
        }
        return counter;
    }

    // ---- anti-entropy and streams

    /** What one anti-entropy round (periodic or asked for) did. */
    public void antiEntropyRound(RoundReport report) {
        antiEntropyRounds.increment();
        antiEntropyExchanges.increment(report.exchanges());
        antiEntropyExchangesFailed.increment(report.failedExchanges());
        antiEntropyKeysCompared.increment(report.keysCompared());
        antiEntropyKeysDiffering.increment(report.keysDiffering());
        antiEntropyKeysSent.increment(report.keysSent());
        antiEntropyBytes.increment(report.bytesSent());
    }

    /** A batch of a partition this node streamed to a node taking it over. */
    public void streamed(Message.StreamBatch batch) {
        long bytes = 0;
        for (Message.KeyVersions key : batch.keys()) {
            bytes += key.key().length();
            for (Versioned v : key.versions()) {
                bytes += v.value().length();
            }
        }
        streamedKeys.increment(batch.keys().size());
        streamedBytes.increment(bytes);
    }

    // ---- gauges read when scraped

    /** Hinted keys held in all ({@code held} is called when the gauge is read). */
    public void hintsHeld(Supplier<Long> held) {
        gauge("dynamo.hints.held", "hinted keys held for all targets", held, s -> s.get());
    }

    /** Entries in the node's storage engine {@code engine}, summed over its partitions when read. */
    public void storageEntries(String engine, Supplier<Long> entries) {
        Gauge.builder("dynamo.storage.entries", entries, s -> s.get())
                .description("keys stored by the node's storage engine, all partitions").tag("engine", engine)
                .strongReference(true).register(registry);
    }

    /** Bytes the storage engine uses, when it can say ({@code bytes} returns a negative number when not). */
    public void storageBytes(String engine, Supplier<Long> bytes) {
        Gauge.builder("dynamo.storage.size", bytes, s -> {
            long b = s.get();
            return b < 0 ? Double.NaN : b;
        }).description("bytes the storage engine uses on disk or in memory").baseUnit("bytes").tag("engine", engine)
                .strongReference(true).register(registry);
    }

    /**
     * Gossip gauges: members by state, partition moves in progress, keys streamed to this node,
     * and (with a phi-accrual detector) the phi of each peer, registered as peers appear (see
     * {@link #refreshPeers()}).
     */
    public void membership(Membership membership, FailureDetector detector) {
        this.membership = requireNonNull(membership, "membership is null");
        this.phi = detector instanceof PhiAccrualFailureDetector p ? p : null;
        for (MemberState state : MemberState.values()) {
            String tag = state.name().toLowerCase(java.util.Locale.ROOT);
            Gauge.builder("dynamo.gossip.members", membership, m -> count(m, state))
                    .description("members this node's gossip knows, by state").tag("state", tag)
                    .strongReference(true).register(registry);
        }
        Gauge.builder("dynamo.partition.moves.active", membership, m -> {
            MoveProgress p = m.self().progress();
            return Math.max(0, p.partitionsTotal() - p.partitionsDone());
        }).description("partitions this node is receiving now").strongReference(true).register(registry);
        Gauge.builder("dynamo.partition.moves.keys.received", membership, m -> m.self().progress().keysStreamed())
                .description("keys streamed to this node by the current ring change").strongReference(true)
                .register(registry);
        refreshPeers();
    }

    private static double count(Membership membership, MemberState state) {
        int n = 0;
        for (MemberInfo member : membership.state().members().values()) {
            if (member.state() == state) {
                n++;
            }
        }
        return n;
    }

    /** Registers a phi gauge for each peer gossip knows and none had yet; called before each scrape. */
    public void refreshPeers() {
        Membership m = membership;
        PhiAccrualFailureDetector detector = phi;
        if (m == null || detector == null) {
            return;
        }
        for (String peer : m.state().members().keySet()) {
            if (!peer.equals(nodeId) && phiPeers.add(peer)) {
                Gauge.builder("dynamo.gossip.phi", detector, d -> d.phi(peer))
                        .description("phi-accrual suspicion of a peer (suspected above membership.phi-threshold)")
                        .tag("peer", peer).strongReference(true).register(registry);
            }
        }
    }

    private <T> void gauge(String name, String description, T source, ToDoubleFunction<T> value) {
        Gauge.builder(name, source, value).description(description).strongReference(true).register(registry);
    }

    private Counter counter(String name, String description) {
        return Counter.builder(name).description(description).register(registry);
    }

    private Timer latency(String name, String description, Operation op, String outcome) {
        return Timer.builder(name).description(description)
                .tag("operation", op.tag).tag("outcome", outcome)
                .publishPercentileHistogram()
                .minimumExpectedValue(MIN_LATENCY)
                .maximumExpectedValue(MAX_LATENCY)
                .register(registry);
    }

    /** Stops the endpoint and closes the registries and binders. Idempotent. */
    @Override
    public void close() {
        MetricsEndpoint e = endpoint;
        if (e != null) {
            e.close();
        }
        CoarseClock c = clock;
        if (c != null) {
            c.close();
        }
        registry.close();
    }
}
