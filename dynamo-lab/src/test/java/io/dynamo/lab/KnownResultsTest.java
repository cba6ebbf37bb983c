package io.dynamo.lab;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** Results the literature predicts, on the shipped cart experiment (c), one seed. */
class KnownResultsTest {
    static ExperimentFile shipped(String name, Optional<Long> seed) throws IOException {
        return ExperimentFile.parse(Files.readString(Path.of("experiments", name + ".properties")), seed);
    }

    @Test
    void lwwLosesAcknowledgedAddsWhereCausalStrategiesWithAClientMergeLoseNone() throws IOException {
        ExperimentFile file = shipped("lww-loses-updates", Optional.of(1L));
        Experiment experiment = file.experiment().toBuilder().strategies(List.of("vector-clock", "dvv", "lww")).build();
        try (Lab lab = new Lab(Path.of("target", "no-plugins"))) {
            List<RunResult> results = lab.run(experiment, "", Progress.SILENT);
            for (RunResult r : results) {
                assertTrue(r.measure("updates_acknowledged") > 100, r.strategy() + " acknowledged too few adds to tell");
                if (r.strategy().equals("lww")) {
                    assertTrue(r.measure("updates_lost") > 0, "lww lost no acknowledged add: " + r.measures());
                } else {
                    assertEquals(0, r.measure("updates_lost"), r.strategy() + " lost acknowledged adds: " + r.measures());
                }
            }
        }
    }
}
