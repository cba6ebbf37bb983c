package io.dynamo.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.dynamo.api.Bytes;
import io.dynamo.api.Context;
import io.dynamo.api.DynamoStore;
import io.dynamo.api.ReadResult;
import io.dynamo.api.RequestOptions;
import io.dynamo.api.UnknownStoreException;
import io.dynamo.core.client.DynamoClient;
import io.dynamo.spi.PluginConfig;
import io.dynamo.spi.transport.Endpoint;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Two stores beside the default one on three real node processes over tcp, defined in the node
 * config: {@code carts} (set-union, chronicle, in {@code DATA/stores/carts}) and {@code sessions}
 * (last writer wins, memory), each by its own rules through the Java client, and after a full
 * restart the chronicle store's data is still there while the memory store starts empty.
 */
class StoresProcessesTest {
    private static final Bytes CART = Bytes.utf8("cart");
    private static final Bytes SESSION = Bytes.utf8("session");

    @TempDir Path directory;

    @Test
    void twoStoresEachByItsOwnRulesAndTheChronicleOneSurvivesARestart() throws Exception {
        ClusterDirectory cluster = new ClusterDirectory(directory);
        String dir = directory.toString();
        try {
            int basePort = FreePorts.consecutive(3, 21);
            Cli.Result start = Cli.run("cluster", "start", "--nodes", "3", "--dir", dir, "--base-port",
                    Integer.toString(basePort), "--partitions", "16", "--wait", "120s",
                    "--set", "replication.timeout=10s",
                    "--set", "store.carts.resolver=set-union",
                    "--set", "store.sessions.resolver=lww", "--set", "store.sessions.storage=memory",
                    "--set", "store.sessions.n=1");
            assertEquals(0, start.exitCode(), start::toString);
            List<Endpoint> nodes = List.of(new Endpoint("127.0.0.1:" + basePort),
                    new Endpoint("127.0.0.1:" + (basePort + 1)), new Endpoint("127.0.0.1:" + (basePort + 2)));

            try (DynamoClient client = client(nodes)) {
                DynamoStore carts = client.store("carts");
                DynamoStore sessions = client.store("sessions");
                Context first = carts.put(CART, Bytes.utf8("milk"), Context.EMPTY);
                // two writes from one context (through two nodes, round robin): concurrent, merged by set union
                carts.put(CART, Bytes.utf8("eggs\nmilk"), first);
                carts.put(CART, Bytes.utf8("bread\nmilk"), first);
                assertEquals(List.of(Bytes.utf8("bread\neggs\nmilk")),
                        carts.get(CART, RequestOptions.quorum(3)).values());

                sessions.put(SESSION, Bytes.utf8("older"), Context.EMPTY);
                long wrote = System.currentTimeMillis();
                while (System.currentTimeMillis() <= wrote + 1) {
                    Thread.onSpinWait(); // a later timestamp for the concurrent write that must win
                }
                sessions.put(SESSION, Bytes.utf8("newer"), Context.EMPTY);
                ReadResult session = sessions.get(SESSION);
                assertEquals(List.of(Bytes.utf8("newer")), session.values(), "the last writer wins");
                assertFalse(session.hasConflict());

                assertEquals(List.of(), client.get(CART).values(), "the default store never saw the cart");
                assertEquals(List.of(), sessions.get(CART).values(), "nor did sessions");
                UnknownStoreException unknown = assertThrows(UnknownStoreException.class,
                        () -> client.store("orders").get(CART));
                assertTrue(unknown.getMessage().contains("'orders'")
                        && unknown.getMessage().contains("default, carts, sessions"), unknown.getMessage());
            }
            assertTrue(Files.isDirectory(cluster.dataDirectory("node-1").resolve("stores").resolve("carts")
                    .resolve("chronicle")), "carts keeps its chronicle files apart");
            // the stores of the node config are listed, marked as such, with the default's plugin names
            Cli.Result listed = Cli.run("store", "list", "--dir", dir, "--node", nodes.get(1).address());
            assertEquals(0, listed.exitCode(), listed::toString);
            assertTrue(listed.out().contains("resolver=vector-clock"), listed::toString);
            assertTrue(java.util.regex.Pattern.compile("\ncarts +live +config +node-2 .*resolver=set-union")
                    .matcher(listed.out()).find(), listed::toString);
            assertTrue(java.util.regex.Pattern.compile("\nsessions +live +config .*resolver=lww")
                    .matcher(listed.out()).find(), listed::toString);

            assertEquals(0, Cli.run("cluster", "stop", "--dir", dir, "--grace", "30s").exitCode());
            Cli.Result again = Cli.run("cluster", "start", "--dir", dir, "--wait", "120s");
            assertEquals(0, again.exitCode(), again::toString);

            try (DynamoClient client = client(nodes)) {
                assertEquals(List.of(Bytes.utf8("bread\neggs\nmilk")),
                        client.store("carts").get(CART, RequestOptions.quorum(3)).values(), "carts after the restart");
                assertEquals(List.of(), client.store("sessions").get(SESSION).values(),
                        "sessions lives in memory: empty after the restart");
            }
        } finally {
            if (Files.exists(cluster.pidsFile())) {
                Cli.run("cluster", "stop", "--dir", dir, "--grace", "10s");
            }
            cluster.pids().values().forEach(pid -> ProcessHandle.of(pid).ifPresent(ProcessHandle::destroyForcibly));
        }
    }

    private static DynamoClient client(List<Endpoint> nodes) {
        return Connections.storeOpener().open(nodes, Duration.ofSeconds(10), PluginConfig.empty(Connections.TRANSPORT),
                false);
    }
}
