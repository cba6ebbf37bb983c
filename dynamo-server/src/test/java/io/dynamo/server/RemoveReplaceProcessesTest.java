package io.dynamo.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.dynamo.api.Bytes;
import io.dynamo.api.Context;
import io.dynamo.api.DynamoException;
import io.dynamo.api.ReadResult;
import io.dynamo.api.RequestOptions;
import io.dynamo.core.client.DynamoClient;
import io.dynamo.core.membership.GossipState;
import io.dynamo.core.membership.RingState;
import io.dynamo.spi.PluginConfig;
import io.dynamo.spi.transport.Endpoint;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code dynamo remove --force} and {@code dynamo replace} with real node processes over tcp:
 * four nodes (N=3), keys written, node-4 killed for good and removed by force; then node-3
 * killed and replaced by node-5, started as a standby ({@code membership.standby}, what
 * {@code dynamo join --standby} sets). After each change has settled everywhere, every key is
 * read at R=N=3 from the live replicas of the new ring, and {@code status} shows the new member.
 */
class RemoveReplaceProcessesTest {
    private static final int PARTITIONS = 16;
    private static final Duration REQUEST_TIMEOUT = Duration.ofSeconds(10);
    private static final RequestOptions ALL_3 = RequestOptions.quorum(3).withTimeout(REQUEST_TIMEOUT);
    private static final RequestOptions QUORUM_2 = RequestOptions.quorum(2).withTimeout(REQUEST_TIMEOUT);
    private static final PluginConfig NO_SETTINGS = PluginConfig.empty(Connections.TRANSPORT);
    /** Generous upper bounds on a loaded 2-core machine, not expectations. */
    private static final Duration LIMIT = Duration.ofSeconds(120);

    @TempDir Path directory;

