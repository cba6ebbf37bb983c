package io.dynamo.server;

import static java.util.Objects.requireNonNull;

import io.dynamo.core.client.DynamoClient;
import io.dynamo.spi.transport.Endpoint;
import java.io.PrintWriter;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code dynamo drain --node HOST:PORT}: the node refuses client requests from now on (clients
 * fail over to other nodes), hands off its hints, then stops.
 */
@Command(name = "drain", mixinStandardHelpOptions = true,
        description = {"Stop a node gently: it refuses client requests from now on (answered 'unavailable: this node is"
                + " draining', so clients go to another node), hands off the hints it holds to their nodes for at most"
                + " --handoff, then stops as on SIGTERM.",
                "Prints the hints left, if any (they are handed off when the node starts again). Needs the admin"
                        + " credential."})
final class DrainCommand implements Callable<Integer> {
    private final StoreOpener opener;

    @Spec CommandSpec spec;

    @Option(names = "--node", required = true, paramLabel = "HOST:PORT", description = "The node to drain.")
    String node;

    @Option(names = "--handoff", paramLabel = "DURATION", defaultValue = "60s", converter = DurationConverter.class,
            description = "How long the node may hand off hints before it stops (default: ${DEFAULT-VALUE}).")
    Duration handoff;

    @Mixin ClusterOptions cluster;

    DrainCommand(StoreOpener opener) {
        this.opener = requireNonNull(opener, "opener is null");
    }

    @Override
    public Integer call() {
        Endpoint target = Addresses.parse("--node", List.of(node)).get(0);
        PrintWriter out = spec.commandLine().getOut();
        out.printf("%s: draining: client requests refused; handing off hints (at most %d s)%n", target, handoff.toSeconds());
        out.flush();
        Duration timeout = handoff.plusSeconds(30);
        Map<String, Long> left;
        try (DynamoClient client = opener.open(List.of(target), timeout, cluster.transportConfig())) {
            left = client.drain(target, handoff, timeout);
        }
        if (left.isEmpty()) {
            out.printf("%s: every hint handed off; the node stops%n", target);
        } else {
            out.printf("%s: hints left per target node %s (handed off when it starts again); the node stops%n", target,
                    new java.util.TreeMap<>(left));
        }
        out.flush();
        return 0;
    }
}
