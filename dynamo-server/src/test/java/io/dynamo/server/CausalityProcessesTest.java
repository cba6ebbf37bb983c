package io.dynamo.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Dotted version vectors on three real node processes (chronicle, tcp on 127.0.0.1): the demo's
 * siblings-and-merge flow through the CLI, and a node restarted with the other scheme over the
 * same data refuses to start, naming the setting and the directory.
 */
class CausalityProcessesTest {
    private static final Pattern CONTEXT = Pattern.compile("(?m)^context: (\\S+)$");

    @TempDir Path directory;

    @Test
    void siblingsAndTheirMergeUnderDvvAndNoOtherSchemeOverItsData() throws Exception {
        ClusterDirectory cluster = new ClusterDirectory(directory);
        try {
            int basePort = FreePorts.consecutive(3, 1);
            Cli.Result start = Cli.run("cluster", "start", "--nodes", "3", "--dir", directory.toString(),
                    "--base-port", Integer.toString(basePort), "--partitions", "32", "--wait", "120s",
                    "--set", "causality=dvv", "--set", "replication.timeout=10s");
            assertEquals(0, start.exitCode(), start::toString);
            assertTrue(Files.readString(cluster.configFile("node-1")).contains("causality=dvv\n"));

            String first = context(client("put", "cart", "book"));
            // two clients write from the same context: their writes are concurrent
            assertEquals(0, client("put", "cart", "book,pen", "--context", first).exitCode());
            assertEquals(0, client("put", "cart", "book,lamp", "--context", first).exitCode());
            Cli.Result siblings = client("get", "cart");
            assertTrue(siblings.out().contains("value 1 of 2: ") && siblings.out().contains("value 2 of 2: "),
                    siblings::toString);
            assertTrue(siblings.out().contains("book,pen") && siblings.out().contains("book,lamp"), siblings::toString);

            // a write with the context of both replaces both
            assertEquals(0, client("put", "cart", "book,lamp,pen", "--context", context(siblings)).exitCode());
            Cli.Result merged = client("get", "cart");
            assertTrue(merged.out().startsWith("value: book,lamp,pen\ncontext: "), merged::toString);

            Cli.Result stop = Cli.run("cluster", "stop", "--dir", directory.toString(), "--grace", "30s");
            assertEquals(0, stop.exitCode(), stop::toString);

            // node-1's data was written under dvv: started with vector clocks, it refuses
            Path config = directory.resolve("node-1-vector-clock.properties");
            Files.writeString(config, Files.readString(cluster.configFile("node-1"))
                    .replace("causality=dvv\n", "causality=vector-clock\n"));
            Path log = directory.resolve("node-1-vector-clock.log");
            Process node = NodeProcesses.start(config, log);
            assertTrue(node.waitFor(180, TimeUnit.SECONDS), () -> "the node did not exit: " + read(log));
            assertNotEquals(0, node.exitValue(), () -> read(log));
            assertTrue(read(log).contains("causality: is vector-clock, but the data in "
                    + cluster.dataDirectory("node-1") + " was written with causality=dvv"), () -> read(log));
        } finally {
            if (Files.exists(cluster.pidsFile())) {
                Cli.run("cluster", "stop", "--dir", directory.toString(), "--grace", "10s");
            }
            cluster.pids().values().forEach(pid -> ProcessHandle.of(pid).ifPresent(ProcessHandle::destroyForcibly));
        }
    }

    private Cli.Result client(String... args) {
        String[] withDir = java.util.Arrays.copyOf(args, args.length + 2);
        withDir[args.length] = "--dir";
        withDir[args.length + 1] = directory.toString();
        Cli.Result result = Cli.run(withDir);
        assertEquals(0, result.exitCode(), result::toString);
        return result;
    }

    private static String context(Cli.Result result) {
        Matcher matcher = CONTEXT.matcher(result.out());
        assertTrue(matcher.find(), () -> "no context in\n" + result);
        return matcher.group(1);
    }

    private static String read(Path file) {
        try {
            return Files.exists(file) ? Files.readString(file) : "(no log)";
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
