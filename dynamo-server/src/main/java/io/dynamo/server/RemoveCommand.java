package io.dynamo.server;

import static java.util.Objects.requireNonNull;

import io.dynamo.core.client.DynamoClient;
import io.dynamo.spi.transport.Endpoint;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/**
 * {@code dynamo remove --force NODE}: asks a member to take a node that is down and will never
 * return out of the ring; its partitions go to the remaining members, streamed from their
 * surviving replicas. Returns once the change is under way; {@code dynamo status} shows it.
 */
@Command(name = "remove", mixinStandardHelpOptions = true,
        description = {"Take a node that is down and will never return out of the ring (--force is required): its"
                + " partitions go to the remaining members, which stream them from the surviving replicas.",
                "Refused while the cluster's failure detector sees NODE up (decommission a live node instead) or"
                        + " another membership change is in progress. Returns once the move has started; follow it"
                        + " with `dynamo status`."})
final class RemoveCommand implements Callable<Integer> {
    private final StoreOpener opener;

    @Spec CommandSpec spec;

    @Parameters(index = "0", paramLabel = "NODE", description = "The id of the node to remove.")
    String node;

    @Option(names = "--force", description = "Confirms that NODE is gone for good and its data is lost with it.")
    boolean force;

    @Option(names = "--via", paramLabel = "HOST:PORT",
            description = "The member that starts the change (default: the first of --nodes).")
    String via;

    @Option(names = "--follow", arity = "0..1", paramLabel = "LIMIT", fallbackValue = "1h",
            converter = DurationConverter.class,
            description = "Wait until the change has settled, showing the partitions received and the keys streamed"
                    + " (a bar on a terminal, plain lines otherwise), for at most LIMIT (default 1h).")
    Duration follow;

    @Mixin ClusterOptions cluster;

    RemoveCommand(StoreOpener opener) {
        this.opener = requireNonNull(opener, "opener is null");
    }

    @Override
    public Integer call() throws InterruptedException {
        if (!force) {
            throw new ParameterException(spec.commandLine(), "remove is for a node that will never return: add --force"
                    + " (a node that runs hands its data over with: dynamo decommission " + node + ")");
        }
        List<Endpoint> members = cluster.endpoints();
        Endpoint target = via == null ? members.get(0) : Addresses.parse("--via", List.of(via)).get(0);
        Duration timeout = Duration.ofSeconds(10);
        try (DynamoClient client = opener.open(List.of(target), timeout, cluster.transportConfig())) {
            long before = follow == null ? 0 : client.membership(target, timeout).ring().version();
            client.removeNode(target, node, timeout);
            spec.commandLine().getOut().printf("removing %s: its partitions stream from their surviving replicas to their"
                    + " new owners (see `dynamo status`)%n", node);
            spec.commandLine().getOut().flush();
            if (follow != null) {
                MoveFollower.follow(client, target, before, follow, spec.commandLine().getOut());
            }
        }
        return 0;
    }
}
