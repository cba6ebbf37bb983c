package io.dynamo.server;

import static java.util.Objects.requireNonNull;

import io.dynamo.core.causality.DottedVersionVectors;
import io.dynamo.core.config.ClusterMember;
import io.dynamo.core.config.NodeConfig;
import io.dynamo.core.metrics.MetricsEndpoint;
import io.dynamo.core.metrics.MetricsSettings;
import io.dynamo.spi.PluginConfig;
import io.dynamo.spi.transport.Endpoint;
import java.io.IOException;
import java.io.PrintWriter;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Callable;
import java.util.function.Function;
import java.util.stream.Collectors;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/** {@code dynamo cluster start|stop}: a local cluster of node JVMs on 127.0.0.1, for trying things out and testing. */
@Command(name = "cluster", mixinStandardHelpOptions = true,
        description = "Start or stop a local cluster: separate node JVMs on 127.0.0.1, files under one directory.")
final class ClusterCommands implements Runnable {
    @Spec CommandSpec spec;

    @Override
    public void run() {
        throw new ParameterException(spec.commandLine(), "missing subcommand: start or stop");
    }

    @Command(name = "start", mixinStandardHelpOptions = true,
            description = {"Start NODES node JVMs on 127.0.0.1 (node-1 on the base port, node-2 on the next, ...),"
                    + " wait until every node answers, and record their pids in DIR.",
                    "Each node's config is DIR/node-<i>.properties and its data and logs are in DIR/node-<i>/;"
                            + " starting again over the same DIR keeps the data.",
                    "Over a DIR that has a cluster, the nodes that do not run start from their configs there (options"
                            + " that shape the configs then write them anew, if no node runs); --node ID starts that one"
                            + " member only."})
    static final class Start implements Callable<Integer> {
        private final Function<PluginConfig, NodeProbe> probes;

        @Spec CommandSpec spec;

        @Option(names = "--nodes", paramLabel = "NODES", defaultValue = "3", description = "How many nodes (default: ${DEFAULT-VALUE}).")
        int nodes;

        @Option(names = "--dir", paramLabel = "DIR", defaultValue = ClusterOptions.DEFAULT_CLUSTER_DIR,
                description = "Where configs, data, logs and pids go (default: $DYNAMO_CLUSTER_DIR or ./dynamo-cluster).")
        Path directory;

        @Option(names = "--base-port", paramLabel = "PORT", defaultValue = "7001",
                description = "Port of node-1; node-i listens on PORT + i - 1 (default: ${DEFAULT-VALUE}).")
        int basePort;

        @Option(names = "--metrics-base-port", paramLabel = "PORT",
                description = "Prometheus endpoint of node-1 (metrics.port); node-i's is PORT + i - 1 (default: the base port + 1000)."
                        + " --set metrics.enabled=false turns metrics off.")
        Integer metricsBasePort;

        @Option(names = "--partitions", paramLabel = "Q", description = "cluster.partitions (default: the node default, 256).")
        Integer partitions;

        @Option(names = {"-N", "--replicas"}, paramLabel = "N", description = "replication.n (default: 3, or the node count if fewer).")
        Integer replicas;

        @Option(names = {"-R", "--read-quorum"}, paramLabel = "R", description = "replication.r (default: 2, or N if smaller).")
        Integer readQuorum;

        @Option(names = {"-W", "--write-quorum"}, paramLabel = "W", description = "replication.w (default: 2, or N if smaller).")
        Integer writeQuorum;

        @Option(names = "--set", paramLabel = "KEY=VALUE",
                description = "Any other node config key for every node, e.g. --set storage=memory (repeatable).")
        Map<String, String> settings = new LinkedHashMap<>();

        @Option(names = "--wait", paramLabel = "DURATION", defaultValue = "90s", converter = DurationConverter.class,
                description = "How long to wait for every node to answer (default: ${DEFAULT-VALUE}).")
        Duration wait;

        /** The options that shape the node configs. */
        private static final List<String> SHAPING_OPTIONS = List.of("--nodes", "--base-port", "--metrics-base-port",
                "--partitions", "--replicas",
                "--read-quorum", "--write-quorum", "--set");

        @Option(names = "--node", paramLabel = "ID",
                description = "Start only this member of the cluster in DIR (e.g. node-3), from its config there.")
        String node;

        Start(Function<PluginConfig, NodeProbe> probes) {
            this.probes = requireNonNull(probes, "probes is null");
        }

