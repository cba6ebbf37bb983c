package io.dynamo.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.function.Predicate;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code dynamo store} against three real node processes (tcp on 127.0.0.1): a store created
 * through one node is listed and described by every node and opened on each (its data in
 * {@code DATA/stores/NAME}, written through one node and read through another), refusals name
 * what is wrong, the catalog and the store's data are still there after the whole cluster
 * restarted, and a drop reaches every node and deletes the store's data directory there.
 */
class StoreCommandsProcessesTest {
    private static final long DEADLINE_MILLIS = 60_000;

    @TempDir Path directory;

    @Test
    void createListDescribeAndDropOnThreeNodes() throws Exception {
        ClusterDirectory cluster = new ClusterDirectory(directory);
        try {
            int basePort = FreePorts.consecutive(3, 1);
            Cli.Result start = Cli.run("cluster", "start", "--nodes", "3", "--dir", directory.toString(),
                    "--base-port", Integer.toString(basePort), "--partitions", "32", "--wait", "120s",
                    "--set", "membership.gossip-interval=200ms", "--set", "storage=chronicle");
            assertEquals(0, start.exitCode(), start::toString);
            List<String> nodes = new ArrayList<>();
            for (int i = 0; i < 3; i++) {
                nodes.add("127.0.0.1:" + (basePort + i));
            }

            Cli.Result unconfirmed = store("drop", "carts");
            assertEquals(DynamoCli.USAGE, unconfirmed.exitCode(), unconfirmed::toString);
            assertTrue(unconfirmed.err().contains("add --yes"), unconfirmed::toString);

            Cli.Result created = store("create", "carts", "--set", "n=2", "--set", "resolver=set-union",
                    "--node", nodes.get(0));
            assertEquals(0, created.exitCode(), created::toString);
            assertTrue(created.out().startsWith("created store carts (n=2 resolver=set-union)"), created::toString);

            Cli.Result badKey = store("create", "sessions", "--set", "colour=red");
            Cli.Result badValue = store("create", "sessions", "--set", "w=0");
            assertTrue(badKey.exitCode() != 0, badKey::toString);
            assertTrue(badKey.err().contains("store.sessions.colour: unknown store setting"), badKey::toString);
            assertTrue(badValue.err().contains("store.sessions.w: 0 is not between 1"), badValue::toString);

            for (String node : nodes) {
                Cli.Result listed = awaitOutput(node, out -> out.contains("\ncarts "), "list", "--node", node);
                assertTrue(listed.out().startsWith("name "), listed::toString);
                assertTrue(listed.out().contains("\ndefault "), listed::toString);
                assertTrue(listed.out().contains("n=2 resolver=set-union"), listed::toString);
                assertTrue(listed.out().endsWith("2 stores known to " + node + "\n"), listed::toString);
            }
            // each node opens carts once it heard of it: written through node-1, read through node-3
            awaitClient(result -> true, "put", "cart-1", "milk", "--store", "carts", "--nodes", nodes.get(0));
            Cli.Result read = awaitClient(result -> result.out().startsWith("value: milk\n"), "get", "cart-1", "--store",
                    "carts", "--nodes", nodes.get(2));
            assertTrue(read.out().startsWith("value: milk\n"), read::toString);
            for (int i = 1; i <= 3; i++) {
                assertTrue(Files.isDirectory(cluster.dataDirectory("node-" + i).resolve("stores").resolve("carts")),
                        "node-" + i + " keeps carts in DATA/stores/carts");
            }

            // once node-2 has heard of carts, it refuses to create it again
            Cli.Result twice = store("create", "carts", "--node", nodes.get(1));
            assertTrue(twice.exitCode() != 0, twice::toString);
            assertTrue(twice.err().contains("store carts exists"), twice::toString);

            Cli.Result described = store("describe", "carts", "--node", nodes.get(2));
            assertEquals(0, described.exitCode(), described::toString);
            assertTrue(described.out().contains("state              live\n"), described::toString);
            assertTrue(described.out().contains("resolver           set-union\n"), described::toString);
            assertTrue(described.out().contains("n                  2\n"), described::toString);
            assertTrue(described.out().contains("w                  (node default)\n"), described::toString);
            assertTrue(described.out().contains("origin             node-1\n"), described::toString);
            Cli.Result unknown = store("describe", "nothing");
            assertTrue(unknown.exitCode() != 0, unknown::toString);
            assertTrue(unknown.err().contains("no store nothing"), unknown::toString);

            Cli.Result dropDefault = store("drop", "default", "--yes");
            assertTrue(dropDefault.err().contains("store default cannot be dropped"), dropDefault::toString);

            // the catalog and the store's data are kept on disk: after a restart of every node, each knows it at once
            assertEquals(0, store("create", "sessions", "--set", "resolver=lww", "--node", nodes.get(2)).exitCode());
            for (String node : nodes) {
                awaitOutput(node, out -> out.contains("\nsessions "), "list", "--node", node);
            }
            Cli.Result stop = Cli.run("cluster", "stop", "--dir", directory.toString(), "--grace", "30s");
            assertEquals(0, stop.exitCode(), stop::toString);
            Cli.Result restart = Cli.run("cluster", "start", "--dir", directory.toString(), "--wait", "120s");
            assertEquals(0, restart.exitCode(), restart::toString);
            for (String node : nodes) {
                Cli.Result listed = store("list", "--all", "--node", node);
                assertTrue(listed.out().contains("\nsessions ") && listed.out().contains("resolver=lww"), listed::toString);
                assertTrue(listed.out().contains("\ncarts ") && listed.out().contains("resolver=set-union"), listed::toString);
            }
            Cli.Result kept = awaitClient(result -> result.out().startsWith("value: milk\n"), "get", "cart-1", "--store",
                    "carts", "--nodes", nodes.get(1));
            assertTrue(kept.out().startsWith("value: milk\n"), kept::toString);

            Cli.Result dropped = store("drop", "carts", "--yes", "--node", nodes.get(1));
            assertEquals(0, dropped.exitCode(), dropped::toString);
            for (String node : nodes) {
                awaitOutput(node, out -> out.contains("\ncarts ") && out.contains(" dropped "), "list", "--all",
                        "--node", node);
                Cli.Result live = store("list", "--node", node);
                assertFalse(live.out().contains("\ncarts "), live::toString);
            }
            for (int i = 1; i <= 3; i++) {
                Path carts = cluster.dataDirectory("node-" + i).resolve("stores").resolve("carts");
                long deadline = System.currentTimeMillis() + DEADLINE_MILLIS;
                while (Files.exists(carts)) {
                    assertTrue(System.currentTimeMillis() < deadline, carts + " still there after the drop");
                    Thread.sleep(100); // between polls
                }
            }
            Cli.Result gone = Cli.run("get", "cart-1", "--store", "carts", "--nodes", nodes.get(0), "--dir",
                    directory.toString());
            assertTrue(gone.exitCode() != 0 && gone.err().contains("no store 'carts'"), gone::toString);
        } finally {
            if (Files.exists(cluster.pidsFile())) {
                Cli.run("cluster", "stop", "--dir", directory.toString(), "--grace", "10s");
            }
            cluster.pids().values().forEach(pid -> ProcessHandle.of(pid).ifPresent(ProcessHandle::destroyForcibly));
        }
    }

