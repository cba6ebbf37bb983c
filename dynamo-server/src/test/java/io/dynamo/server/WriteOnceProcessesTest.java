package io.dynamo.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.dynamo.api.Bytes;
import io.dynamo.api.Context;
import io.dynamo.api.RequestOptions;
import io.dynamo.api.VectorClock;
import io.dynamo.api.Versioned;
import io.dynamo.api.WriteId;
import io.dynamo.core.client.DynamoClient;
import io.dynamo.core.messages.ErrorCode;
import io.dynamo.core.messages.Message;
import io.dynamo.core.messages.MessageCodec;
import io.dynamo.core.plugin.ExtensionPoint;
import io.dynamo.core.plugin.PluginRegistry;
import io.dynamo.spi.PluginConfig;
import io.dynamo.spi.transport.Endpoint;
import io.dynamo.spi.transport.Transport;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Write ids over tcp with real node processes: a put that node-1 applied but whose answer never
 * reached the client (the connection closed first) is retried by the client at node-2, which
 * answers with node-1's version: one version on every replica. A write with a far-future deadline
 * or a malformed write id is refused. A put forwarded to a stopped owner is not applied when the
 * owner resumes after the client wrote over it.
 */
class WriteOnceProcessesTest {
    private static final Duration TIMEOUT = Duration.ofSeconds(10);

    @TempDir Path directory;

    /** The cluster's settings, in one place: what differs between runs of this test goes here. */
    private static List<String> clusterSettings(String causality) {
        return List.of("--set", "replication.timeout=10s", "--set", "causality=" + causality);
    }

    @ParameterizedTest(name = "causality={0}")
    @ValueSource(strings = {"vector-clock", "dvv"})
    void aPutWhoseConnectionClosedBeforeTheAnswerIsAppliedOnceWhenTheClientRetries(String causality) throws Exception {
        Path clusterDir = directory.resolve("cluster");
        ClusterDirectory cluster = new ClusterDirectory(clusterDir);
        try (PluginRegistry plugins = PluginRegistry.load(Connections.pluginsDirectory())) {
            List<String> start = new java.util.ArrayList<>(List.of("cluster", "start", "--nodes", "3", "--dir",
                    clusterDir.toString(), "--base-port", Integer.toString(FreePorts.consecutive(3, 29)), "--partitions",
                    "16", "--wait", "120s"));
            start.addAll(clusterSettings(causality));
            Cli.Result started = Cli.run(start.toArray(String[]::new));
            assertEquals(0, started.exitCode(), started::toString);
            List<Endpoint> endpoints = cluster.endpoints();

            try (AnswerDroppingProxy proxy = new AnswerDroppingProxy(endpoints.get(0).address());
                    Transport transport = plugins.create(ExtensionPoint.TRANSPORT, Connections.TRANSPORT,
                            PluginConfig.empty(Connections.TRANSPORT), Connections.clientContext())) {
                awaitWritable(transport, endpoints);
                // the client's first attempt goes through the proxy to node-1, its retry to node-2
                List<Endpoint> route = List.of(new Endpoint(proxy.address()), endpoints.get(1), endpoints.get(2));
                Bytes key = Bytes.utf8("retried-over-tcp");
                Transport own = plugins.create(ExtensionPoint.TRANSPORT, Connections.TRANSPORT,
                        PluginConfig.empty(Connections.TRANSPORT), Connections.clientContext());
                try (DynamoClient client = DynamoClient.builder(own, route).timeout(TIMEOUT).build()) {
                    // W=3: node-1 answers only once node-2 holds its version too
                    Context acknowledged = client.put(key, Bytes.utf8("once"), Context.EMPTY, RequestOptions.quorum(3));
                    assertEquals(1, proxy.droppedAnswers(), "node-1's answer was cut off");

                    for (Endpoint node : endpoints) {
                        List<Versioned> versions = stored(transport, node, key);
                        assertEquals(1, versions.size(), node + " holds " + versions);
                        assertEquals(acknowledged.clock(), versions.get(0).clock().history(), "the retry was answered as the first time");
                    }
                }

                long now = System.currentTimeMillis();
                Message far = send(transport, endpoints.get(0), new Message.ClientPut(key, Bytes.utf8("far"),
                        VectorClock.EMPTY, 0, 0, false, Optional.of(new WriteId(3, 1)), now + Duration.ofDays(1).toMillis()));
                Message.Error refused = assertInstanceOf(Message.Error.class, far);
                assertEquals(ErrorCode.INVALID_ARGUMENT, refused.code());
                assertTrue(refused.message().contains("replication.max-clock-skew"), refused.message());

                Message.ClientPut plain = new Message.ClientPut(key, Bytes.utf8("bad"), VectorClock.EMPTY, 0, 0, false);
                int flagsAt = MessageCodec.encode(plain).length - 1;
                byte[] malformed = MessageCodec.encode(new Message.ClientPut(key, Bytes.utf8("bad"), VectorClock.EMPTY, 0, 0,
                        false, Optional.of(new WriteId(3, 2)), 0));
                java.util.Arrays.fill(malformed, flagsAt + 1, flagsAt + 9, (byte) 0);
                Message.Error bad = assertInstanceOf(Message.Error.class,
                        MessageCodec.decode(transport.request(endpoints.get(0), malformed, TIMEOUT).join()));
                assertEquals(ErrorCode.MALFORMED, bad.code());
                assertTrue(bad.message().contains("malformed write id"), bad.message());
                assertEquals(1, stored(transport, endpoints.get(0), key).size(), "nothing refused was stored");
            }
        } finally {
            if (Files.exists(cluster.pidsFile())) {
                Cli.run("cluster", "stop", "--dir", clusterDir.toString(), "--grace", "10s");
            }
            cluster.pids().values().forEach(pid -> ProcessHandle.of(pid).ifPresent(ProcessHandle::destroyForcibly));
        }
    }

