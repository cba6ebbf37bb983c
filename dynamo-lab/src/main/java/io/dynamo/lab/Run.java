package io.dynamo.lab;

import io.dynamo.api.Bytes;
import io.dynamo.api.InvalidArgumentException;
import io.dynamo.api.ReadResult;
import io.dynamo.api.RequestOptions;
import io.dynamo.api.Versioned;
import io.dynamo.core.antientropy.AntiEntropySettings;
import io.dynamo.core.client.DynamoClient;
import io.dynamo.core.cluster.InProcessCluster;
import io.dynamo.core.coordination.Scheduler;
import io.dynamo.core.membership.MembershipSettings;
import io.dynamo.core.ring.Ring;
import io.dynamo.core.transport.local.Faults;
import io.dynamo.core.transport.local.LocalNetwork;
import io.dynamo.core.transport.local.NetworkEvent;
import io.dynamo.spi.storage.StorageEngine;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.SplittableRandom;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.function.IntConsumer;

/**
 * One run: one experiment, one strategy, one seed, on a fresh simulated cluster. Clients are
 * event-driven on virtual time (each waits its think time, invokes, and on completion goes on),
 * so many operations are in flight at once and the same seed replays the same run. The fault
 * schedule fires as shares of the operations are invoked. After the last operation every fault
 * heals, crashed nodes restart, and the run waits (virtual time) for the replicas of every key
 * written to agree, then reads every key at R=N and scores the result.
 */
final class Run {
    /** Upper edges (ms) of the PBS bins: a read falls in the first bin its age fits. */
    static final long[] PBS_BINS = {0, 1, 2, 5, 10, 20, 50, 100, 200, 500, 1000, 2000, 5000};
    private static final Duration CONVERGENCE_STEP = Duration.ofMillis(100);

    private final Experiment experiment;
    private final Strategy strategy;
    private final Strategies strategies;
    private final long seed;
    private final String sweep;
    private final IntConsumer progress;

    private InProcessCluster cluster;
    private LocalNetwork network;
    private Scheduler clock;
    private Workload workload;
    private History history;
    private final SplittableRandom random;
    private final List<Client> clients = new ArrayList<>();
    private final List<Workload.Write> writes = new ArrayList<>();
    private final Map<String, List<Workload.Write>> acknowledgedByKey = new HashMap<>();
    private final Set<String> keysWritten = new TreeSet<>();
    private int invoked;
    private int completed;
    private int okCount;
    private int failCount;
    private int infoCount;
    private final long[] versionCounts = new long[5];
    private long measuredReads;
    private long maxSiblings;
    private long multiVersionReadsOnHotKeys;
    private long readMetadataBytes;
    private long staleReads;
    private long versionsBehind;
    private long ryw;
    private long monotonic;
    private final long[] pbsReads = new long[PBS_BINS.length];
    private final long[] pbsConsistent = new long[PBS_BINS.length];
    private final List<Long> latenciesMicros = new ArrayList<>();

    private final class Client {
        final int process;
        final String name;
        final boolean robot;
        final DynamoClient store;
        final Map<String, Integer> newestSeen = new HashMap<>(); // key -> position in its acknowledged list

        Client(int process, boolean robot) {
            this.process = process;
            this.robot = robot;
            this.name = (robot ? "robot-" : "client-") + process;
            this.store = cluster.client(name);
        }
    }

    Run(Experiment experiment, Strategy strategy, Strategies strategies, long seed, String sweep, IntConsumer progress) {
        this.experiment = experiment;
        this.strategy = strategy;
        this.strategies = strategies;
        this.seed = seed;
        this.sweep = sweep;
        this.progress = progress;
        this.random = new SplittableRandom(seed);
    }

