package io.dynamo.server;

import static java.util.Objects.requireNonNull;

import io.dynamo.core.client.DynamoClient;
import io.dynamo.spi.PluginConfig;
import io.dynamo.spi.transport.Endpoint;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/**
 * {@code dynamo decommission NODE}: asks a member to start moving {@code NODE}'s partitions to
 * the remaining members. Returns once the change is under way; {@code dynamo status} shows it.
 */
@Command(name = "decommission", mixinStandardHelpOptions = true,
        description = {"Move a node's partitions to the remaining members, after which it is out of the ring (state"
                + " 'left') and may be stopped.",
                "Returns once the move has started; follow it with `dynamo status`. Fails while another membership"
                        + " change is in progress."})
final class DecommissionCommand implements Callable<Integer> {
    private final StoreOpener opener;

    @Spec CommandSpec spec;

    @Parameters(index = "0", paramLabel = "NODE", description = "The id of the node to decommission.")
    String node;

    @Option(names = "--via", paramLabel = "HOST:PORT",
            description = "The member that starts the change (default: the first of --nodes).")
    String via;

    @Option(names = "--nodes", split = ",", paramLabel = "HOST:PORT",
            description = "The cluster's nodes. Default: those of the cluster directory (--dir) if it has any, else"
                    + " 127.0.0.1:7001,127.0.0.1:7002,127.0.0.1:7003.")
    List<String> nodes;

    @Option(names = "--dir", paramLabel = "DIR", defaultValue = ClientOptions.DEFAULT_CLUSTER_DIR,
            description = "Cluster directory written by `dynamo cluster start` (default: $DYNAMO_CLUSTER_DIR or ./dynamo-cluster).")
    Path clusterDirectory;

    @Option(names = "--config", paramLabel = "FILE", description = "A node config file whose tcp.* keys the client uses too.")
    Path config;

    @Option(names = "--set", paramLabel = "tcp.KEY=VALUE", description = "A transport setting of the client (repeatable).")
    Map<String, String> transportSettings = new LinkedHashMap<>();

    DecommissionCommand(StoreOpener opener) {
        this.opener = requireNonNull(opener, "opener is null");
    }

    @Override
    public Integer call() {
        List<Endpoint> cluster = ClientOptions.endpoints(nodes, clusterDirectory);
        Endpoint target = via == null ? cluster.get(0) : Addresses.parse("--via", List.of(via)).get(0);
        Duration timeout = Duration.ofSeconds(10);
        PluginConfig transport = ClientTransportSettings.of(ClientOptions.configFile(config, nodes, clusterDirectory),
                transportSettings);
        try (DynamoClient client = opener.open(List.of(target), timeout, transport)) {
            client.decommission(target, node, timeout);
        }
        spec.commandLine().getOut().printf("decommissioning %s: its partitions are moving (see `dynamo status`)%n", node);
        spec.commandLine().getOut().flush();
        return 0;
    }
}
