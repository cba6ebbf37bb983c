package io.dynamo.server;

import static java.util.Objects.requireNonNull;

import io.dynamo.core.client.DynamoClient;
import io.dynamo.spi.transport.Endpoint;
import java.io.PrintWriter;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code dynamo hints}: the hinted keys each node holds, per target node (what hinted handoff still has to deliver). */
@Command(name = "hints", mixinStandardHelpOptions = true,
        description = {"Show the hints each node holds: writes it accepted for a replica that was down, per target node,"
                + " still to be handed off.",
                "One line per holder and target, then the total. Exit code 1 when a node did not answer."})
final class HintsCommand implements Callable<Integer> {
    private final StoreOpener opener;

    @Spec CommandSpec spec;

    @Option(names = "--node", paramLabel = "HOST:PORT", description = "Only this node (default: every node of --nodes).")
    String node;

    @Option(names = "--timeout", paramLabel = "DURATION", defaultValue = "10s", converter = DurationConverter.class,
            description = "How long to wait for each node's answer (default: ${DEFAULT-VALUE}).")
    Duration timeout;

    @Mixin ClusterOptions cluster;

    HintsCommand(StoreOpener opener) {
        this.opener = requireNonNull(opener, "opener is null");
    }

    @Override
    public Integer call() {
        List<Endpoint> targets = node == null ? cluster.endpoints() : Addresses.parse("--node", List.of(node));
        PrintWriter out = spec.commandLine().getOut();
        String format = "%-22s %-16s %s%n";
        out.printf(format, "node", "target", "pending");
        long total = 0;
        List<String> unanswered = new ArrayList<>();
        try (DynamoClient client = opener.open(targets, timeout, cluster.transportConfig())) {
            for (Endpoint target : targets) {
                Map<String, Long> pending;
                try {
                    pending = client.hints(target, timeout);
                } catch (RuntimeException e) {
                    unanswered.add(target + ": " + DynamoCli.OneLineErrors.describe(e));
                    out.printf(format, target, "-", "no answer");
                    continue;
                }
                if (pending.isEmpty()) {
                    out.printf(format, target, "-", 0);
                }
                for (Map.Entry<String, Long> entry : new java.util.TreeMap<>(pending).entrySet()) {
                    out.printf(format, target, entry.getKey(), entry.getValue());
                    total += entry.getValue();
                }
            }
        }
        out.printf("%d hint%s pending%n", total, total == 1 ? "" : "s");
        out.flush();
        if (!unanswered.isEmpty()) {
            throw new IllegalStateException("no answer from " + String.join("; ", unanswered));
        }
        return 0;
    }
}