    /**
     * Issue 12's late copy on real processes: node-4, not an owner of the key, forwards a put to
     * the key's first owner, which is stopped (SIGSTOP: its kernel still accepts the bytes, as a
     * partition TCP hides until it heals); node-4 moves on to the next owner within the deadline
     * and the put is acknowledged; the client reads and writes over it; then the owner resumes
     * and finds the forwarded copy in its socket: past its deadline, it is not applied, and no
     * read at R=3 ever returns the superseded value.
     */
    @Test
    void aForwardedPutHeldByAStoppedOwnerIsNotAppliedWhenItResumes() throws Exception {
        Path clusterDir = directory.resolve("cluster");
        ClusterDirectory cluster = new ClusterDirectory(clusterDir);
        Long stopped = null;
        try (PluginRegistry plugins = PluginRegistry.load(Connections.pluginsDirectory())) {
            List<String> start = new java.util.ArrayList<>(List.of("cluster", "start", "--nodes", "4", "--dir",
                    clusterDir.toString(), "--base-port", Integer.toString(FreePorts.consecutive(4, 31)), "--partitions",
                    "16", "--wait", "120s", "--set", "replication.timeout=4s"));
            Cli.Result started = Cli.run(start.toArray(String[]::new));
            assertEquals(0, started.exitCode(), started::toString);
            List<Endpoint> endpoints = cluster.endpoints();
            try (Transport transport = plugins.create(ExtensionPoint.TRANSPORT, Connections.TRANSPORT,
                    PluginConfig.empty(Connections.TRANSPORT), Connections.clientContext())) {
                awaitWritable(transport, endpoints);
                Message.RoutingTable table = assertInstanceOf(Message.RoutingTable.class,
                        send(transport, endpoints.get(0), new Message.Routing()));
                io.dynamo.core.ring.Ring ring = io.dynamo.core.ring.Ring.fromAssignment(table.assignment(),
                        plugins.partitioners(Connections.clientContext()).apply(table.partitioner()));
                String forwarder = "node-4";
                Bytes key = null;
                for (int i = 0; key == null; i++) {
                    if (!ring.preferenceList(Bytes.utf8("cart-" + i), 3).contains(forwarder)) {
                        key = Bytes.utf8("cart-" + i);
                    }
                }
                List<String> owners = ring.preferenceList(key, 3);
                Map<String, Endpoint> at = table.endpoints();
                Transport own = plugins.create(ExtensionPoint.TRANSPORT, Connections.TRANSPORT,
                        PluginConfig.empty(Connections.TRANSPORT), Connections.clientContext());
                // the client's first request goes to the forwarder; it never talks to the stopped owner itself
                try (DynamoClient client = DynamoClient.builder(own, List.of(at.get(forwarder), at.get(owners.get(1)),
                        at.get(owners.get(2)))).timeout(Duration.ofSeconds(4)).build()) {
                    stopped = cluster.pids().get(owners.get(0));
                    signal("STOP", stopped);
                    client.put(key, Bytes.utf8("milk,eggs"), Context.EMPTY);
                    io.dynamo.api.ReadResult read = client.get(key);
                    assertEquals(List.of(Bytes.utf8("milk,eggs")), read.values());
                    client.put(key, Bytes.utf8("milk"), read.context()); // the eggs are removed
                    signal("CONT", stopped);
                    stopped = null;

                    // the resumed owner answers again once it caught up; no read may bring the eggs back
                    long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
                    boolean settled = false;
                    while (!settled) {
                        assertTrue(System.nanoTime() < deadline, "the resumed owner never held the latest value");
                        try {
                            List<Bytes> values = client.get(key, RequestOptions.quorum(3)).values();
                            assertFalse(values.contains(Bytes.utf8("milk,eggs")), "a superseded value came back: "
                                    + values);
                            List<Bytes> resumed = stored(transport, at.get(owners.get(0)), key).stream()
                                    .map(Versioned::value).toList();
                            assertFalse(resumed.contains(Bytes.utf8("milk,eggs")), "the resumed owner applied "
                                    + "the late copy: " + resumed);
                            settled = values.equals(List.of(Bytes.utf8("milk"))) && resumed.equals(values);
                        } catch (io.dynamo.api.DynamoException e) {
                            // the resumed owner is still catching up
                        }
                        if (!settled) {
                            Thread.sleep(200);
                        }
                    }
                }
            }
        } finally {
            if (stopped != null) {
                signal("CONT", stopped);
            }
            if (Files.exists(cluster.pidsFile())) {
                Cli.run("cluster", "stop", "--dir", clusterDir.toString(), "--grace", "10s");
            }
            cluster.pids().values().forEach(pid -> ProcessHandle.of(pid).ifPresent(ProcessHandle::destroyForcibly));
        }
    }

