package io.dynamo.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.dynamo.api.Bytes;
import io.dynamo.api.Context;
import io.dynamo.core.client.DynamoClient;
import io.dynamo.core.messages.Message;
import io.dynamo.core.messages.MessageCodec;
import io.dynamo.core.plugin.ExtensionPoint;
import io.dynamo.core.plugin.PluginRegistry;
import io.dynamo.spi.PluginConfig;
import io.dynamo.spi.transport.Endpoint;
import io.dynamo.spi.transport.RequestHandler;
import io.dynamo.spi.transport.Transport;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Reads coordinated by the client, over the tcp transport against three real nodes. */
class ClientReadsOverTcpTest {
    private static final PluginConfig NO_SETTINGS = PluginConfig.empty(Connections.TRANSPORT);

    @TempDir
    Path directory;

    @Test
    void everyWriteIsReadBackAndReadsSurviveANodeStopping() throws InterruptedException {
        try (InProcessNodes nodes = InProcessNodes.start(3, directory, Map.of("storage", "memory"));
                DynamoClient client = Connections.storeOpener().open(endpoints(nodes), Duration.ofSeconds(5),
                        NO_SETTINGS, true)) {
            for (int i = 0; i < 50; i++) {
                client.put(key(i), value(i), Context.EMPTY);
            }
            client.get(key(0)); // through a node, while the routing table comes
            Thread.sleep(300);

            for (int i = 0; i < 50; i++) {
                assertEquals(List.of(value(i)), client.get(key(i)).values(), "key " + i);
            }
            nodes.stop(1);
            for (int i = 0; i < 50; i++) {
                assertEquals(List.of(value(i)), client.get(key(i)).values(), "key " + i + " with node-2 stopped");
            }
        }
    }

    @Test
    void aReadGoesStraightToRReplicasPlacedByThePartitionerPluginTheNodesName() throws InterruptedException {
        List<Message> sent = new CopyOnWriteArrayList<>();
        try (InProcessNodes nodes = InProcessNodes.start(3, directory, Map.of("storage", "memory"));
                PluginRegistry plugins = PluginRegistry.load(directory.resolve("client-plugins"));
                DynamoClient client = DynamoClient.builder(
                                recording(plugins.create(ExtensionPoint.TRANSPORT, Connections.TRANSPORT, NO_SETTINGS,
                                        Connections.clientContext()), sent), endpoints(nodes))
                        .coordinateReads(plugins.partitioners(Connections.clientContext())).build()) {
            client.put(key(0), value(0), Context.EMPTY);

            List<Message> readRequests = List.of();
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
            while (!readRequests.stream().allMatch(m -> m instanceof Message.ReplicaRead) || readRequests.isEmpty()) {
                assertTrue(System.nanoTime() < deadline, "reads never went to the replicas directly: " + readRequests);
                sent.clear();
                assertEquals(List.of(value(0)), client.get(key(0)).values());
                readRequests = sent.stream().filter(m -> !(m instanceof Message.Routing)).toList();
                Thread.sleep(50); // the first reads go through a node while the routing table comes
            }
            assertEquals(2, readRequests.size(), "R=2 replicas asked: " + readRequests);
        }
    }

    /** {@code transport}, noting every request it sends. */
    private static Transport recording(Transport transport, List<Message> sent) {
        return new Transport() {
            @Override
            public Endpoint bind(Endpoint local, RequestHandler handler) {
                return transport.bind(local, handler);
            }

            @Override
            public CompletableFuture<byte[]> request(Endpoint peer, byte[] payload, Duration timeout) {
                sent.add(MessageCodec.decode(payload));
                return transport.request(peer, payload, timeout);
            }

            @Override
            public void close() {
                transport.close();
            }
        };
    }

    private static List<Endpoint> endpoints(InProcessNodes nodes) {
        return Arrays.stream(nodes.nodesOption().split(",")).map(Endpoint::new).toList();
    }

    private static Bytes key(int i) {
        return Bytes.utf8("key-" + i);
    }

    private static Bytes value(int i) {
        return Bytes.utf8("value-" + i);
    }
}
