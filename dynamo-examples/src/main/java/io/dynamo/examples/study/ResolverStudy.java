package io.dynamo.examples.study;

import io.dynamo.lab.Experiment;
import io.dynamo.lab.ExperimentFile;
import io.dynamo.lab.Lab;
import io.dynamo.lab.Progress;
import io.dynamo.lab.RunResult;
import io.dynamo.lab.WorkloadKind;
import io.dynamo.core.transport.local.Faults;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

/**
 * The resolution lab (dynamo-lab) from Java: the paper's shopping cart on five simulated nodes
 * under drops, a partition and a skewed clock, compared across strategies with the same seed.
 * The lab does the work; this shows how to assemble an experiment with its builder. The same
 * study, and more, runs from the command line: {@code dynamo lab run lww-loses-updates}.
 *
 * <p>Arguments: {@code [seed] [operations]}.
 */
public final class ResolverStudy {
    static final List<String> STRATEGIES = List.of("vector-clock", "dvv", "lww", "set-union");

    private ResolverStudy() {}

    public static void main(String[] args) {
        long seed = args.length > 0 ? Long.parseLong(args[0]) : 42;
        int operations = args.length > 1 ? Integer.parseInt(args[1]) : 1000;
        Experiment experiment = experiment(seed, operations);
        try (Lab lab = new Lab(Path.of("plugins"))) {
            List<RunResult> results = lab.run(experiment, "", Progress.SILENT);
            for (RunResult r : results) {
                System.out.printf("%-14s lost %4.0f of %4.0f acknowledged adds, %4.0f of %4.0f removals resurrected,"
                        + " max siblings %.0f%n", r.strategy(), r.measure("updates_lost"), r.measure("updates_acknowledged"),
                        r.measure("removals_resurrected"), r.measure("removals_acknowledged"), r.measure("max_siblings"));
            }
        }
    }

    /** The study as a lab experiment, built in Java rather than read from a file. */
    static Experiment experiment(long seed, int operations) {
        return Experiment.builder().name("resolver-study").nodes(5).replication(3, 2, 2).strategies(STRATEGIES)
                .workload(WorkloadKind.CART).clients(6).keys(4).readShare(0.3).thinkTime(Duration.ofMillis(5))
                .network(Faults.delay(Duration.ofMillis(1), Duration.ofMillis(10)).withDropRate(0.01))
                .faults(ExperimentFile.parse("""
                        fault.1 = at 0% skew node-1 -2s
                        fault.2 = at 25% partition node-1,node-2 | rest for 25%
                        """, java.util.Optional.empty()).experiment().faults())
                .seeds(List.of(seed)).operations(operations).build();
    }
}
