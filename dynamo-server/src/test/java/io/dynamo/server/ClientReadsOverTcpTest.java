package io.dynamo.server;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.dynamo.api.Bytes;
import io.dynamo.api.Context;
import io.dynamo.core.client.DynamoClient;
import io.dynamo.spi.PluginConfig;
import io.dynamo.spi.transport.Endpoint;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
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
