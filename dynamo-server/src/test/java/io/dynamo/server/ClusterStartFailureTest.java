package io.dynamo.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code cluster start} with a node that cannot start: the error shows the first line of the
 * node's console that says what is wrong, and where the console log is. Real node processes.
 */
class ClusterStartFailureTest {
    @TempDir Path directory;

    @Test
    void aBadSettingShowsTheNodesErrorLineAndItsConsoleLog() throws Exception {
        Path plugins = Files.createDirectories(directory.resolve("plugins"));
        int port = InProcessNodes.freePorts(1).get(0);

        Cli.Result start = Cli.run("cluster", "start", "--nodes", "1", "--dir", directory.toString(),
                "--base-port", Integer.toString(port), "--wait", "120s",
                "--set", "node.plugins-dir=" + plugins, "--set", "skiplst.max-keys-per-partition=10");

        assertEquals(1, start.exitCode(), start::toString);
        Path console = directory.resolve("node-1").resolve("console.log").toAbsolutePath();
        // a bad setting is a usage mistake: the node exits with 2
        assertTrue(start.err().contains("node-1 exited with status 2 while starting; first error: dynamo server: error:"
                + " skiplst.max-keys-per-partition: no core section and no installed plugin is named 'skiplst'"), start::toString);
        assertTrue(start.err().contains("(console log: " + console + ")"), start::toString);
        assertFalse(Files.exists(directory.resolve("pids")), start::toString);
    }

    @Test
    void twoPluginsWithOneNameShowTheFirstLineOfTheMessageNotOnlyItsEnd() throws Exception {
        Path plugins = Files.createDirectories(directory.resolve("plugins"));
        Path copy = TestJars.copyOfClassPathPlugin("io.dynamo.partitioner.md5.Md5Plugin", plugins.resolve("md5-again.jar"));
        int port = InProcessNodes.freePorts(1).get(0);

        Cli.Result start = Cli.run("cluster", "start", "--nodes", "1", "--dir", directory.toString(),
                "--base-port", Integer.toString(port), "--wait", "120s", "--set", "node.plugins-dir=" + plugins);

        assertEquals(1, start.exitCode(), start::toString);
        String firstError = start.err().substring(start.err().indexOf("first error: "));
        // the message's first line says what is wrong, the next one names both sources
        assertTrue(firstError.startsWith("first error: dynamo server: error: Plugin names must be unique per extension point,"
                + " but: |   partitioner 'md5' is provided by class path"), start::toString);
        assertTrue(firstError.contains(copy.toString()), start::toString);
        assertTrue(start.err().contains("(console log: " + directory.resolve("node-1").resolve("console.log").toAbsolutePath()
                + ")"), start::toString);
    }
}
