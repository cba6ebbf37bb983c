package io.dynamo.examples.study;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.dynamo.lab.Lab;
import io.dynamo.lab.Progress;
import io.dynamo.lab.RunResult;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The example's experiment runs on the lab and shows what the lab's README claims for the cart. */
class ResolverStudyTest {
    @Test
    void causalStrategiesLoseNoAcknowledgedAddWhileLastWriterWinsDoes() {
        try (Lab lab = new Lab(Path.of("target", "no-plugins"))) {
            List<RunResult> results = lab.run(ResolverStudy.experiment(42, 600), "", Progress.SILENT);
            for (RunResult r : results) {
                assertTrue(r.measure("updates_acknowledged") > 50, r.strategy() + ": " + r.measures());
                double lost = r.measure("updates_lost");
                if (r.strategy().equals("lww")) {
                    assertTrue(lost > 0, "lww: " + r.measures());
                } else {
                    assertEquals(0, lost, r.strategy() + ": " + r.measures());
                }
            }
        }
    }
}
