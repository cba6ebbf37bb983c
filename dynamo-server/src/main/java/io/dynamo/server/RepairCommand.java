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
                        + " and the bytes sent. A node that does not answer yet, or whose exchanges fail (peers still"
                        + " reconnecting after a restart), is asked again until --wait has passed.",
                "Exit code 1 when a node did not answer or an exchange still failed."})
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

    @Option(names = "--wait", paramLabel = "DURATION", defaultValue = "60s", converter = DurationConverter.class,
            description = "How long to keep trying a node whose round failed (it did not answer, or exchanges failed"
                    + " while peers reconnect after a restart); each wait is shown (default: ${DEFAULT-VALUE}; 0s = no retry).")
    Duration wait;

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
                    report = repairNode(client, target, out);
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
                    + " failed (a replica down or too slow) after waiting " + wait.toSeconds() + " s for connections;"
                    + " run repair again once every node is up");
        }
        return 0;
    }

    /**
     * The round of {@code target}: with {@code --partition}, that partition; otherwise partition
     * after partition, with a progress bar (plain lines under a pipe), so that a long repair shows
     * how far it is. A node whose ring cannot be asked runs its whole round in one request.
     */
    private RoundReport repairNode(DynamoClient client, Endpoint target, PrintWriter out) {
        long deadline = System.nanoTime() + wait.toNanos();
        if (partition != null) {
            return roundWhenConnected(client, target, Optional.of(partition), deadline, out);
        }
        int partitions;
        try {
            partitions = client.membership(target, Duration.ofSeconds(10)).ring().current().size();
        } catch (RuntimeException e) {
            partitions = 0;
        }
        if (partitions == 0) {
            return roundWhenConnected(client, target, Optional.empty(), deadline, out);
        }
        RoundReport total = RoundReport.EMPTY;
        try (Progress progress = Progress.of("repair " + target, partitions, "partitions", out)) {
            for (int p = 0; p < partitions; p++) {
                total = total.plus(roundWhenConnected(client, target, Optional.of(p), deadline, out));
                progress.update(p + 1, total.keysSent() + " keys sent, " + total.failedExchanges() + " exchanges failed");
            }
        }
        return total;
    }

    /**
     * One round on {@code target}; while it fails (the node does not answer yet, or some of its
     * exchanges failed: peers of a node that just restarted are still reconnecting), waits and
     * runs it again, until {@code deadline} ({@code --wait} after the node's repair began),
     * saying so on each wait. A round is idempotent: it sends only what still differs. The last
     * round's report is returned.
     */
    private RoundReport roundWhenConnected(DynamoClient client, Endpoint target, Optional<Integer> only, long deadline,
            PrintWriter out) {
        long start = deadline - wait.toNanos();
        long pause = 500;
        while (true) {
            RoundReport report;
            String problem;
            try {
                report = client.repair(target, only, timeout);
                if (report.failedExchanges() == 0) {
                    return report;
                }
                problem = report.failedExchanges() + " of " + report.exchanges() + " exchanges failed";
            } catch (InvalidArgumentException e) {
                throw e;
            } catch (RuntimeException e) {
                if (System.nanoTime() + pause * 1_000_000 > deadline) {
                    throw e;
                }
                report = null;
                problem = "no answer (" + DynamoCli.OneLineErrors.describe(e) + ")";
            }
            if (System.nanoTime() + pause * 1_000_000 > deadline) {
                return report;
            }
            out.printf("%s%s: %s; waiting for connections, again in %.1f s (waited %d s of %d s)%n", target,
                    only.map(p -> " partition " + p).orElse(""), problem, pause / 1000.0,
                    (System.nanoTime() - start) / 1_000_000_000, wait.toSeconds());
            out.flush();
            try {
                Thread.sleep(pause);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException("interrupted while waiting to repair " + target, e);
            }
            pause = Math.min(pause * 2, 5_000);
        }
    }

    private static void print(PrintWriter out, String format, String who, RoundReport r) {
        out.printf(format, who, r.partitions(), r.exchanges(), r.failedExchanges(), r.keysCompared(), r.keysDiffering(),
                r.keysSent(), r.bytesSent());
    }
}
