package io.dynamo.lab;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** What {@code dynamo lab run} and {@code dynamo lab list} do. */
class LabCommandLineTest {
    private final StringWriter out = new StringWriter();
    private StringWriter err = new StringWriter();

    private int run(String experiment, Path dir) {
        return LabCommandLine.run(experiment, Optional.of(1L), dir.resolve("results"), dir.resolve("plugins"),
                new PrintWriter(out, true), new PrintWriter(err, true), false);
    }

    @Test
    void listsEveryShippedExperimentAndEachParses() {
        List<LabCommandLine.Shipped> shipped = LabCommandLine.list();
        assertEquals(List.of("section-6-3", "truncation-vs-dvv", "lww-loses-updates", "or-set-vs-set-union",
                "pn-counter-vs-max", "pbs-n3", "lost-updates-vs-partition"), shipped.stream().map(LabCommandLine.Shipped::name).toList());
        for (LabCommandLine.Shipped experiment : shipped) {
            assertTrue(!experiment.description().isEmpty(), experiment.name() + " has a description");
            ExperimentFile.parse(LabCommandLine.shipped(experiment.name()).orElseThrow(), Optional.empty());
        }
    }

    @Test
    void runsAFileIntoTheResultsDirectoryWithPlainProgressLines(@TempDir Path dir) throws IOException {
        Path file = dir.resolve("tiny.properties");
        Files.writeString(file, "name = tiny\nnodes = 3\nstrategies = lww\nworkload = counter\noperations = 100\n");
        assertEquals(0, run(file.toString(), dir), err.toString());
        assertTrue(err.toString().contains("run lww seed 1 (100 operations)"));
        assertTrue(out.toString().contains("| lww |"));
        for (String name : List.of("runs.csv", "pbs.csv", "summary.md", "manifest.properties", "versions-per-read.png",
                "pbs.png", "histories/lww-seed1.edn")) {
            assertTrue(Files.size(dir.resolve("results").resolve(name)) > 0, name);
        }
    }

    @Test
    void aBadExperimentExitsTwoWithOneLine(@TempDir Path dir) throws IOException {
        Path file = dir.resolve("bad.properties");
        Files.writeString(file, "name = bad\nstrategies = vector-clock, or-sett\n");
        assertEquals(LabCommandLine.USAGE, run(file.toString(), dir));
        String message = err.toString();
        assertTrue(message.startsWith("dynamo lab: strategies: no strategy named 'or-sett'"), message);
        assertEquals(1, message.lines().count(), message);
        err = new StringWriter();
        assertEquals(LabCommandLine.USAGE, run("no-such-experiment", dir));
        assertTrue(err.toString().contains("Shipped: section-6-3"));
    }
}
