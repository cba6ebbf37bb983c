package io.dynamo.server;

import static java.util.Objects.requireNonNull;

import io.dynamo.core.config.ClusterMember;
import io.dynamo.core.config.NodeConfig;
import io.dynamo.core.plugin.ExtensionPoint;
import io.dynamo.core.plugin.PluginRegistry;
import io.dynamo.core.ring.Ring;
import io.dynamo.spi.PluginConfig;
import io.dynamo.spi.partition.Partitioner;
import io.dynamo.spi.transport.Endpoint;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.function.Function;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code dynamo status}: the ring as the cluster's config defines it (members, partitions each
 * owns) and whether each node answers a ping now.
 */
@Command(name = "status", mixinStandardHelpOptions = true,
        description = {"Show the cluster: each node, its address, whether it answers now (up/down) and how many of the Q"
                + " partitions it owns.",
                "Members and Q come from a node config (--config, or the configs of the cluster directory); with --nodes"
                        + " alone only up/down is shown. Exit code 1 when a node is down."})
final class StatusCommand implements Callable<Integer> {
    private final Function<PluginConfig, NodeProbe> probes;

    @Spec CommandSpec spec;

    @Option(names = "--config", paramLabel = "FILE", description = "A node's config file: its cluster.members and cluster.partitions.")
    Path config;

    @Option(names = "--nodes", split = ",", paramLabel = "HOST:PORT", description = "Nodes to ping when there is no config.")
    List<String> nodes;

    @Option(names = "--dir", paramLabel = "DIR", defaultValue = ClusterOptions.DEFAULT_CLUSTER_DIR,
            description = "Cluster directory written by `dynamo cluster start` (default: $DYNAMO_CLUSTER_DIR or ./dynamo-cluster).")
    Path clusterDirectory;

    @Option(names = "--timeout", paramLabel = "DURATION", defaultValue = "2s", converter = DurationConverter.class,
            description = "How long to wait for each node's answer (default: ${DEFAULT-VALUE}).")
    Duration timeout;

    @Option(names = "--set", paramLabel = "tcp.KEY=VALUE",
            description = "A transport setting of the client, e.g. --set tcp.secret-file=FILE (repeatable); the config's"
                    + " tcp.* keys (cluster secret, TLS) apply too.")
    Map<String, String> transportSettings = new LinkedHashMap<>();

    StatusCommand(Function<PluginConfig, NodeProbe> probes) {
        this.probes = requireNonNull(probes, "probes is null");
    }

    @Override
    public Integer call() {
        PrintWriter out = spec.commandLine().getOut();
        NodeConfig nodeConfig = findConfig();
        List<ClusterMember> members;
        Map<String, Integer> owned = Map.of();
        if (nodeConfig != null) {
            members = nodeConfig.members();
            try (PluginRegistry plugins = PluginRegistry.load(Connections.pluginsDirectory())) {
                Partitioner partitioner = plugins.create(ExtensionPoint.PARTITIONER, nodeConfig.partitioner(),
                        PluginConfig.empty(nodeConfig.partitioner()), Connections.clientContext());
                owned = Ring.create(members.stream().map(ClusterMember::id).toList(), nodeConfig.partitions(), partitioner)
                        .partitionCounts();
            }
        } else {
            List<Endpoint> endpoints = nodes != null && !nodes.isEmpty()
                    ? Addresses.parse("--nodes", nodes)
                    : ClusterOptions.defaultEndpoints();
            members = endpoints.stream().map(e -> new ClusterMember("?", e)).toList();
        }

        int down = 0;
        out.printf("%-16s %-22s %-5s %s%n", "node", "address", "state", "partitions");
        PluginConfig transport = ClientTransportSettings.of(ClusterOptions.configFile(config, nodes, clusterDirectory),
                transportSettings);
        java.util.Optional<io.dynamo.core.membership.GossipState> gossip = java.util.Optional.empty();
        try (NodeProbe probe = probes.apply(transport)) {
            for (ClusterMember member : members) {
                boolean up = probe.answers(member.endpoint(), timeout);
                down += up ? 0 : 1;
                Integer partitions = owned.get(member.id());
                out.printf("%-16s %-22s %-5s %s%n", member.id(), member.endpoint(), up ? "up" : "down",
                        partitions == null ? "?" : partitions);
                if (up && gossip.isEmpty()) {
                    gossip = probe.membership(member.endpoint(), timeout);
                }
            }
        }
        gossip.ifPresent(state -> MembershipStatus.print(out, state));
        out.printf("%d node%s: %d up, %d down", members.size(), members.size() == 1 ? "" : "s", members.size() - down, down);
        if (nodeConfig != null) {
            out.printf("; Q=%d, N=%d, R=%d, W=%d", nodeConfig.partitions(), nodeConfig.replication().replicas(),
                    nodeConfig.replication().readQuorum(), nodeConfig.replication().writeQuorum());
        }
        out.println();
        out.flush();
        return down == 0 ? 0 : DynamoCli.FAILURE;
    }

    private NodeConfig findConfig() {
        if (config != null) {
            return NodeConfig.load(config, Map.of());
        }
        if (nodes != null && !nodes.isEmpty()) {
            return null;
        }
        ClusterDirectory cluster = new ClusterDirectory(clusterDirectory);
        if (!cluster.hasMembers()) {
            return null;
        }
        ClusterMember first = cluster.members().get(0);
        return NodeConfig.load(cluster.configFile(first.id()), Map.of());
    }
}
