package io.dynamo.server;

import static java.util.Objects.requireNonNull;

import io.dynamo.core.client.DynamoClient;
import io.dynamo.spi.PluginConfig;
import io.dynamo.spi.transport.Endpoint;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
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

    @Option(names = "--follow", arity = "0..1", paramLabel = "LIMIT", fallbackValue = "1h",
            converter = DurationConverter.class,
            description = "Wait until the change has settled, showing the partitions received and the keys streamed"
                    + " (a bar on a terminal, plain lines otherwise), for at most LIMIT (default 1h).")
    Duration follow;

    @Mixin ClusterOptions cluster;

    DecommissionCommand(StoreOpener opener) {
        this.opener = requireNonNull(opener, "opener is null");
    }

    @Override
    public Integer call() throws InterruptedException {
        List<Endpoint> members = cluster.endpoints();
        Endpoint target = via == null ? members.get(0) : Addresses.parse("--via", List.of(via)).get(0);
        Duration timeout = Duration.ofSeconds(10);
        PluginConfig transport = cluster.transportConfig();
        try (DynamoClient client = opener.open(List.of(target), timeout, transport)) {
            long before = follow == null ? 0 : client.membership(target, timeout).ring().version();
            client.decommission(target, node, timeout);
            spec.commandLine().getOut().printf("decommissioning %s: its partitions are moving (see `dynamo status`)%n", node);
            spec.commandLine().getOut().flush();
            if (follow != null) {
                MoveFollower.follow(client, target, before, follow, spec.commandLine().getOut());
            }
        }
        return 0;
    }
}