    RunResult execute() {
        AntiEntropySettings antiEntropy = AntiEntropySettings.DEFAULT
                .withInterval(experiment.antiEntropy() ? experiment.antiEntropyInterval() : Duration.ZERO);
        InProcessCluster.Builder builder = InProcessCluster.builder();
        if (experiment.gossip()) {
            builder.gossip(MembershipSettings.DEFAULT, 1);
        }
        try (InProcessCluster built = builder.nodes(experiment.nodes())
                .replication(experiment.n(), experiment.r(), experiment.w()).partitions(experiment.partitions())
                .seed(seed).timeout(experiment.timeout()).maxClockEntries(experiment.maxClockEntries())
                .causality(strategies.causality(strategy)).resolver(strategies.resolver(strategy))
                .faults(experiment.network()).antiEntropy(antiEntropy)
                .dataDirectory(Path.of(System.getProperty("java.io.tmpdir"), "dynamo-lab")).build()) {
            cluster = built;
            network = cluster.network();
            clock = network.scheduler("lab");
            workload = Workload.of(experiment.workload(), ValueModel.of(strategy));
            history = new History(network.currentTimeMillis() * 1000);
            int robots = experiment.workload() == WorkloadKind.ROBOTS ? experiment.robots() : 0;
            for (int i = 0; i < experiment.clients() + robots; i++) {
                clients.add(new Client(i, i >= experiment.clients()));
            }
            clients.forEach(this::next);
            network.runUntil(() -> completed == experiment.operations(), Duration.ofDays(365));
            if (completed != experiment.operations()) {
                throw new IllegalStateException("the run stalled after " + completed + " operations");
            }
            List<NetworkEvent> traffic = network.history();
            long bytes = traffic.stream().mapToLong(NetworkEvent::size).sum();
            double[] convergence = settle();
            Map<String, List<Bytes>> finals = finalReads();
            return result(traffic.size(), bytes, convergence, finals);
        }
    }

    // ---- the workload ----

    private void next(Client client) {
        Duration think = client.robot ? experiment.robotThinkTime() : experiment.thinkTime();
        long micros = think.toNanos() / 1000;
        long wait = micros == 0 ? 0 : random.nextLong(2 * micros + 1);
        clock.schedule(Duration.ofNanos(wait * 1000), () -> step(client));
    }

    private void step(Client client) {
        if (invoked >= experiment.operations()) {
            return;
        }
        int op = invoked++;
        faults(op);
        String key = client.robot ? "hot-" + random.nextInt(experiment.hotKeys())
                : "key-" + experiment.popularity().pick(random, experiment.keys());
        // A write is a read-modify-write: the read, then at once the write with its context.
        boolean thenWrite = client.robot || random.nextDouble() >= experiment.readShare();
        read(client, op, key, thenWrite);
    }

    private boolean measured(int op) {
        return op >= experiment.warmup() * experiment.operations();
    }

    private void read(Client client, int op, String key, boolean thenWrite) {
        long start = network.currentTimeMillis() * 1000;
        history.add("invoke", client.process, "read", key, "nil", start);
        client.store.getAsync(Bytes.utf8(key), RequestOptions.DEFAULT).whenComplete((read, failure) -> {
            long end = network.currentTimeMillis() * 1000;
            if (failure != null) {
                failCount++;
                history.add("fail", client.process, "read", key, "nil", end);
            } else {
                okCount++;
                history.add("ok", client.process, "read", key, workload.edn(read.values()), end);
                if (measured(op)) {
                    latenciesMicros.add(end - start);
                    observe(client, key, read, start);
                }
                // A client that sees siblings merges them and writes the merge back, as Dynamo's clients do.
                boolean write = thenWrite || read.versions().size() > 1;
                if (write && invoked < experiment.operations()) {
                    completed++;
                    progress.accept(completed);
                    int writeOp = invoked++;
                    faults(writeOp);
                    write(client, writeOp, key, read);
                    return;
                }
            }
            done(client);
        });
    }

