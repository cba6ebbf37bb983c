package io.dynamo.server;

import static java.util.Objects.requireNonNull;

import io.dynamo.api.InvalidArgumentException;
import io.dynamo.core.antientropy.RoundReport;
import io.dynamo.core.client.DynamoClient;
import io.dynamo.spi.PluginConfig;
import io.dynamo.spi.transport.Endpoint;
import java.io.PrintWriter;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code dynamo repair}: one anti-entropy round now, on one node or on each node in turn, and
 * what it did (the node's {@link RoundReport}).
 */
@Command(name = "repair", mixinStandardHelpOptions = true,
        description = {"Run one anti-entropy round now: each node compares its Merkle trees with the other replicas of"
                + " each partition it holds (or of --partition P only) and exchanges the keys that differ.",
                "Prints, per node and in total, the partitions and exchanges, the keys compared, differing and sent,"
                        + " and the bytes sent. Exit code 1 when a node did not answer or an exchange failed."})
final class RepairCommand implements Callable<Integer> {
    private final StoreOpener opener;

    @Spec CommandSpec spec;

    @Option(names = "--node", paramLabel = "HOST:PORT",
            description = "The node that runs the round (default: every node of --nodes, one after the other).")
    String node;

    @Option(names = "--partition", paramLabel = "P", description = "Only this partition (0 to Q-1; default: all).")
    Integer partition;

    @Option(names = "--timeout", paramLabel = "DURATION", defaultValue = "5m", converter = DurationConverter.class,
            description = "How long one node's round may take (default: ${DEFAULT-VALUE}).")
    Duration timeout;

    @Mixin ClusterOptions cluster;

    RepairCommand(StoreOpener opener) {
        this.opener = requireNonNull(opener, "opener is null");
    }

    @Override
    public Integer call() {
        if (partition != null && partition < 0) {
            throw new IllegalArgumentException("--partition must not be negative: " + partition);
        }
        List<Endpoint> members = cluster.endpoints();
        List<Endpoint> targets = node == null ? members : Addresses.parse("--node", List.of(node));
        PrintWriter out = spec.commandLine().getOut();
        String format = "%-22s %10s %9s %6s %13s %14s %9s %12s%n";
        out.printf(format, "node", "partitions", "exchanges", "failed", "keys-compared", "keys-differing", "keys-sent",
                "bytes-sent");
        RoundReport total = RoundReport.EMPTY;
        List<String> unanswered = new ArrayList<>();
        PluginConfig transport = cluster.transportConfig();
        try (DynamoClient client = opener.open(targets, timeout, transport)) {
            for (Endpoint target : targets) {
                RoundReport report;
                try {
                    report = client.repair(target, Optional.ofNullable(partition), timeout);
                } catch (InvalidArgumentException e) {
                    throw e; // e.g. a partition outside the ring: the same answer from every node
                } catch (RuntimeException e) {
                    unanswered.add(target + ": " + DynamoCli.OneLineErrors.describe(e));
                    out.printf("%-22s %s%n", target, "no answer");
                    continue;
                }
                total = total.plus(report);
                print(out, format, target.toString(), report);
            }
        }
        if (targets.size() > 1) {
            print(out, format, "total", total);
        }
        out.flush();
        if (!unanswered.isEmpty()) {
            throw new IllegalStateException("repair did not run on " + String.join("; ", unanswered));
        }
        if (total.failedExchanges() > 0) {
            throw new IllegalStateException(total.failedExchanges() + " exchange" + (total.failedExchanges() == 1 ? "" : "s")
                    + " failed (a replica down or too slow); run repair again once every node is up");
        }
        return 0;
    }

    private static void print(PrintWriter out, String format, String who, RoundReport r) {
        out.printf(format, who, r.partitions(), r.exchanges(), r.failedExchanges(), r.keysCompared(), r.keysDiffering(),
                r.keysSent(), r.bytesSent());
    }
}
