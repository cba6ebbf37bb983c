package io.dynamo.lab;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIfSystemProperty;

/**
 * A 64-node, 100,000-operation experiment completes (and, for comparison, the same workload on
 * 5 nodes). Out of the default run: {@code mvn -B -pl dynamo-lab -am verify -Pscale
 * -Dtest=ScaleExperimentTest -Dsurefire.failIfNoSpecifiedTests=false}. Prints the simulated
 * operations per second of wall time; never asserts on time.
 */
@EnabledIfSystemProperty(named = "lab.scale", matches = "true")
class ScaleExperimentTest {
    private static void run(int nodes) {
        Experiment experiment = Experiment.builder().name("scale-" + nodes).nodes(nodes).replication(3, 2, 2)
                .partitions(Math.max(64, 4 * nodes)).strategies(List.of("dvv")).workload(WorkloadKind.REGISTER)
                .clients(64).keys(10_000).readShare(0.5).thinkTime(Duration.ofMillis(10)).operations(100_000).build();
        try (Lab lab = new Lab(Path.of("target", "no-plugins"))) {
            long start = System.nanoTime();
            RunResult result = lab.run(experiment, "", Progress.SILENT).get(0);
            double seconds = (System.nanoTime() - start) / 1e9;
            System.out.printf("%d nodes, 100,000 operations: %.1f s, %.0f simulated operations/s%n", nodes, seconds,
                    100_000 / seconds);
            assertEquals(100_000, result.measure("operations"));
            assertEquals(100_000, result.measure("ok") + result.measure("fail") + result.measure("info"));
        }
    }

    @Test
    void sixtyFourNodesHundredThousandOperations() {
        run(64);
    }

    @Test
    void fiveNodesHundredThousandOperations() {
        run(5);
    }
}
