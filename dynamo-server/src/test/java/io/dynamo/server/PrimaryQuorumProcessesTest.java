package io.dynamo.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * pw and conditional writes on four real node processes over TCP (N=3, W=2): while a primary is
 * killed with -9, {@code put --pw 3} of a key it is a primary of fails naming pw, and a put
 * without pw still succeeds through a stand-in; {@code put --if-unmodified} with a stale context
 * prints the current versions and exits 3.
 */
class PrimaryQuorumProcessesTest {
    private static final Pattern CONTEXT = Pattern.compile("(?m)^context: (\\S+)$");

    @TempDir Path directory;

    @Test
    void pwOfThreeFailsWhileAPrimaryIsDownAndTheDefaultKeepsWriting() throws Exception {
        ClusterDirectory cluster = new ClusterDirectory(directory);
        try {
            int basePort = FreePorts.consecutive(4, 1);
            Cli.Result start = Cli.run("cluster", "start", "--nodes", "4", "-N", "3", "-W", "2", "--dir",
                    directory.toString(), "--base-port", Integer.toString(basePort), "--partitions", "32", "--wait",
                    "120s", "--set", "replication.timeout=10s");
            assertEquals(0, start.exitCode(), start::toString);

            // all primaries up: pw=3 is met
            assertEquals(0, run("put", "warm", "up", "--pw", "3").exitCode());

            // a conditional put with a stale context is refused with the current versions
            String first = context(run("get", "warm"));
            assertEquals(0, run("put", "warm", "newer", "--context", first).exitCode());
            Cli.Result refused = run("put", "warm", "stale", "--context", first, "--if-unmodified");
            assertEquals(KeyValueCommands.CONFLICT, refused.exitCode(), refused::toString);
            assertTrue(refused.out().contains("value: newer") && refused.err().contains("conflict"), refused::toString);

            long pid = cluster.pids().get("node-4");
            ProcessHandle node4 = ProcessHandle.of(pid).orElseThrow();
            node4.destroyForcibly();
            node4.onExit().get();

            List<String> refusedKeys = new ArrayList<>();
            for (int i = 0; i < 8; i++) {
                String key = "key-" + i;
                Cli.Result strict = run("put", key, "strict", "--pw", "3");
                if (strict.exitCode() != 0) {
                    assertEquals(1, strict.exitCode(), strict::toString);
                    assertTrue(strict.err().contains("pw=3"), strict::toString);
                    refusedKeys.add(key);
                }
                // without pw, the write goes on: W=2 from the other primary and a stand-in for node-4
                Cli.Result sloppy = run("put", key, "sloppy");
                assertEquals(0, sloppy.exitCode(), sloppy::toString);
            }
            assertTrue(!refusedKeys.isEmpty(), "node-4 is a primary of some of the keys");
        } finally {
            if (Files.exists(cluster.pidsFile())) {
                Cli.run("cluster", "stop", "--dir", directory.toString(), "--grace", "10s");
            }
            cluster.pids().values().forEach(pid -> ProcessHandle.of(pid).ifPresent(ProcessHandle::destroyForcibly));
        }
    }

    private Cli.Result run(String... args) {
        String[] withDir = java.util.Arrays.copyOf(args, args.length + 2);
        withDir[args.length] = "--dir";
        withDir[args.length + 1] = directory.toString();
        return Cli.run(withDir);
    }

    private static String context(Cli.Result result) {
        Matcher matcher = CONTEXT.matcher(result.out());
        assertTrue(matcher.find(), () -> "no context in\n" + result);
        return matcher.group(1);
    }
}