    private void write(Client client, int op, String key, ReadResult basis) {
        Workload.Write write = workload.plan(op, client.process, key, basis.values(), random);
        Bytes value = workload.value(write, basis.values());
        String f = workload.writeF(write);
        long start = network.currentTimeMillis() * 1000;
        write.invokeMicros = start;
        writes.add(write);
        keysWritten.add(key);
        String edn = History.string(write.token);
        history.add("invoke", client.process, f, key, edn, start);
        client.store.putAsync(Bytes.utf8(key), value, basis.context(), RequestOptions.DEFAULT).whenComplete((context, failure) -> {
            long end = network.currentTimeMillis() * 1000;
            if (failure == null) {
                okCount++;
                write.outcome = "ok";
                write.ackMicros = end;
                acknowledgedByKey.computeIfAbsent(key, k -> new ArrayList<>()).add(write);
                if (measured(op)) {
                    latenciesMicros.add(end - start);
                }
            } else if (rootCause(failure) instanceof InvalidArgumentException) {
                failCount++;
                write.outcome = "fail"; // refused before anything was stored
            } else {
                infoCount++;
                write.outcome = "info"; // timed out or short of W: it may have been applied
            }
            history.add(write.outcome, client.process, f, key, edn, end);
            done(client);
        });
    }

    private static Throwable rootCause(Throwable failure) {
        Throwable t = failure;
        while (t.getCause() != null && t.getCause() != t) {
            t = t.getCause();
        }
        return t;
    }

    private void done(Client client) {
        completed++;
        progress.accept(completed);
        next(client);
    }

    /** Versions per read, metadata, PBS staleness and session guarantees of one successful read. */
    private void observe(Client client, String key, ReadResult read, long invokeMicros) {
        int versions = read.versions().size();
        measuredReads++;
        versionCounts[Math.min(versions, 4)]++; // [0]: the key was not found
        if (versions > 1 && key.startsWith("hot-")) {
            multiVersionReadsOnHotKeys++;
        }
        maxSiblings = Math.max(maxSiblings, versions);
        readMetadataBytes += read.context().clock().toBytes().length;
        List<Workload.Write> acknowledged = acknowledgedByKey.getOrDefault(key, List.of());
        int latest = acknowledged.size() - 1;
        while (latest >= 0 && acknowledged.get(latest).ackMicros > invokeMicros) {
            latest--;
        }
        if (latest < 0) {
            return;
        }
        List<Bytes> values = read.values();
        Workload.Write newest = acknowledged.get(latest);
        boolean consistent = workload.reflects(newest, values);
        long ageMillis = (invokeMicros - newest.ackMicros) / 1000;
        int bin = 0;
        while (bin < PBS_BINS.length - 1 && ageMillis > PBS_BINS[bin]) {
            bin++;
        }
        pbsReads[bin]++;
        if (consistent) {
            pbsConsistent[bin]++;
        }
        int newestReflected = latest;
        while (newestReflected >= 0 && latest - newestReflected < 100
                && !workload.reflects(acknowledged.get(newestReflected), values)) {
            newestReflected--;
        }
        if (!consistent) {
            staleReads++;
            versionsBehind += latest - newestReflected;
        }
        for (int i = latest; i >= 0; i--) {
            Workload.Write own = acknowledged.get(i);
            if (own.client == client.process) {
                if (i == latest && !workload.reflects(own, values)) {
                    ryw++; // its own write is the latest acknowledged one, and the read does not show it
                }
                break;
            }
        }
        Integer before = client.newestSeen.put(key, newestReflected);
        if (before != null && newestReflected < before) {
            monotonic++;
        }
    }

    // ---- faults ----

    private void faults(int op) {
        for (ScheduledFault scheduled : experiment.faults()) {
            if (op == (int) Math.floor(scheduled.start() * experiment.operations())) {
                start(scheduled.fault());
                scheduled.endAfter().ifPresent(length -> clock.schedule(length, () -> end(scheduled.fault())));
            }
            scheduled.endFraction().ifPresent(end -> {
                if (op == (int) Math.floor(end * experiment.operations())) {
                    end(scheduled.fault());
                }
            });
        }
    }