        @Override
        public Integer call() throws InterruptedException {
            if (nodes < 1 || nodes > 100) {
                throw new ParameterException(spec.commandLine(), "--nodes must be between 1 and 100: " + nodes);
            }
            if (basePort < 1 || basePort + nodes - 1 > 65535) {
                throw new ParameterException(spec.commandLine(), "--base-port " + basePort + " leaves no room for " + nodes + " ports");
            }
            ClusterDirectory cluster = new ClusterDirectory(directory);
            Map<String, Long> running = runningPids(cluster);
            List<ClusterMember> toStart;
            boolean fresh = false; // configs written by this start
            // over an existing cluster (some nodes run, one node asked for, or none runs and no option would
            // change the configs) the nodes start from their configs: a restart keeps what they were started with
            if (node != null || !running.isEmpty() || (cluster.hasMembers() && !shapingOptionGiven())) {
                toStart = missingMembers(cluster, running);
                if (toStart.isEmpty()) {
                    PrintWriter out = spec.commandLine().getOut();
                    running.forEach((id, pid) -> out.printf("%s  already running  pid %d%n", id, pid));
                    out.printf("every node of %s is running%n", cluster.path());
                    out.flush();
                    return 0;
                }
            } else {
                List<ClusterMember> members = new ArrayList<>();
                for (int i = 1; i <= nodes; i++) {
                    members.add(new ClusterMember("node-" + i, Endpoint.of("127.0.0.1", basePort + i - 1)));
                }
                int metricsBase = metricsBasePort != null ? metricsBasePort : basePort + 1000;
                if (metricsBase < 1 || metricsBase + nodes - 1 > 65535) {
                    throw new ParameterException(spec.commandLine(), "--metrics-base-port " + metricsBase
                            + " leaves no room for " + nodes + " ports");
                }
                writeConfigs(cluster, members, metricsBase); // refuses a bad setting first, whatever the ports
                toStart = members;
                fresh = true;
            }
            Map<String, Endpoint> metricsEndpoints = MetricsEndpoints.of(cluster);
            for (ClusterMember member : toStart) {
                checkPortFree(member.endpoint());
                Endpoint metrics = metricsEndpoints.get(member.id());
                if (metrics != null) {
                    checkPortFree(metrics, "--metrics-base-port");
                }
            }

            PrintWriter out = spec.commandLine().getOut();
            Map<String, Process> processes = new LinkedHashMap<>();
            Map<String, Long> pids = new LinkedHashMap<>(running);
            boolean started = false;
            try {
                for (ClusterMember member : toStart) {
                    Process process = NodeProcesses.start(cluster.configFile(member.id()), cluster.consoleLog(member.id()));
                    processes.put(member.id(), process);
                    pids.put(member.id(), process.pid());
                    cluster.writePids(ordered(cluster, pids));
                }
                awaitAnswers(cluster, toStart, processes);
                started = true;
            } finally {
                if (!started) {
                    processes.values().forEach(p -> NodeProcesses.stop(p.toHandle(), Duration.ofSeconds(10)));
                    if (running.isEmpty()) {
                        cluster.deletePids();
                    } else {
                        cluster.writePids(running); // the nodes that ran before still run
                    }
                }
            }
            running.forEach((id, pid) -> out.printf("%s  already running  pid %d%n", id, pid));
            for (ClusterMember member : toStart) {
                Endpoint metrics = metricsEndpoints.get(member.id());
                out.printf("%s  %s  pid %d  data %s%s%n", member.id(), member.endpoint(), pids.get(member.id()),
                        cluster.dataDirectory(member.id()),
                        metrics == null ? "" : "  metrics http://" + metrics.address() + MetricsEndpoint.PATH);
            }
            if (fresh) {
                out.printf("cluster of %d node%s is up (directory %s)%n", nodes, nodes == 1 ? "" : "s", cluster.path());
            } else {
                out.printf("started %d node%s (%s); %d node%s of %s running%n", toStart.size(), toStart.size() == 1 ? "" : "s",
                        toStart.stream().map(ClusterMember::id).collect(Collectors.joining(", ")), pids.size(),
                        pids.size() == 1 ? "" : "s", cluster.path());
            }
            out.printf("stop it with: dynamo cluster stop --dir %s%n", cluster.path());
            out.flush();
            return 0;
        }

