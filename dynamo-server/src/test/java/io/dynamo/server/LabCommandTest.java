package io.dynamo.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code dynamo lab} is wired to dynamo-lab: list, run, and exit 2 on a bad experiment. */
class LabCommandTest {
    @Test
    void listsTheShippedExperiments() {
        Cli.Result result = Cli.run("lab", "list");
        assertEquals(0, result.exitCode(), result.toString());
        assertTrue(result.out().contains("lww-loses-updates"), result.toString());
    }

    @Test
    void runsAnExperimentFileIntoTheOutDirectory(@TempDir Path dir) throws Exception {
        Path file = dir.resolve("tiny.properties");
        Files.writeString(file, "name = tiny\nnodes = 3\nstrategies = lww\nworkload = register\noperations = 50\n");
        Cli.Result result = Cli.run("lab", "run", file.toString(), "--seed", "3", "--out", dir.resolve("out").toString(),
                "--plugins", dir.resolve("plugins").toString());
        assertEquals(0, result.exitCode(), result.toString());
        assertTrue(Files.size(dir.resolve("out").resolve("runs.csv")) > 0);
        assertTrue(result.out().contains("| lww |"), result.toString());
    }

    @Test
    void aBadExperimentExitsTwo(@TempDir Path dir) throws Exception {
        Path file = dir.resolve("bad.properties");
        Files.writeString(file, "r = 4\n");
        Cli.Result result = Cli.run("lab", "run", file.toString(), "--out", dir.resolve("out").toString());
        assertEquals(2, result.exitCode(), result.toString());
        assertEquals("dynamo lab: R=4 must be between 1 and N=3", result.err().strip(), result.toString());
    }
}
