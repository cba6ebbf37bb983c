package io.dynamo.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.dynamo.core.antientropy.AntiEntropySettings;
import io.dynamo.core.config.NodeConfig;
import io.dynamo.spi.ConfigException;
import java.nio.file.Files;
import java.util.LinkedHashMap;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A node assembled as {@code dynamo server} assembles it takes every core setting from its config. */
class ServerAssemblyTest {
    @TempDir Path directory;

    @Test
    void theNodeReadsItsAntiEntropySettings() {
        int port = InProcessNodes.freePorts(1).get(0);
        NodeConfig config = NodeConfig.of(Map.of(
                NodeConfig.NODE_ID, "solo",
                NodeConfig.NODE_LISTEN, "127.0.0.1:" + port,
                NodeConfig.NODE_DATA_DIR, directory.resolve("solo").toString(),
                NodeConfig.NODE_PLUGINS_DIR, directory.resolve("plugins").toString(),
                NodeConfig.STORAGE, "memory",
                "anti-entropy.interval", "5m",
                "anti-entropy.tree-depth", "12"));
        try (ServerCommand.RunningNode running = ServerCommand.RunningNode.start(config)) {
            AntiEntropySettings settings = running.node().antiEntropy().settings();
            assertEquals(Duration.ofMinutes(5), settings.interval());
            assertEquals(12, settings.treeDepth());
        }
    }

    /** Every extension made for the node is remembered, the storage engine last, and closed when the node stops. */
    @Test
    void theNodeClosesEveryExtensionItMadeWhenItStops() {
        int port = InProcessNodes.freePorts(1).get(0);
        NodeConfig config = NodeConfig.of(Map.of(
                NodeConfig.NODE_ID, "solo",
                NodeConfig.NODE_LISTEN, "127.0.0.1:" + port,
                NodeConfig.NODE_DATA_DIR, directory.resolve("solo").toString(),
                NodeConfig.NODE_PLUGINS_DIR, directory.resolve("plugins").toString(),
                NodeConfig.STORAGE, "memory"));
        ServerCommand.RunningNode running = ServerCommand.RunningNode.start(config);
        java.util.List<Object> made;
        try {
            made = running.extensions().products();
            // partitioner, resolver, transport, causality scheme, storage engine
            assertEquals(5, made.size(), made::toString);
            assertEquals(running.node().storage(), made.get(4));
        } finally {
            running.close();
        }
        assertEquals(java.util.List.of(), running.extensions().products()); // closed and forgotten
        // the transport, closed, no longer serves: its port is free again
        try (java.net.ServerSocket again = new java.net.ServerSocket(port, 1, java.net.InetAddress.getLoopbackAddress())) {
            assertEquals(port, again.getLocalPort());
        } catch (java.io.IOException e) {
            throw new AssertionError("the node's port is still bound after close", e);
        }
    }

    /** A node whose transport does not authenticate its callers serves loopback only. */
    @Test
    void anUnauthenticatedNodeRefusesToListenBeyondLoopback() {
        Map<String, String> settings = chronicleNode();
        settings.put(NodeConfig.NODE_LISTEN, "0.0.0.0:0"); // refused before anything is bound
        settings.put(NodeConfig.CLUSTER_MEMBERS, "solo@127.0.0.1:" + InProcessNodes.freePorts(1).get(0));
        ConfigException refused = assertThrows(ConfigException.class,
                () -> ServerCommand.RunningNode.start(NodeConfig.of(settings)).close());
        assertEquals(NodeConfig.NODE_LISTEN, refused.key());
        assertTrue(refused.getMessage().contains("tcp.secret"), refused.getMessage());
        assertFalse(Files.exists(directory.resolve("solo").resolve("chronicle")), "the storage engine was opened");
    }

    /** Frames too small for the largest value are refused at start, naming both settings. */
    @Test
    void framesSmallerThanTheLargestMessageAreRefused() {
        Map<String, String> settings = chronicleNode();
        settings.put("tcp.max-frame-size", "1MiB");
        settings.put("replication.max-value-size", "1MiB");
        ConfigException refused = assertThrows(ConfigException.class,
                () -> ServerCommand.RunningNode.start(NodeConfig.of(settings)).close());
        assertEquals("tcp.max-frame-size", refused.key());
        assertTrue(refused.getMessage().contains("replication.max-value-size"), refused.getMessage());
        assertFalse(Files.exists(directory.resolve("solo").resolve("chronicle")), "the storage engine was opened");

        settings.put("tcp.max-frame-size", "2MiB");
        try (ServerCommand.RunningNode running = ServerCommand.RunningNode.start(NodeConfig.of(settings))) {
            assertEquals("solo", running.node().id());
        }
    }

    /** A misspelt transport key fails the start before the storage engine opens anything. */
    @Test
    void aBadTransportSettingFailsBeforeStorageIsOpened() {
        Map<String, String> settings = chronicleNode();
        settings.put("tcp.max-frame-sise", "32MiB");
        ConfigException refused = assertThrows(ConfigException.class,
                () -> ServerCommand.RunningNode.start(NodeConfig.of(settings)).close());
        assertEquals("tcp.max-frame-sise", refused.key());
        assertFalse(Files.exists(directory.resolve("solo").resolve("chronicle")), "the storage engine was opened");
    }

    private Map<String, String> chronicleNode() {
        int port = InProcessNodes.freePorts(1).get(0);
        Map<String, String> settings = new LinkedHashMap<>();
        settings.put(NodeConfig.NODE_ID, "solo");
        settings.put(NodeConfig.NODE_LISTEN, "127.0.0.1:" + port);
        settings.put(NodeConfig.NODE_DATA_DIR, directory.resolve("solo").toString());
        settings.put(NodeConfig.NODE_PLUGINS_DIR, directory.resolve("plugins").toString());
        settings.put(NodeConfig.CLUSTER_PARTITIONS, "8");
        return settings;
    }
}