    private static void signal(String signal, long pid) throws Exception {
        Process kill = new ProcessBuilder("kill", "-" + signal, Long.toString(pid)).inheritIO().start();
        assertEquals(0, kill.waitFor(), "kill -" + signal + " " + pid);
    }

    private static List<Versioned> stored(Transport transport, Endpoint node, Bytes key) {
        Message answer = send(transport, node, new Message.ReplicaRead(key, Optional.empty()));
        return assertInstanceOf(Message.Versions.class, answer, () -> node + " answered " + answer).versions();
    }

    /** Nodes started one after the other suspect each other a while: waits until each writes at W=3. */
    private static void awaitWritable(Transport transport, List<Endpoint> endpoints) throws InterruptedException {
        long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
        for (int i = 0; i < endpoints.size(); i++) {
            for (int attempt = 0; ; attempt++) {
                try {
                    Message.Request probe = new Message.ClientPut(Bytes.utf8("probe-" + i + "-" + attempt), Bytes.utf8("p"),
                            VectorClock.EMPTY, 3, 0, false);
                    if (send(transport, endpoints.get(i), probe) instanceof Message.Written) {
                        break;
                    }
                } catch (RuntimeException e) {
                    // not yet
                }
                assertTrue(System.nanoTime() < deadline, "node " + endpoints.get(i) + " never wrote at W=3");
                Thread.sleep(200);
            }
        }
    }

    private static Message send(Transport transport, Endpoint node, Message.Request request) {
        return MessageCodec.decode(transport.request(node, MessageCodec.encode(request), TIMEOUT).join());
    }
}