        /**
         * The members to start over a directory that has a cluster: {@code --node}, or every
         * member not running. They start from the configs the first start wrote, so options that
         * shape the configs are refused rather than silently ignored.
         */
        private List<ClusterMember> missingMembers(ClusterDirectory cluster, Map<String, Long> running) {
            if (!cluster.hasMembers()) {
                throw new IllegalStateException("no cluster in " + cluster.path() + " (no members file); start one with:"
                        + " dynamo cluster start --dir " + cluster.path());
            }
            for (String option : SHAPING_OPTIONS) {
                if (spec.commandLine().getParseResult().hasMatchedOption(option)) {
                    throw new ParameterException(spec.commandLine(), option + " cannot change a cluster whose nodes run or"
                            + " that is restarted node by node: the nodes start from their configs in " + cluster.path()
                            + "; stop the cluster first to start it anew");
                }
            }
            List<ClusterMember> all = cluster.members();
            List<ClusterMember> members = all;
            if (node != null) {
                ClusterMember member = all.stream().filter(m -> m.id().equals(node)).findFirst()
                        .orElseThrow(() -> new ParameterException(spec.commandLine(), "--node " + node + " is not a member of "
                                + cluster.path() + "; members: " + all.stream().map(ClusterMember::id).toList()));
                if (running.containsKey(node)) {
                    throw new IllegalStateException(node + " is already running (pid " + running.get(node) + ")");
                }
                members = List.of(member);
            }
            List<ClusterMember> missing = new ArrayList<>();
            for (ClusterMember member : members) {
                if (running.containsKey(member.id())) {
                    continue;
                }
                if (!Files.isRegularFile(cluster.configFile(member.id()))) {
                    throw new IllegalStateException("no config for " + member.id() + " (" + cluster.configFile(member.id())
                            + ")");
                }
                missing.add(member);
            }
            return missing;
        }

        /** Whether an option that shapes the node configs was given (they are then written anew). */
        private boolean shapingOptionGiven() {
            return SHAPING_OPTIONS.stream().anyMatch(spec.commandLine().getParseResult()::hasMatchedOption);
        }

        /** The pids in the members' order, so the pids file reads like the members file. */
        private static Map<String, Long> ordered(ClusterDirectory cluster, Map<String, Long> pids) {
            Map<String, Long> ordered = new LinkedHashMap<>();
            if (cluster.hasMembers()) {
                cluster.members().forEach(m -> {
                    if (pids.containsKey(m.id())) {
                        ordered.put(m.id(), pids.get(m.id()));
                    }
                });
            }
            ordered.putAll(pids);
            return ordered;
        }

        private void writeConfigs(ClusterDirectory cluster, List<ClusterMember> members, int metricsBase) {
            String memberList = members.stream().map(ClusterMember::toString).collect(Collectors.joining(","));
            String home = System.getProperty(NodeProcesses.HOME_PROPERTY);
            for (ClusterMember member : members) {
                Map<String, String> config = new LinkedHashMap<>();
                config.put(NodeConfig.NODE_ID, member.id());
                config.put(NodeConfig.NODE_LISTEN, member.endpoint().address());
                config.put(NodeConfig.NODE_DATA_DIR, cluster.dataDirectory(member.id()).toString());
                if (home != null) {
                    config.put(NodeConfig.NODE_PLUGINS_DIR, Path.of(home, "plugins").toString());
                }
                config.put(NodeConfig.CLUSTER_MEMBERS, memberList);
                if (partitions != null) {
                    config.put(NodeConfig.CLUSTER_PARTITIONS, partitions.toString());
                }
                if (replicas != null) {
                    config.put(NodeConfig.REPLICATION_N, replicas.toString());
                }
                if (readQuorum != null) {
                    config.put(NodeConfig.REPLICATION_R, readQuorum.toString());
                }
                if (writeQuorum != null) {
                    config.put(NodeConfig.REPLICATION_W, writeQuorum.toString());
                }
                // The node JVMs share this machine's cores: one event loop each costs less CPU per
                // request than several (dynamo-server README, Performance).
                config.put("tcp.io-threads", "1");
                // New clusters get dotted version vectors (dynamo-core README, "Causality"); a node
                // config without the key keeps vector clocks, so existing clusters are unchanged.
                config.put(NodeConfig.CAUSALITY, DottedVersionVectors.NAME);
                // every node's Prometheus endpoint, on loopback, at a port of its own
                config.put(MetricsSettings.NAMESPACE + "." + MetricsSettings.PORT,
                        Integer.toString(metricsBase + members.indexOf(member)));
                config.putAll(settings);
                // Refuse a bad setting here, with its key, rather than in N logs.
                NodeConfig.of(config);
                StringBuilder text = new StringBuilder("# written by dynamo cluster start\n");
                config.forEach((key, value) -> text.append(key).append('=').append(escape(value)).append('\n'));
                ClusterDirectory.write(cluster.configFile(member.id()), text.toString());
            }
            cluster.writeMembers(members);
        }