    @Test
    void aDeadNodeIsRemovedByForceAndAnotherReplacedAndEveryKeyIsOnNLiveReplicas() throws Exception {
        ClusterDirectory cluster = new ClusterDirectory(directory);
        String dir = directory.toString();
        Process node5 = null;
        try {
            int basePort = FreePorts.consecutive(5, 13);
            Cli.Result start = Cli.run("cluster", "start", "--nodes", "4", "--dir", dir, "--base-port",
                    Integer.toString(basePort), "--partitions", Integer.toString(PARTITIONS), "--wait", "120s",
                    "--set", "storage=memory", "--set", "replication.timeout=10s",
                    "--set", "membership.settle-delay=2s", "--set", "membership.gossip-interval=500ms");
            assertEquals(0, start.exitCode(), start::toString);
            List<Endpoint> founders = cluster.endpoints();
            Map<String, String> acknowledged = new LinkedHashMap<>();
            try (DynamoClient client = Connections.storeOpener().open(founders.subList(0, 2), REQUEST_TIMEOUT, NO_SETTINGS)) {
                write(client, "before", 40, acknowledged);

                kill(cluster, "node-4");
                Cli.Result remove = untilAccepted("remove", "--force", "node-4", "--dir", dir, "--follow", "120s");
                assertTrue(remove.out().startsWith("removing node-4: "), remove::toString);
                // --follow waited for the settling, with plain progress lines (no terminal here)
                assertTrue(remove.out().lines().anyMatch(l -> l.matches("ring version \\d+ settled")), remove::toString);
                assertTrue(remove.out().indexOf('\r') < 0 && remove.out().indexOf('\u001b') < 0, remove::toString);
                GossipState removed = awaitSettled(client, founders.subList(0, 3), ring -> !ring.current().contains("node-4"));
                assertEquals(List.of("node-1", "node-2", "node-3"),
                        removed.ring().current().stream().distinct().sorted().toList());
                assertReadableAtRn(client, acknowledged);

                write(client, "after-removal", 20, acknowledged);
                kill(cluster, "node-3");
                Path config = cluster.path().resolve("node-5.properties");
                Files.writeString(config, standbyConfig(cluster, basePort));
                node5 = NodeProcesses.start(config, cluster.consoleLog("node-5"));
                Process standby = node5;
                awaitKnown(client, founders.get(0), "node-5", standby, cluster);
                Cli.Result replace = untilAccepted("replace", "node-3", "--with", "node-5", "--dir", dir);
                assertTrue(replace.out().startsWith("replacing node-3 with node-5: "), replace::toString);
                Endpoint node5Endpoint = new Endpoint("127.0.0.1:" + (basePort + 4));
                GossipState replaced = awaitSettled(client, List.of(founders.get(0), founders.get(1), node5Endpoint),
                        ring -> ring.current().contains("node-5"));
                List<String> before = removed.ring().current();
                List<String> after = replaced.ring().current();
                for (int p = 0; p < PARTITIONS; p++) {
                    assertEquals(before.get(p).equals("node-3") ? "node-5" : before.get(p), after.get(p),
                            "partition " + p + " goes to node-5 exactly when node-3 owned it");
                }
                assertReadableAtRn(client, acknowledged);

                // the operators' lines: the detector's verdict, each partition moved in
                String node1Log = Files.readString(cluster.dataDirectory("node-1").resolve("dynamo.log"));
                assertTrue(node1Log.contains("node-1: node-4 is down (failure detector: phi "), "node-1's log");
                String node5Log = Files.readString(cluster.dataDirectory("node-5").resolve("dynamo.log"));
                // three members, N=3: node-5 replicates, and so received, every partition
                assertEquals(PARTITIONS, node5Log.lines().filter(l -> l.contains("node-5: partition ")
                        && l.contains(" moved in for ring")).count(), "node-5's log");

                Cli.Result status = Cli.run("status", "--dir", dir);
                assertTrue(status.out().lines().anyMatch(l -> l.startsWith("node-5 ") && l.contains(" up ")
                        && l.contains(" member ")), status::toString);
                assertTrue(status.out().lines().anyMatch(l -> l.matches("node-3 +127\\.0\\.0\\.1:\\d+ +down +0 +removed +-")),
                        status::toString);
            }
        } finally {
            if (node5 != null) {
                node5.destroy();
                if (!node5.waitFor(20, TimeUnit.SECONDS)) {
                    node5.destroyForcibly();
                    node5.waitFor(30, TimeUnit.SECONDS);
                }
            }
            if (Files.exists(cluster.pidsFile())) {
                Cli.run("cluster", "stop", "--dir", dir, "--grace", "10s");
            }
            cluster.pids().values().forEach(pid -> ProcessHandle.of(pid).ifPresent(ProcessHandle::destroyForcibly));
        }
    }

    private static void kill(ClusterDirectory cluster, String id) throws Exception {
        ProcessHandle victim = ProcessHandle.of(cluster.pids().get(id)).orElseThrow();
        victim.destroyForcibly(); // SIGKILL: gone for good
        victim.onExit().get(60, TimeUnit.SECONDS);
    }

    /** Runs the command until the member accepts it: it refuses while its failure detector still sees the node up. */
    private static Cli.Result untilAccepted(String... args) throws InterruptedException {
        long deadline = System.nanoTime() + LIMIT.toNanos();
        while (true) {
            Cli.Result result = Cli.run(args);
            if (result.exitCode() == 0) {
                return result;
            }
            assertTrue(result.err().contains("is up"), result::toString);
            assertTrue(System.nanoTime() < deadline, () -> "never accepted: " + result);
            Thread.sleep(500);
        }
    }

    private static void write(DynamoClient client, String prefix, int count, Map<String, String> acknowledged) {
        for (int i = 0; i < count; i++) {
            String key = prefix + "-" + i;
            String value = "value of " + key;
            for (int attempt = 1; !acknowledged.containsKey(key); attempt++) {
                try {
                    client.put(Bytes.utf8(key), Bytes.utf8(value), Context.EMPTY, QUORUM_2);
                    acknowledged.put(key, value);
                } catch (DynamoException e) {
                    assertTrue(attempt < 5, "write of " + key + " kept failing: " + e);
                }
            }
        }
    }

