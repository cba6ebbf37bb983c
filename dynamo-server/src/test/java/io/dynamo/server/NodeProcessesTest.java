package io.dynamo.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.dynamo.api.Bytes;
import io.dynamo.api.Context;
import io.dynamo.api.DynamoStore;
import io.dynamo.api.ReadResult;
import io.dynamo.api.RequestOptions;
import io.dynamo.spi.PluginConfig;
import io.dynamo.spi.transport.Endpoint;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue 5's first test, with real processes: three node JVMs (chronicle storage, tcp) started by
 * {@code dynamo cluster start}; writes and reads through the client; one node killed with
 * SIGKILL while R=W=2 requests keep succeeding; the node restarted from its data directory; every
 * acknowledged write then readable at R=3, and from the restarted node alone once the other two
 * are stopped.
 */
class NodeProcessesTest {
    private static final RequestOptions QUORUM_2 = RequestOptions.quorum(2).withTimeout(Duration.ofSeconds(10));
    private static final RequestOptions QUORUM_3 = RequestOptions.quorum(3).withTimeout(Duration.ofSeconds(10));
    private static final RequestOptions QUORUM_1 = RequestOptions.quorum(1).withTimeout(Duration.ofSeconds(10));
    private static final PluginConfig NO_SETTINGS = PluginConfig.empty(Connections.TRANSPORT);

    @TempDir Path directory;

    @Test
    void acknowledgedWritesSurviveTheCrashAndRestartOfANode() throws Exception {
        ClusterDirectory cluster = new ClusterDirectory(directory);
        List<Process> restarted = new ArrayList<>();
        try {
            // `cluster start` takes consecutive ports: look for three free in a row
            int basePort = FreePorts.consecutive(3, 1);
            Cli.Result start = Cli.run("cluster", "start", "--nodes", "3", "--dir", directory.toString(),
                    // 32 partitions: each node creates a map file per partition at start
                    "--base-port", Integer.toString(basePort), "--partitions", "32", "--wait", "120s",
                    // a loaded test machine and Chronicle's first-map code generation are slow
                    "--set", "replication.timeout=10s");
            assertEquals(0, start.exitCode(), start::toString);
            assertTrue(start.out().contains("cluster of 3 nodes is up"), start::toString);
            List<Endpoint> endpoints = cluster.endpoints();

            Map<String, String> acknowledged = new LinkedHashMap<>();
            try (DynamoStore store = Connections.storeOpener().open(endpoints, Duration.ofSeconds(10), NO_SETTINGS)) {
                writeAll(store, "before", 10, acknowledged);
                // every node serves its metrics 1000 above its own port; `stats` finds them through --dir
                assertTrue(start.out().contains("metrics http://127.0.0.1:" + (basePort + 1000) + "/metrics"),
                        start::toString);
                Cli.Result stats = Cli.run("stats", "--dir", directory.toString());
                assertEquals(0, stats.exitCode(), stats::toString);
                assertTrue(stats.out().contains("node-3") && stats.out().contains("cluster"), stats::toString);

                ProcessHandle victim = ProcessHandle.of(cluster.pids().get("node-3")).orElseThrow();
                victim.destroyForcibly(); // SIGKILL: no shutdown hook, no flush
                victim.onExit().get();

                writeAll(store, "during", 10, acknowledged);
                for (var entry : acknowledged.entrySet()) {
                    List<Bytes> values = store.get(Bytes.utf8(entry.getKey()), QUORUM_2).values();
                    assertTrue(values.contains(Bytes.utf8(entry.getValue())), entry.getKey() + ": " + values);
                }

                Process node3 = NodeProcesses.start(cluster.configFile("node-3"), cluster.consoleLog("node-3"));
                restarted.add(node3);
                awaitAnswer(endpoints.get(2), node3, cluster);

                awaitReadable(store, acknowledged, QUORUM_3);
            }

            // Only the restarted node left: what it answers at R=1 is what it holds itself.
            stop(cluster, "node-1", "node-2");
            try (DynamoStore alone = Connections.storeOpener().open(List.of(endpoints.get(2)), Duration.ofSeconds(10), NO_SETTINGS)) {
                awaitReadable(alone, acknowledged, QUORUM_1);
            }
        } finally {
            for (Process process : restarted) {
                process.destroyForcibly();
                // destroyForcibly only sends the signal: wait for the exit before asserting on it
                process.waitFor(30, TimeUnit.SECONDS);
            }
            if (Files.exists(cluster.pidsFile())) {
                Cli.run("cluster", "stop", "--dir", directory.toString(), "--grace", "10s");
            }
            cluster.pids().values().forEach(pid -> ProcessHandle.of(pid).ifPresent(ProcessHandle::destroyForcibly));
        }
        assertFalse(restarted.get(0).isAlive());
    }

    private static void writeAll(DynamoStore store, String prefix, int count, Map<String, String> acknowledged) {
        for (int i = 0; i < count; i++) {
            String key = prefix + "-" + i;
            String value = "value of " + key;
            // only an acknowledged write counts; a write that failed its quorum is retried, as a client would
            for (int attempt = 1; !acknowledged.containsKey(key); attempt++) {
                try {
                    store.put(Bytes.utf8(key), Bytes.utf8(value), Context.EMPTY, QUORUM_2);
                    acknowledged.put(key, value);
                } catch (io.dynamo.api.QuorumException | io.dynamo.api.UnavailableException e) {
                    if (attempt == 5) {
                        throw e;
                    }
                }
            }
        }
    }

    private static void awaitReadable(DynamoStore store, Map<String, String> acknowledged, RequestOptions options)
            throws InterruptedException {
        long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
        List<String> missing = new ArrayList<>(acknowledged.keySet());
        RuntimeException lastFailure = null;
        while (!missing.isEmpty() && System.nanoTime() < deadline) {
            for (String key : List.copyOf(missing)) {
                try {
                    ReadResult read = store.get(Bytes.utf8(key), options);
                    // contains, not equals: a put the client retried at a second node after a
                    // timeout is stored twice, as two siblings of the same value
                    if (read.values().contains(Bytes.utf8(acknowledged.get(key)))) {
                        missing.remove(key);
                    }
                } catch (RuntimeException e) {
                    lastFailure = e;
                }
            }
            if (!missing.isEmpty()) {
                Thread.sleep(500);
            }
        }
        assertTrue(missing.isEmpty(), "not readable at " + options + ": " + missing + (lastFailure == null ? "" : "; last failure: " + lastFailure));
    }

    private static void awaitAnswer(Endpoint endpoint, Process process, ClusterDirectory cluster) throws InterruptedException {
        long deadline = System.nanoTime() + Duration.ofSeconds(120).toNanos();
        try (NodeProbe probe = Connections.probe(NO_SETTINGS)) {
            while (!probe.answers(endpoint, Duration.ofSeconds(1))) {
                assertTrue(process.isAlive(), () -> "node-3 exited on restart: " + NodeProcesses.tail(cluster.consoleLog("node-3"), 20));
                assertTrue(System.nanoTime() < deadline, "node-3 did not answer after its restart");
                Thread.sleep(200);
            }
        }
    }

    private static void stop(ClusterDirectory cluster, String... ids) {
        Map<String, Long> pids = cluster.pids();
        for (String id : ids) {
            NodeProcesses.find(pids.get(id), cluster.configFile(id)).ifPresent(p -> NodeProcesses.stop(p, Duration.ofSeconds(20)));
        }
    }
}