        private void awaitAnswers(ClusterDirectory cluster, List<ClusterMember> members, Map<String, Process> processes)
                throws InterruptedException {
            long deadline = System.nanoTime() + wait.toNanos();
            List<ClusterMember> waiting = new ArrayList<>(members);
            // the nodes' own tcp.* settings (a cluster secret, TLS) let the pings through
            PluginConfig transport = ClientTransportSettings.of(cluster.configFile(members.get(0).id()), Map.of());
            try (NodeProbe probe = probes.apply(transport)) {
                while (!waiting.isEmpty()) {
                    for (ClusterMember member : List.copyOf(waiting)) {
                        Process process = processes.get(member.id());
                        if (!process.isAlive()) {
                            throw new IllegalStateException(member.id() + " exited with status " + process.exitValue()
                                    + " while starting" + NodeProcesses.startFailureReport(cluster.consoleLog(member.id())));
                        }
                        if (probe.answers(member.endpoint(), Duration.ofSeconds(1))) {
                            waiting.remove(member);
                        }
                    }
                    if (!waiting.isEmpty()) {
                        if (System.nanoTime() > deadline) {
                            ClusterMember first = waiting.get(0);
                            throw new IllegalStateException(first.id() + " did not answer within " + wait.toSeconds()
                                    + " s (see " + cluster.dataDirectory(first.id()).resolve("dynamo.log") + ")"
                                    + NodeProcesses.startFailureReport(cluster.consoleLog(first.id())));
                        }
                        Thread.sleep(200);
                    }
                }
            }
        }

        private static void checkPortFree(Endpoint endpoint) {
            checkPortFree(endpoint, "--base-port");
        }

        private static void checkPortFree(Endpoint endpoint, String option) {
            try (ServerSocket socket = new ServerSocket()) {
                socket.setReuseAddress(true);
                socket.bind(new InetSocketAddress(InetAddress.getByName(endpoint.host()), endpoint.port()));
            } catch (IOException e) {
                throw new IllegalStateException("port " + endpoint.port() + " on " + endpoint.host()
                        + " is in use; choose another " + option);
            }
        }

        private static String escape(String value) {
            return value.replace("\\", "\\\\");
        }
    }

    @Command(name = "stop", mixinStandardHelpOptions = true,
            description = "Stop the nodes recorded in DIR (or --node ID only): SIGTERM, then SIGKILL for any still running after the grace period.")
    static final class Stop implements Callable<Integer> {
        @Spec CommandSpec spec;

        @Option(names = "--dir", paramLabel = "DIR", defaultValue = ClusterOptions.DEFAULT_CLUSTER_DIR,
                description = "The cluster directory (default: $DYNAMO_CLUSTER_DIR or ./dynamo-cluster).")
        Path directory;

        @Option(names = "--grace", paramLabel = "DURATION", defaultValue = "30s", converter = DurationConverter.class,
                description = "How long each node may take to stop cleanly (default: ${DEFAULT-VALUE}).")
        Duration grace;

        @Option(names = "--node", paramLabel = "ID", description = "Stop only this member (e.g. node-3); the others keep running.")
        String node;

        @Override
        public Integer call() {
            ClusterDirectory cluster = new ClusterDirectory(directory);
            if (!Files.exists(cluster.pidsFile())) {
                throw new IllegalStateException("no running cluster recorded in " + cluster.path() + " (no pids file)");
            }
            PrintWriter out = spec.commandLine().getOut();
            Map<String, Long> recorded = cluster.pids();
            if (node != null && !recorded.containsKey(node)) {
                throw new IllegalStateException(node + " is not recorded as running in " + cluster.pidsFile()
                        + "; recorded: " + recorded.keySet());
            }
            Map<String, ProcessHandle> live = new LinkedHashMap<>();
            recorded.forEach((id, pid) -> {
                if (node != null && !node.equals(id)) {
                    return;
                }
                Optional<ProcessHandle> process = NodeProcesses.find(pid, cluster.configFile(id));
                if (process.isPresent()) {
                    process.get().destroy(); // all at once: the nodes drain in parallel
                    live.put(id, process.get());
                } else {
                    out.printf("%s (pid %d) was not running%n", id, pid);
                }
            });
            live.forEach((id, process) -> {
                boolean clean = NodeProcesses.stop(process, grace);
                out.printf(clean ? "%s (pid %d) stopped%n" : "%s (pid %d) did not stop within the grace period: killed%n",
                        id, process.pid());
            });
            Map<String, Long> left = new LinkedHashMap<>(recorded);
            if (node == null) {
                left.clear();
            } else {
                left.remove(node);
            }
            if (left.isEmpty()) {
                cluster.deletePids();
            } else {
                cluster.writePids(left);
            }
            out.flush();
            return 0;
        }
    }

    /** The pid of each recorded node that is still running, in the recorded order. */
    static Map<String, Long> runningPids(ClusterDirectory cluster) {
        Map<String, Long> running = new LinkedHashMap<>();
        cluster.pids().forEach((id, pid) -> {
            if (NodeProcesses.find(pid, cluster.configFile(id)).isPresent()) {
                running.put(id, pid);
            }
        });
        return running;
    }
}
