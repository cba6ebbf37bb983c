package io.dynamo.server;

import static java.util.Objects.requireNonNull;

import io.dynamo.core.config.NodeConfig;
import io.dynamo.core.membership.GossipState;
import io.dynamo.core.membership.MemberInfo;
import io.dynamo.spi.PluginConfig;
import io.dynamo.spi.transport.Endpoint;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.concurrent.Callable;
import java.util.function.Function;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code dynamo status}: one line per node, one truth: whether it answers a ping now, what it
 * owns in the ring gossip reports now (never the founding ring of the config), its place in the
 * membership and the move it takes part in.
 */
@Command(name = "status", mixinStandardHelpOptions = true,
        description = {"Show the cluster, one line per node: its address, whether it answers now (up/down), the partitions"
                + " it owns in the current ring (as gossip reports it; 'a->b' while partitions move), its membership"
                + " (member, joining, leaving, left) and its move.",
                "Nodes come from a node config (--config, or the configs of the cluster directory) or --nodes, plus every"
                        + " member gossip knows. Exit code 1 when a node is down."})
final class StatusCommand implements Callable<Integer> {
    private final Function<PluginConfig, NodeProbe> probes;

    @Spec CommandSpec spec;

    @Mixin ClusterOptions cluster;

    @Option(names = "--timeout", paramLabel = "DURATION", defaultValue = "2s", converter = DurationConverter.class,
            description = "How long to wait for each node's answer (default: ${DEFAULT-VALUE}).")
    Duration timeout;

    StatusCommand(Function<PluginConfig, NodeProbe> probes) {
        this.probes = requireNonNull(probes, "probes is null");
    }

    @Override
    public Integer call() {
        PrintWriter out = spec.commandLine().getOut();
        NodeConfig nodeConfig = findConfig();
        Map<Endpoint, String> nodes = new LinkedHashMap<>(); // endpoint → id ("?" when only --nodes names it)
        if (nodeConfig != null) {
            nodeConfig.members().forEach(member -> nodes.put(member.endpoint(), member.id()));
        } else {
            cluster.endpoints().forEach(endpoint -> nodes.put(endpoint, "?"));
        }

        Map<Endpoint, Boolean> up = new LinkedHashMap<>();
        Optional<GossipState> gossip = Optional.empty();
        Endpoint gossipFrom = null;
        try (NodeProbe probe = probes.apply(cluster.transportConfig())) {
            for (Endpoint endpoint : List.copyOf(nodes.keySet())) {
                boolean answers = probe.answers(endpoint, timeout);
                up.put(endpoint, answers);
                if (answers && gossip.isEmpty()) {
                    gossip = probe.membership(endpoint, timeout);
                    gossipFrom = endpoint;
                }
            }
            // members that joined after the config was written: known by gossip only
            if (gossip.isPresent()) {
                for (MemberInfo member : new TreeMap<>(gossip.get().members()).values()) {
                    nodes.put(member.endpoint(), member.id());
                    if (!up.containsKey(member.endpoint())) {
                        up.put(member.endpoint(), probe.answers(member.endpoint(), timeout));
                    }
                }
            }
        }

        out.printf(MembershipStatus.FORMAT, "node", "address", "state", "partitions", "membership", "move");
        for (Map.Entry<Endpoint, Boolean> node : up.entrySet()) {
            MembershipStatus.Line line = MembershipStatus.line(nodes.get(node.getKey()), gossip);
            out.printf(MembershipStatus.FORMAT, nodes.get(node.getKey()), node.getKey(), node.getValue() ? "up" : "down",
                    line.partitions(), line.membership(), line.move());
        }
        if (gossip.isPresent() && gossip.get().ring().known()) {
            out.printf("ring version %d%s (gossip of %s)%n", gossip.get().ring().version(),
                    gossip.get().ring().moving() ? ", partitions moving" : "", gossipFrom);
        } else {
            out.println("ring unknown: no node answered with gossip");
        }
        long down = up.values().stream().filter(answers -> !answers).count();
        out.printf("%d node%s: %d up, %d down", up.size(), up.size() == 1 ? "" : "s", up.size() - down, down);
        if (nodeConfig != null) {
            out.printf("; Q=%d, N=%d, R=%d, W=%d", nodeConfig.partitions(), nodeConfig.replication().replicas(),
                    nodeConfig.replication().readQuorum(), nodeConfig.replication().writeQuorum());
        }
        out.println();
        out.flush();
        return down == 0 ? 0 : DynamoCli.FAILURE;
    }

    /** {@code --config}'s node config, else the cluster directory's first one when no {@code --nodes} were given. */
    private NodeConfig findConfig() {
        Path file = ClusterOptions.configFile(cluster.config, cluster.nodes, cluster.clusterDirectory);
        return file == null ? null : NodeConfig.load(file, Map.of());
    }
}
