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
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/**
 * {@code dynamo replace DEAD --with NEW}: asks a member to give every partition of DEAD, a node
 * that is down and whose disk is gone, to NEW, a standby node ({@code dynamo join --standby}),
 * which streams them from their other replicas. Returns once the change is under way.
 */
@Command(name = "replace", mixinStandardHelpOptions = true,
        description = {"Give every partition of DEAD, a node that is down and whose data is gone, to NEW: a node started"
                + " with `dynamo join --seed HOST:PORT --standby` that waits outside the ring. NEW streams the"
                + " partitions from their other replicas; no other node's partitions change.",
                "Refused while the cluster's failure detector sees DEAD up, for a NEW that is not a standby known by"
                        + " gossip, or while another membership change is in progress. Returns once the move has"
                        + " started; follow it with `dynamo status`."})
final class ReplaceCommand implements Callable<Integer> {
    private final StoreOpener opener;

    @Spec CommandSpec spec;

    @Parameters(index = "0", paramLabel = "DEAD", description = "The id of the node to replace.")
    String dead;

    @Option(names = "--with", required = true, paramLabel = "NEW", description = "The id of the standby node that takes its place.")
    String replacement;

    @Option(names = "--via", paramLabel = "HOST:PORT",
            description = "The member that starts the change (default: the first of --nodes).")
    String via;

    @Option(names = "--follow", arity = "0..1", paramLabel = "LIMIT", fallbackValue = "1h",
            converter = DurationConverter.class,
            description = "Wait until the change has settled, showing the partitions received and the keys streamed"
                    + " (a bar on a terminal, plain lines otherwise), for at most LIMIT (default 1h).")
    Duration follow;

    @Mixin ClusterOptions cluster;

    ReplaceCommand(StoreOpener opener) {
        this.opener = requireNonNull(opener, "opener is null");
    }

    @Override
    public Integer call() throws InterruptedException {
        List<Endpoint> members = cluster.endpoints();
        Endpoint target = via == null ? members.get(0) : Addresses.parse("--via", List.of(via)).get(0);
        Duration timeout = Duration.ofSeconds(10);
        try (DynamoClient client = opener.open(List.of(target), timeout, cluster.transportConfig())) {
            long before = follow == null ? 0 : client.membership(target, timeout).ring().version();
            client.replaceNode(target, dead, replacement, timeout);
            spec.commandLine().getOut().printf("replacing %s with %s: %s streams its partitions from their other replicas"
                    + " (see `dynamo status`)%n", dead, replacement, replacement);
            spec.commandLine().getOut().flush();
            if (follow != null) {
                MoveFollower.follow(client, target, before, follow, spec.commandLine().getOut());
            }
        }
        return 0;
    }
}
