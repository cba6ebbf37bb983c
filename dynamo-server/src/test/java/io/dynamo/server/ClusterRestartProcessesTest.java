package io.dynamo.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The admin verbs around a node that died, with real node processes over tcp: {@code cluster
 * start} over a directory where two of three nodes run starts only the killed one; {@code repair}
 * right after that restart succeeds (it waits for connections); {@code cluster stop --node} and
 * {@code cluster start --node} stop and start one member; {@code status} shows one line per node;
 * {@code hints} lists what each node holds; {@code drain} stops a node while clients go elsewhere.
 */
class ClusterRestartProcessesTest {
    @TempDir Path directory;

    @Test
    void clusterStartRestartsAKilledNodeAndRepairRightAfterSucceeds() throws Exception {
        ClusterDirectory cluster = new ClusterDirectory(directory);
        String dir = directory.toString();
        try {
            int basePort = FreePorts.consecutive(3, 11);
            Cli.Result start = Cli.run("cluster", "start", "--nodes", "3", "--dir", dir, "--base-port",
                    Integer.toString(basePort), "--partitions", "16", "--wait", "120s",
                    // memory storage: the restarted node comes back empty, so the repair has keys to send
                    "--set", "storage=memory", "--set", "replication.timeout=10s", "--set", "anti-entropy.interval=0");
            assertEquals(0, start.exitCode(), start::toString);
            for (int i = 0; i < 10; i++) {
                Cli.Result put = Cli.run("put", "key-" + i, "value-" + i, "--dir", dir);
                assertEquals(0, put.exitCode(), put::toString);
            }

            long killed = cluster.pids().get("node-3");
            ProcessHandle victim = ProcessHandle.of(killed).orElseThrow();
            victim.destroyForcibly(); // SIGKILL
            victim.onExit().get();
            Cli.Result down = Cli.run("status", "--dir", dir);
            assertEquals(DynamoCli.FAILURE, down.exitCode(), down::toString);
            assertTrue(down.out().lines().anyMatch(l -> l.startsWith("node-3 ") && l.contains(" down ")), down::toString);

            Cli.Result restart = Cli.run("cluster", "start", "--dir", dir, "--wait", "120s");
            assertEquals(0, restart.exitCode(), restart::toString);
            assertTrue(restart.out().contains("started 1 node (node-3); 3 nodes of " + cluster.path() + " running"),
                    restart::toString);
            assertTrue(restart.out().lines().anyMatch(l -> l.startsWith("node-1  already running")), restart::toString);
            long restarted = cluster.pids().get("node-3");
            assertNotEquals(killed, restarted);
            assertTrue(ProcessHandle.of(restarted).map(ProcessHandle::isAlive).orElse(false));

            // at once: the peers may still be backing off their connections to node-3
            Cli.Result repair = Cli.run("repair", "--dir", dir, "--wait", "90s");
            assertEquals(0, repair.exitCode(), repair::toString);
            assertTrue(repair.out().lines().anyMatch(l -> l.matches("total +48 +\\d+ +0 .*")), repair::toString);
            for (int i = 0; i < 10; i++) {
                Cli.Result get = Cli.run("get", "key-" + i, "--nodes", "127.0.0.1:" + (basePort + 2), "--quorum", "1");
                assertEquals("value: value-" + i, get.out().lines().findFirst().orElse(""), get::toString);
            }

            // node-3 came back empty: the rounds that sent it keys logged one INFO line each (node-1 ran first)
            assertTrue(Files.readString(cluster.dataDirectory("node-1").resolve("dynamo.log")).contains("node-1: repair round"
                    + " of partition "), "node-1's log");

            Cli.Result status = Cli.run("status", "--dir", dir);
            assertEquals(0, status.exitCode(), status::toString);
            assertTrue(status.out().lines().anyMatch(l -> l.matches("node-3 +127\\.0\\.0\\.1:\\d+ +up +\\d+ +member +-")),
                    status::toString);
            assertTrue(status.out().contains("3 nodes: 3 up, 0 down"), status::toString);

            Cli.Result again = Cli.run("cluster", "start", "--dir", dir);
            assertEquals(0, again.exitCode(), again::toString);
            assertTrue(again.out().contains("every node of " + cluster.path() + " is running"), again::toString);
            Cli.Result changed = Cli.run("cluster", "start", "--dir", dir, "--nodes", "4");
            assertEquals(DynamoCli.USAGE, changed.exitCode(), changed::toString);

            Cli.Result stopOne = Cli.run("cluster", "stop", "--dir", dir, "--node", "node-2", "--grace", "20s");
            assertEquals(0, stopOne.exitCode(), stopOne::toString);
            assertFalse(cluster.pids().containsKey("node-2"), stopOne::toString);
            assertTrue(cluster.pids().containsKey("node-1") && cluster.pids().containsKey("node-3"));
            Cli.Result startOne = Cli.run("cluster", "start", "--dir", dir, "--node", "node-2", "--wait", "120s");
            assertEquals(0, startOne.exitCode(), startOne::toString);
            assertTrue(startOne.out().contains("started 1 node (node-2)"), startOne::toString);
            Cli.Result twice = Cli.run("cluster", "start", "--dir", dir, "--node", "node-2");
            assertEquals(DynamoCli.FAILURE, twice.exitCode(), twice::toString);
            assertTrue(twice.err().contains("node-2 is already running"), twice::toString);

            Cli.Result hints = Cli.run("hints", "--dir", dir);
            assertEquals(0, hints.exitCode(), hints::toString);
            assertTrue(hints.out().lines().filter(l -> l.matches("127\\.0\\.0\\.1:\\d+ +- +0")).count() == 3
                    && hints.out().endsWith("0 hints pending\n"), hints::toString);

            // drain node-2: it refuses clients, has no hints to hand off, and stops; clients go elsewhere
            long node2 = cluster.pids().get("node-2");
            Cli.Result drain = Cli.run("drain", "--node", "127.0.0.1:" + (basePort + 1), "--dir", dir);
            assertEquals(0, drain.exitCode(), drain::toString);
            assertTrue(drain.out().contains("every hint handed off; the node stops"), drain::toString);
            ProcessHandle.of(node2).ifPresent(p -> p.onExit().orTimeout(60, java.util.concurrent.TimeUnit.SECONDS).join());
            assertFalse(ProcessHandle.of(node2).map(ProcessHandle::isAlive).orElse(false), "node-2 stopped");
            assertTrue(Files.readString(cluster.dataDirectory("node-2").resolve("dynamo.log")).contains("drained"));
            Cli.Result put = Cli.run("put", "after-drain", "x", "--dir", dir);
            assertEquals(0, put.exitCode(), put::toString);

            // every node stopped: a start without options starts them all from the configs they had
            assertEquals(0, Cli.run("cluster", "stop", "--dir", dir, "--grace", "20s").exitCode());
            Cli.Result all = Cli.run("cluster", "start", "--dir", dir, "--wait", "120s");
            assertEquals(0, all.exitCode(), all::toString);
            assertTrue(all.out().contains("started 3 nodes (node-1, node-2, node-3)"), all::toString);
            assertTrue(Files.readString(cluster.configFile("node-1")).contains("storage=memory\n"));
        } finally {
            if (Files.exists(cluster.pidsFile())) {
                Cli.run("cluster", "stop", "--dir", directory.toString(), "--grace", "10s");
            }
            cluster.pids().values().forEach(pid -> ProcessHandle.of(pid).ifPresent(ProcessHandle::destroyForcibly));
        }
    }
}