    private Cli.Result store(String... args) {
        List<String> all = new ArrayList<>();
        all.add("store");
        all.addAll(Arrays.asList(args));
        all.add("--dir");
        all.add(directory.toString());
        return Cli.run(all.toArray(String[]::new));
    }

    /** Runs a client command until it succeeds and its result satisfies {@code condition} (a store opens a little after its create), at most a minute. */
    private Cli.Result awaitClient(Predicate<Cli.Result> condition, String... args) throws InterruptedException {
        List<String> all = new ArrayList<>(Arrays.asList(args));
        all.add("--dir");
        all.add(directory.toString());
        long deadline = System.currentTimeMillis() + DEADLINE_MILLIS;
        Cli.Result result = Cli.run(all.toArray(String[]::new));
        while (!(result.exitCode() == 0 && condition.test(result))) {
            if (System.currentTimeMillis() > deadline) {
                throw new AssertionError("never succeeded: " + all + ": " + result);
            }
            Thread.sleep(100); // between polls
            result = Cli.run(all.toArray(String[]::new));
        }
        return result;
    }

    /** Asks until the output satisfies {@code condition} (gossip takes a few rounds), at most a minute. */
    private Cli.Result awaitOutput(String node, Predicate<String> condition, String... args) throws InterruptedException {
        long deadline = System.currentTimeMillis() + DEADLINE_MILLIS;
        Cli.Result result = store(args);
        while (!(result.exitCode() == 0 && condition.test(result.out()))) {
            if (System.currentTimeMillis() > deadline) {
                throw new AssertionError(node + " never showed it: " + result);
            }
            Thread.sleep(100); // between polls
            result = store(args);
        }
        return result;
    }
}
