package io.dynamo.server;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.dynamo.core.antientropy.AntiEntropySettings;
import io.dynamo.core.config.NodeConfig;
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
}
