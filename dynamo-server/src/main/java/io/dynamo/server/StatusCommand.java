package io.dynamo.server;

import static java.util.Objects.requireNonNull;

import io.dynamo.core.config.ClusterMember;
import io.dynamo.core.config.NodeConfig;
import io.dynamo.core.membership.GossipState;
import io.dynamo.core.plugin.ExtensionPoint;
import io.dynamo.core.plugin.PluginRegistry;
import io.dynamo.core.ring.Ring;
import io.dynamo.spi.PluginConfig;
import io.dynamo.spi.partition.Partitioner;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Callable;
import java.util.function.Function;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code dynamo status}: each node, whether it answers a ping now, and the partitions it owns in
 * the ring as gossip reports it (as the config defines it when no node answers), then the
 * gossiped membership.
 */
@Command(name = "status", mixinStandardHelpOptions = true,
        description = {"Show the cluster: each node, its address, whether it answers now (up/down) and how many of the Q"
                + " partitions it owns.",
                "Members and Q come from a node config (--config, or the configs of the cluster directory); with --nodes"
                        + " alone only up/down is shown. Partition counts are the ring gossip reports, or the config's"
                        + " founding ring when no node answers. Exit code 1 when a node is down."})
final class StatusCommand implements Callable<Integer> {
    private final Function<PluginConfig, NodeProbe> probes;
    private final Path pluginsDirectory;

    @Spec CommandSpec spec;

    @Mixin ClusterOptions cluster;

    @Option(names = "--timeout", paramLabel = "DURATION", defaultValue = "2s", converter = DurationConverter.class,
            description = "How long to wait for each node's answer (default: ${DEFAULT-VALUE}).")
    Duration timeout;

    StatusCommand(Function<PluginConfig, NodeProbe> probes, Path pluginsDirectory) {
        this.probes = requireNonNull(probes, "probes is null");
        this.pluginsDirectory = requireNonNull(pluginsDirectory, "pluginsDirectory is null");
    }

    @Override
    public Integer call() {
        PrintWriter out = spec.commandLine().getOut();
        NodeConfig nodeConfig = findConfig();
        List<ClusterMember> members = nodeConfig != null ? nodeConfig.members()
                : cluster.endpoints().stream().map(e -> new ClusterMember("?", e)).toList();

        Map<ClusterMember, Boolean> up = new LinkedHashMap<>();
        Optional<GossipState> gossip = Optional.empty();
        try (NodeProbe probe = probes.apply(cluster.transportConfig())) {
            for (ClusterMember member : members) {
                boolean answers = probe.answers(member.endpoint(), timeout);
                up.put(member, answers);
                if (answers && gossip.isEmpty()) {
                    gossip = probe.membership(member.endpoint(), timeout);
                }
            }
        }
        Map<String, Integer> owned = gossip.filter(state -> state.ring().known())
                .map(state -> MembershipStatus.counts(state.ring().current()))
                .orElseGet(() -> nodeConfig == null ? Map.of() : foundingRing(nodeConfig).partitionCounts());

        out.printf("%-16s %-22s %-5s %s%n", "node", "address", "state", "partitions");
        up.forEach((member, answers) -> {
            Integer partitions = owned.get(member.id());
            out.printf("%-16s %-22s %-5s %s%n", member.id(), member.endpoint(), answers ? "up" : "down",
                    partitions == null ? "?" : partitions);
        });
        gossip.ifPresent(state -> MembershipStatus.print(out, state));
        long down = up.values().stream().filter(answers -> !answers).count();
        out.printf("%d node%s: %d up, %d down", members.size(), members.size() == 1 ? "" : "s", members.size() - down, down);
        if (nodeConfig != null) {
            out.printf("; Q=%d, N=%d, R=%d, W=%d", nodeConfig.partitions(), nodeConfig.replication().replicas(),
                    nodeConfig.replication().readQuorum(), nodeConfig.replication().writeQuorum());
        }
        out.println();
        out.flush();
        return down == 0 ? 0 : DynamoCli.FAILURE;
    }

    private Ring foundingRing(NodeConfig nodeConfig) {
        // only the partitioner is used: a broken jar it does not come from is skipped with a warning
        try (PluginRegistry plugins = PluginRegistry.loadSkippingBroken(pluginsDirectory)) {
            Partitioner partitioner = plugins.create(ExtensionPoint.PARTITIONER, nodeConfig.partitioner(),
                    PluginConfig.empty(nodeConfig.partitioner()), Connections.clientContext());
            return Ring.create(nodeConfig.members().stream().map(ClusterMember::id).toList(), nodeConfig.partitions(),
                    partitioner);
        }
    }

    /** {@code --config}'s node config, else the cluster directory's first one when no {@code --nodes} were given. */
    private NodeConfig findConfig() {
        Path file = ClusterOptions.configFile(cluster.config, cluster.nodes, cluster.clusterDirectory);
        return file == null ? null : NodeConfig.load(file, Map.of());
    }
}