    /** Every acknowledged write, read at R=N=3; a failed request is asked again, a wrong answer fails at once. */
    private static void assertReadableAtRn(DynamoClient client, Map<String, String> acknowledged) throws InterruptedException {
        for (Map.Entry<String, String> write : acknowledged.entrySet()) {
            for (int attempt = 1; ; attempt++) {
                ReadResult read;
                try {
                    read = client.get(Bytes.utf8(write.getKey()), ALL_3);
                } catch (DynamoException e) {
                    assertTrue(attempt < 10, "R=N read of " + write.getKey() + " kept failing: " + e);
                    Thread.sleep(1_000);
                    continue;
                }
                assertTrue(read.values().contains(Bytes.utf8(write.getValue())),
                        "R=N read of " + write.getKey() + ": " + read.values());
                break;
            }
        }
    }

    /** Waits until every node in {@code nodes} knows one settled ring that satisfies {@code done}; returns it. */
    private static GossipState awaitSettled(DynamoClient admin, List<Endpoint> nodes, Predicate<RingState> done)
            throws InterruptedException {
        long deadline = System.nanoTime() + LIMIT.toNanos();
        while (true) {
            GossipState first = null;
            boolean agreed = true;
            for (Endpoint node : nodes) {
                try {
                    GossipState state = admin.membership(node, Duration.ofSeconds(5));
                    RingState ring = state.ring();
                    agreed &= ring.known() && !ring.moving() && done.test(ring)
                            && (first == null || first.ring().equals(ring));
                    first = first == null ? state : first;
                } catch (DynamoException e) {
                    agreed = false;
                }
            }
            if (agreed) {
                return first;
            }
            assertTrue(System.nanoTime() < deadline, "the ring change did not settle within " + LIMIT);
            Thread.sleep(500);
        }
    }

    private static void awaitKnown(DynamoClient admin, Endpoint via, String id, Process process, ClusterDirectory cluster)
            throws InterruptedException {
        long deadline = System.nanoTime() + LIMIT.toNanos();
        while (true) {
            assertTrue(process.isAlive(), () -> id + " exited: " + NodeProcesses.tail(cluster.consoleLog(id), 20));
            try {
                if (admin.membership(via, Duration.ofSeconds(5)).members().containsKey(id)) {
                    return;
                }
            } catch (DynamoException e) {
                // asked again below
            }
            assertTrue(System.nanoTime() < deadline, id + " never became known by gossip");
            Thread.sleep(500);
        }
    }

    /** node-1's config with node-5's id, address and data, as `dynamo join --seed ... --standby` sets it. */
    private static String standbyConfig(ClusterDirectory cluster, int basePort) throws java.io.IOException {
        String node5 = "127.0.0.1:" + (basePort + 4);
        StringBuilder config = new StringBuilder();
        for (String line : Files.readAllLines(cluster.configFile("node-1"))) {
            if (line.startsWith("node.id=")) {
                line = "node.id=node-5";
            } else if (line.startsWith("node.listen=")) {
                line = "node.listen=" + node5;
            } else if (line.startsWith("node.data-dir=")) {
                line = "node.data-dir=" + cluster.dataDirectory("node-5").toString().replace("\\", "\\\\");
            } else if (line.startsWith("cluster.members=")) {
                line = "cluster.members=node-5@" + node5;
            } else if (line.startsWith("metrics.port=")) {
                line = "metrics.port=0"; // an endpoint of its own, on any free port
            }
            config.append(line).append('\n');
        }
        config.append("membership.join=true\n");
        config.append("membership.standby=true\n");
        config.append("membership.seeds=127.0.0.1:").append(basePort).append('\n');
        return config.toString();
    }
}
