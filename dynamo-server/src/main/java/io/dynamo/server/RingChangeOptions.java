package io.dynamo.server;

import io.dynamo.core.client.DynamoClient;
import io.dynamo.spi.transport.Endpoint;
import java.io.PrintWriter;
import java.time.Duration;
import java.util.List;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * What every ring change ({@code decommission}, {@code remove --force}, {@code replace}) takes —
 * the member that starts it and whether to follow it — and how it is sent: through that member,
 * then, with {@code --follow}, watched until it settles.
 */
final class RingChangeOptions {
    private static final Duration TIMEOUT = Duration.ofSeconds(10);

    @Option(names = "--via", paramLabel = "HOST:PORT",
            description = "The member that starts the change (default: the first of --nodes).")
    String via;

    @Option(names = "--follow", arity = "0..1", paramLabel = "LIMIT", fallbackValue = "1h",
            converter = DurationConverter.class,
            description = "Wait until the change has settled, showing the partitions received and the keys streamed"
                    + " (a bar on a terminal, plain lines otherwise), for at most LIMIT (default 1h).")
    Duration follow;

    @Mixin ClusterOptions cluster;

    /** One ring change request, sent to the member {@code via}. */
    interface Change {
        void send(DynamoClient client, Endpoint via, Duration timeout);
    }

    /** Sends {@code change}, prints {@code started}, and with {@code --follow} waits until it has settled. */
    int run(StoreOpener opener, PrintWriter out, String started, Change change) throws InterruptedException {
        List<Endpoint> members = cluster.endpoints();
        Endpoint target = via == null ? members.get(0) : Addresses.parse("--via", List.of(via)).get(0);
        try (DynamoClient client = opener.open(List.of(target), TIMEOUT, cluster.transportConfig())) {
            long before = follow == null ? 0 : client.membership(target, TIMEOUT).ring().version();
            change.send(client, target, TIMEOUT);
            out.println(started);
            out.flush();
            if (follow != null) {
                MoveFollower.follow(client, target, before, follow, out);
            }
        }
        return 0;
    }
}