    private void start(Fault fault) {
        if (fault instanceof Fault.Partition p) {
            List<List<String>> groups = new ArrayList<>();
            p.resolve(experiment.nodeIds()).forEach(g -> groups.add(new ArrayList<>(g)));
            for (Client client : clients) {
                groups.get(client.process % groups.size()).add(client.name);
            }
            network.partition(groups);
        } else if (fault instanceof Fault.OneWay o) {
            network.cutOneWay(o.from(), o.to());
        } else if (fault instanceof Fault.Crash c) {
            if (cluster.isUp(c.node())) {
                cluster.crash(c.node());
                if (c.wipe()) {
                    cluster.wipe(c.node());
                }
            }
        } else if (fault instanceof Fault.Pause p) {
            network.pause(p.node(), p.length());
        } else if (fault instanceof Fault.Skew s) {
            network.setClockSkew(s.node(), s.skew());
        } else if (fault instanceof Fault.Network net) {
            network.setFaults(net.faults());
        } else if (fault instanceof Fault.Join j) {
            cluster.join(j.node());
        } else if (fault instanceof Fault.Leave l) {
            String via = cluster.nodeIds().stream().filter(id -> !id.equals(l.node()) && cluster.isUp(id)).findFirst()
                    .orElseThrow();
            cluster.decommission(l.node(), via);
        }
    }

    private void end(Fault fault) {
        if (fault instanceof Fault.Partition || fault instanceof Fault.OneWay) {
            network.heal();
        } else if (fault instanceof Fault.Crash c) {
            if (!cluster.isUp(c.node())) {
                cluster.restart(c.node());
            }
        } else if (fault instanceof Fault.Skew s) {
            network.setClockSkew(s.node(), Duration.ZERO);
        } else if (fault instanceof Fault.Network) {
            network.setFaults(experiment.network());
        }
    }

    // ---- after the run ----

    /** Heals everything and waits for the replicas to agree: {virtual ms until then (NaN if not within the limit), rounds}. */
    private double[] settle() {
        network.heal();
        network.setFaults(Faults.delay(experiment.network().minDelay(), experiment.network().maxDelay()));
        for (String id : cluster.nodeIds()) {
            network.setClockSkew(id, Duration.ZERO);
            if (!cluster.isUp(id)) {
                cluster.restart(id);
            }
        }
        long start = network.monotonicMillis();
        long limit = start + experiment.settleLimit().toMillis();
        while (experiment.gossip() && !cluster.settled() || !converged()) {
            if (network.monotonicMillis() >= limit) {
                return new double[] {Double.NaN, Double.NaN};
            }
            network.runFor(CONVERGENCE_STEP);
        }
        double millis = network.monotonicMillis() - start;
        double rounds = experiment.antiEntropy()
                ? Math.ceil(millis / experiment.antiEntropyInterval().toMillis()) : 0;
        return new double[] {millis, rounds};
    }

    private boolean converged() {
        for (String key : keysWritten) {
            Bytes k = Bytes.utf8(key);
            Ring ring = ring();
            int partition = ring.partitionOf(k);
            Set<Versioned> first = null;
            for (String owner : ring.preferenceList(partition, experiment.n())) {
                Set<Versioned> versions = new HashSet<>(cluster.storage(owner).get(partition, k));
                if (first == null) {
                    first = versions;
                } else if (!first.equals(versions)) {
                    return false;
                }
            }
        }
        return true;
    }

    /** The ring now: the static one, or the ring a running node has learned by gossip. */
    private Ring ring() {
        if (!experiment.gossip()) {
            return cluster.ring();
        }
        for (String id : cluster.nodeIds()) {
            if (cluster.isUp(id)) {
                return cluster.node(id).membership().orElseThrow().view().ring();
            }
        }
        return cluster.ring();
    }

