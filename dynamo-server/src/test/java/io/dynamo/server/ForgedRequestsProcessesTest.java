package io.dynamo.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.dynamo.api.Bytes;
import io.dynamo.api.Context;
import io.dynamo.api.DynamoStore;
import io.dynamo.api.RequestOptions;
import io.dynamo.api.Versioned;
import io.dynamo.core.membership.GossipState;
import io.dynamo.core.membership.MemberInfo;
import io.dynamo.core.membership.MemberState;
import io.dynamo.core.membership.MoveProgress;
import io.dynamo.core.membership.RingState;
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
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue 11's first finding, with real node processes over tcp: a forged Gossip carrying a ring in
 * which a stranger owns every partition, sent with each credential (client, admin, and the
 * nodes' own, which is what anyone holds when no secret is configured), and a forged
 * Decommission and Repair from a client connection change nothing and lose nothing — the ring
 * stays, no partition is dropped, and after a node is killed and restarted every acknowledged
 * write is read back at R=3.
 */
class ForgedRequestsProcessesTest {
    private static final int PARTITIONS = 32;
    private static final int KEYS = 40;
    private static final Duration TIMEOUT = Duration.ofSeconds(10);
    private static final RequestOptions QUORUM_3 = RequestOptions.quorum(3).withTimeout(TIMEOUT);

    @TempDir Path directory;

    @Test
    void forgedRingsAndAdministrativeRequestsChangeNothing() throws Exception {
        Path peerSecret = Files.writeString(directory.resolve("peer.secret"), "node secret of the test cluster\n");
        Path clientSecret = Files.writeString(directory.resolve("client.secret"), "client secret of the test cluster\n");
        Path adminSecret = Files.writeString(directory.resolve("admin.secret"), "admin secret of the test cluster\n");
        Path clusterDir = directory.resolve("cluster");
        ClusterDirectory cluster = new ClusterDirectory(clusterDir);
        try (PluginRegistry plugins = PluginRegistry.load(Connections.pluginsDirectory())) {
            Cli.Result start = Cli.run("cluster", "start", "--nodes", "3", "--dir", clusterDir.toString(),
                    "--base-port", Integer.toString(FreePorts.consecutive(3, 13)),
                    "--partitions", Integer.toString(PARTITIONS), "--wait", "120s",
                    "--set", "replication.timeout=10s", "--set", "membership.settle-delay=1s",
                    "--set", "tcp.secret-file=" + peerSecret, "--set", "tcp.client-secret-file=" + clientSecret,
                    "--set", "tcp.admin-secret-file=" + adminSecret);
            assertEquals(0, start.exitCode(), start::toString);
            List<Endpoint> endpoints = cluster.endpoints();

            List<String> keys = new ArrayList<>();
            try (DynamoStore store = Connections.storeOpener().open(endpoints, TIMEOUT, tcp(clientSecret))) {
                for (int i = 0; i < KEYS; i++) {
                    store.put(Bytes.utf8("key-" + i), Bytes.utf8("value-" + i), Context.EMPTY, QUORUM_3);
                    keys.add("key-" + i);
                }
            }

            try (Transport client = transport(plugins, clientSecret);
                    Transport admin = transport(plugins, adminSecret);
                    Transport peer = transport(plugins, peerSecret)) {
                GossipState before = state(client, endpoints.get(0));
                Message.Gossip forged = poisoned(before);

                for (Endpoint node : endpoints) {
                    assertInstanceOf(Message.GossipAck.class, send(client, node, forged));
                    assertInstanceOf(Message.GossipAck.class, send(admin, node, forged));
                    assertInstanceOf(Message.GossipAck.class, send(peer, node, forged));
                }
                assertForbidden(send(client, endpoints.get(0), new Message.Decommission("node-3")));
                assertForbidden(send(client, endpoints.get(0), new Message.RemoveNode("node-3")));
                assertForbidden(send(client, endpoints.get(0), new Message.ReplaceNode("node-3", "node-4")));
                assertForbidden(send(client, endpoints.get(0), new Message.Repair(Optional.empty())));
                assertForbidden(send(client, endpoints.get(0), new Message.CreateStore("forged", java.util.Map.of("n", "1"))));
                assertForbidden(send(client, endpoints.get(0), new Message.DropStore("forged")));
                assertForbidden(send(admin, endpoints.get(0), new Message.HintDelivery(Bytes.utf8("key-0"),
                        List.of(Versioned.of(io.dynamo.api.VectorClock.EMPTY, Bytes.utf8("forged"))), "node-2")));
                assertForbidden(send(admin, endpoints.get(0),
                        new Message.StreamPartition(0, Optional.empty(), 100)));

                assertRingsStay(client, endpoints, before.ring());
                assertEquals(io.dynamo.core.store.StoreCatalog.EMPTY, state(client, endpoints.get(0)).stores(),
                        "a client created no store");
            }
            for (String id : List.of("node-1", "node-2", "node-3")) {
                List<String> console = Files.readAllLines(cluster.consoleLog(id));
                assertTrue(console.stream().noneMatch(line -> line.contains("dropped")), id + " dropped partitions");
                assertEquals(1, console.stream().filter(line -> line.contains("refused gossiped ring")).count(),
                        id + " logs the refused ring once: " + console);
            }

            // the ring the nodes persisted is still theirs: kill one, restart it, read everything at R=3
            ProcessHandle victim = ProcessHandle.of(cluster.pids().get("node-3")).orElseThrow();
            victim.destroyForcibly();
            victim.onExit().get();
            Process node3 = NodeProcesses.start(cluster.configFile("node-3"), cluster.consoleLog("node-3"));
            try (DynamoStore store = Connections.storeOpener().open(endpoints, TIMEOUT, tcp(clientSecret))) {
                long deadline = System.nanoTime() + Duration.ofSeconds(90).toNanos();
                List<String> missing = new ArrayList<>(keys);
                RuntimeException last = null;
                while (!missing.isEmpty() && System.nanoTime() < deadline) {
                    for (String key : List.copyOf(missing)) {
                        try {
                            if (store.get(Bytes.utf8(key), QUORUM_3).values().contains(Bytes.utf8("value-" + key.substring(4)))) {
                                missing.remove(key);
                            }
                        } catch (RuntimeException e) {
                            last = e;
                        }
                    }
                    if (!missing.isEmpty()) {
                        assertTrue(node3.isAlive(), () -> "node-3 exited: " + NodeProcesses.tail(cluster.consoleLog("node-3"), 20));
                        Thread.sleep(500);
                    }
                }
                assertTrue(missing.isEmpty(), "not readable at R=3 after the restart: " + missing + "; last failure: " + last);
            } finally {
                node3.destroy();
                node3.onExit().get();
            }
        } finally {
            if (Files.exists(cluster.pidsFile())) {
                Cli.run("cluster", "stop", "--dir", clusterDir.toString(), "--grace", "10s");
            }
            cluster.pids().values().forEach(pid -> ProcessHandle.of(pid).ifPresent(ProcessHandle::destroyForcibly));
        }
    }

    /**
     * Without secrets every caller counts as a node (which is why such nodes listen on loopback
     * only): the forged ring then reaches the ring checks, which refuse it; nothing is dropped.
     */
    @Test
    void withoutSecretsAForgedRingIsRefusedByTheRingChecks() throws Exception {
        try (InProcessNodes nodes = InProcessNodes.start(3, directory, Map.of("storage", "memory",
                        "cluster.partitions", Integer.toString(PARTITIONS), "membership.settle-delay", "1s"));
                PluginRegistry plugins = PluginRegistry.load(Connections.pluginsDirectory());
                Transport anyone = plugins.create(ExtensionPoint.TRANSPORT, Connections.TRANSPORT,
                        PluginConfig.empty(Connections.TRANSPORT), Connections.clientContext())) {
            List<Endpoint> endpoints = List.of(new Endpoint(nodes.address(0)), new Endpoint(nodes.address(1)),
                    new Endpoint(nodes.address(2)));
            try (DynamoStore store = Connections.storeOpener().open(endpoints, TIMEOUT,
                    PluginConfig.empty(Connections.TRANSPORT))) {
                awaitAllUp(anyone, endpoints);
                for (int i = 0; i < KEYS; i++) {
                    store.put(Bytes.utf8("key-" + i), Bytes.utf8("value-" + i), Context.EMPTY, QUORUM_3);
                }
                GossipState before = state(anyone, endpoints.get(0));
                for (Endpoint node : endpoints) {
                    assertInstanceOf(Message.GossipAck.class, send(anyone, node, poisoned(before)));
                }
                assertRingsStay(anyone, endpoints, before.ring());
                for (int i = 0; i < KEYS; i++) {
                    assertEquals(List.of(Bytes.utf8("value-" + i)), store.get(Bytes.utf8("key-" + i), QUORUM_3).values());
                }
            }
        }
    }

    /**
     * Waits until every node holds every other for up: nodes started one after the other suspect
     * the ones that were not listening yet until a ping of hinted handoff succeeds.
     */
    private static void awaitAllUp(Transport transport, List<Endpoint> endpoints) throws InterruptedException {
        long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
        for (int i = 0; i < endpoints.size(); i++) {
            for (int attempt = 0; ; attempt++) {
                try {
                    Message.Request probe = new Message.ClientPut(Bytes.utf8("probe-" + i + "-" + attempt),
                            Bytes.utf8("p"), io.dynamo.api.VectorClock.EMPTY, 3, 0, false);
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

    /** A gossip whose ring, far ahead, gives every partition to a stranger. */
    private static Message.Gossip poisoned(GossipState honest) {
        Map<String, MemberInfo> members = new HashMap<>(honest.members());
        members.put("ghost", new MemberInfo("ghost", new Endpoint("127.0.0.1:7699"), 1, 1_000_000, MemberState.UP,
                MoveProgress.NONE));
        RingState ring = RingState.settled(honest.ring().version() + 1_000, Collections.nCopies(PARTITIONS, "ghost"));
        return new Message.Gossip(new GossipState(members, ring));
    }

    /** Drops happen a settle-delay (1 s here) after a ring settles: watches every node's ring well past it. */
    private static void assertRingsStay(Transport transport, List<Endpoint> endpoints, RingState ring)
            throws InterruptedException {
        long end = System.nanoTime() + Duration.ofSeconds(6).toNanos();
        while (System.nanoTime() < end) {
            for (Endpoint node : endpoints) {
                assertEquals(ring, state(transport, node).ring(), "ring of " + node);
            }
            Thread.sleep(500);
        }
    }

    private static PluginConfig tcp(Path secret) {
        return new PluginConfig(Connections.TRANSPORT, Map.of("secret-file", secret.toString()));
    }

    private static Transport transport(PluginRegistry plugins, Path secret) {
        return plugins.create(ExtensionPoint.TRANSPORT, Connections.TRANSPORT, tcp(secret), Connections.clientContext());
    }

    private static GossipState state(Transport transport, Endpoint node) {
        return ((Message.GossipAck) send(transport, node, new Message.Gossip(GossipState.EMPTY))).state();
    }

    private static Message send(Transport transport, Endpoint node, Message.Request request) {
        return MessageCodec.decode(transport.request(node, MessageCodec.encode(request), TIMEOUT).join());
    }

    private static void assertForbidden(Message answer) {
        assertTrue(answer instanceof Message.Error e && e.code() == ErrorCode.FORBIDDEN, () -> "not forbidden: " + answer);
    }
}
