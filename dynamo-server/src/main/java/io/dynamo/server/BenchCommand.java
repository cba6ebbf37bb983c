package io.dynamo.server;

import static java.util.Objects.requireNonNull;

import io.dynamo.core.client.DynamoClient;
import io.dynamo.server.bench.BenchReport;
import io.dynamo.server.bench.BenchSettings;
import io.dynamo.server.bench.LoadGenerator;
import io.dynamo.server.bench.Workload;
import java.io.PrintWriter;
import java.time.Duration;
import java.util.Locale;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/** {@code dynamo bench}: the closed-loop load generator against a running cluster. */
@Command(name = "bench", mixinStandardHelpOptions = true,
        description = {"Load a running cluster: THREADS closed-loop clients run a YCSB-style mix over zipfian keys for"
                + " DURATION, then print throughput and p50/p99/p99.9 latency per operation.",
                "Workloads: a = 50%% reads / 50%% updates, b = 95%% / 5%%, c = reads only. An update is a read then a put"
                        + " with the read's context. Use --load first (once) to write the records.",
                "--store a,b shares the threads out among the stores named (each holds every record)."})
final class BenchCommand implements Callable<Integer> {
    private final StoreOpener opener;

    @Spec CommandSpec spec;
    @Mixin ClientOptions client;

    @Option(names = "--threads", paramLabel = "T", defaultValue = "16", description = "Client threads (default: ${DEFAULT-VALUE}).")
    int threads;

    @Option(names = "--duration", paramLabel = "DURATION", defaultValue = "60s", converter = DurationConverter.class,
            description = "How long the measured run lasts (default: ${DEFAULT-VALUE}).")
    Duration duration;

    @Option(names = "--warmup", paramLabel = "DURATION", converter = DurationConverter.class,
            description = "How long the mix runs unmeasured before the measured run, so that the JIT compilers of the"
                    + " client and the nodes are done (default: none).")
    Duration warmup;

    @Option(names = "--workload", paramLabel = "a|b|c", defaultValue = "a", description = "The mix (default: ${DEFAULT-VALUE}).")
    String workload;

    @Option(names = "--records", paramLabel = "N", defaultValue = "100000", description = "Keys user0 .. user<N-1> (default: ${DEFAULT-VALUE}).")
    long records;

    @Option(names = "--value-size", paramLabel = "BYTES", defaultValue = "100", description = "Size of every value written (default: ${DEFAULT-VALUE}).")
    int valueSize;

    @Option(names = "--load", description = "Write every record first (the load phase), then run.")
    boolean load;

    @Option(names = "--seed", defaultValue = "1", description = "Seed of the key and operation choices (default: ${DEFAULT-VALUE}).")
    long seed;

    @Option(names = "--progress", paramLabel = "DURATION", defaultValue = "5s", converter = DurationConverter.class,
            description = "Interval of the progress lines (default: ${DEFAULT-VALUE}).")
    Duration progress;

    @Option(names = "--client-reads", negatable = true, defaultValue = "true", fallbackValue = "true",
            description = "Coordinate reads in the load generator's client: ask R replicas directly instead of a node"
                    + " that asks them (the Dynamo paper's client-driven coordination), with the partitioner the nodes"
                    + " name, from the plugins found. Writes still go through a node. --no-client-reads leaves reads to"
                    + " the nodes (default: ${DEFAULT-VALUE}).")
    boolean clientReads;

    BenchCommand(StoreOpener opener) {
        this.opener = requireNonNull(opener, "opener is null");
    }

    @Override
    public Integer call() {
        Workload mix;
        BenchSettings settings;
        try {
            mix = Workload.parse(workload);
            settings = new BenchSettings(threads, duration, warmup == null ? Duration.ZERO : warmup, mix, records, valueSize, seed, progress, client.requestOptions());
        } catch (IllegalArgumentException e) {
            throw new ParameterException(spec.commandLine(), e.getMessage());
        }
        PrintWriter out = spec.commandLine().getOut();
        out.printf(Locale.ROOT, "workload %s, %d threads, %d s, %d records of %d bytes, store %s, nodes %s,"
                + " reads coordinated by the %s%n",
                mix.name().toLowerCase(Locale.ROOT), threads, duration.toSeconds(), records, valueSize,
                String.join(" + ", client.stores), client.endpoints(),
                clientReads ? "client (nodes when it cannot)" : "nodes");
        out.flush();
        try (DynamoClient connection = client.open(opener, clientReads)) {
            LoadGenerator generator = new LoadGenerator(client.stores(connection), settings, out);
            if (load) {
                BenchReport loaded = generator.load();
                loaded.print(out);
                if (loaded.errors() > 0) {
                    throw new IllegalStateException(loaded.errors() + " of " + records + " inserts failed in the load phase; first: "
                            + loaded.firstError());
                }
            }
            BenchReport report = generator.run();
            report.print(out);
            if (report.successes() == 0) {
                throw new IllegalStateException("no request succeeded"
                        + (report.firstError() == null ? "" : "; first error: " + report.firstError()));
            }
        }
        return 0;
    }
}