    private Map<String, List<Bytes>> finalReads() {
        DynamoClient auditor = cluster.client("auditor");
        Map<String, List<Bytes>> finals = new TreeMap<>();
        for (String key : keysWritten) {
            ReadResult read = network.await(auditor.getAsync(Bytes.utf8(key), RequestOptions.quorum(experiment.n())
                    .withTimeout(Duration.ofSeconds(10))), Duration.ofMinutes(1));
            finals.put(key, read.values());
        }
        return finals;
    }

    private RunResult result(long messages, long bytes, double[] convergence, Map<String, List<Bytes>> finals) {
        Workload.Score score = workload.score(writes, finals);
        Map<String, Double> m = new LinkedHashMap<>();
        int ops = experiment.operations();
        m.put("operations", (double) ops);
        m.put("ok", (double) okCount);
        m.put("fail", (double) failCount);
        m.put("info", (double) infoCount);
        m.put("updates_acknowledged", (double) score.updatesAcknowledged());
        m.put("updates_lost", (double) score.updatesLost());
        m.put("removals_acknowledged", (double) score.removalsAcknowledged());
        m.put("removals_resurrected", (double) score.removalsResurrected());
        m.put("counter_error", score.counterError());
        m.put("reads", (double) measuredReads);
        long found = measuredReads - versionCounts[0];
        for (int v = 1; v <= 4; v++) {
            m.put(v == 4 ? "reads_4plus_versions" : "reads_" + v + (v == 1 ? "_version" : "_versions"),
                    found == 0 ? Double.NaN : (double) versionCounts[v] / found);
        }
        long multi = versionCounts[2] + versionCounts[3] + versionCounts[4];
        m.put("multi_version_reads_on_hot_keys", multi == 0 ? Double.NaN : (double) multiVersionReadsOnHotKeys / multi);
        m.put("max_siblings", (double) maxSiblings);
        m.put("metadata_bytes_per_stored_version", storedMetadata());
        m.put("metadata_bytes_per_read", measuredReads == 0 ? Double.NaN : (double) readMetadataBytes / measuredReads);
        long pbsTotal = java.util.Arrays.stream(pbsReads).sum();
        m.put("stale_reads", pbsTotal == 0 ? Double.NaN : (double) staleReads / pbsTotal);
        m.put("versions_behind_mean", staleReads == 0 ? 0 : (double) versionsBehind / staleReads);
        m.put("convergence_ms", convergence[0]);
        m.put("anti_entropy_rounds", convergence[1]);
        m.put("read_your_writes_violations", (double) ryw);
        m.put("monotonic_read_violations", (double) monotonic);
        m.put("messages_per_op", (double) messages / ops);
        m.put("bytes_per_op", (double) bytes / ops);
        m.put("latency_p50_ms", percentile(0.50));
        m.put("latency_p99_ms", percentile(0.99));
        List<RunResult.PbsPoint> pbs = new ArrayList<>();
        for (int i = 0; i < PBS_BINS.length; i++) {
            pbs.add(new RunResult.PbsPoint(PBS_BINS[i], pbsReads[i], pbsConsistent[i]));
        }
        return new RunResult(strategy.name(), seed, sweep, m, pbs, history);
    }

    private double storedMetadata() {
        long versions = 0;
        long bytes = 0;
        for (String key : keysWritten) {
            Bytes k = Bytes.utf8(key);
            Ring ring = ring();
            int partition = ring.partitionOf(k);
            for (String owner : ring.preferenceList(partition, experiment.n())) {
                StorageEngine engine = cluster.storage(owner);
                for (Versioned v : engine.get(partition, k)) {
                    versions++;
                    bytes += v.clock().toBytes().length;
                }
            }
        }
        return versions == 0 ? Double.NaN : (double) bytes / versions;
    }

    private double percentile(double p) {
        if (latenciesMicros.isEmpty()) {
            return Double.NaN;
        }
        List<Long> sorted = new ArrayList<>(latenciesMicros);
        sorted.sort(null);
        int index = (int) Math.min(sorted.size() - 1, Math.ceil(p * sorted.size()) - 1);
        return sorted.get(Math.max(0, index)) / 1000.0;
    }
}
