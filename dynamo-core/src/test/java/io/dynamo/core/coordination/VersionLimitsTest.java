package io.dynamo.core.coordination;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.dynamo.core.causality.WriterSlots;
import io.dynamo.core.config.NodeConfig;
import io.dynamo.core.node.NodeSettings;
import io.dynamo.spi.ConfigException;
import io.dynamo.spi.PluginConfig;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The sibling and clock-skew settings: defaults, node config keys, bad values named. */
class VersionLimitsTest {
    @Test
    void defaultsAndSettings() {
        assertEquals(VersionLimits.DEFAULT, VersionLimits.from(PluginConfig.empty("replication")));
        assertEquals(new VersionLimits(10, 20, Duration.ofSeconds(30)), VersionLimits.from(new PluginConfig("replication",
                Map.of("sibling-warn", "10", "max-siblings", "20", "max-clock-skew", "30s"))));
        NodeSettings settings = NodeSettings.from(NodeConfig.of(Map.of("node.id", "n1", "replication.max-siblings", "7")),
                new WriterSlots());
        assertEquals(7, settings.versionLimits().maxSiblings());
    }

    @Test
    void aBadValueNamesItsKey() {
        assertEquals("replication.max-siblings", assertThrows(ConfigException.class, () -> VersionLimits.from(
                new PluginConfig("replication", Map.of("max-siblings", "0")))).key());
        assertEquals("replication.sibling-warn", assertThrows(ConfigException.class, () -> VersionLimits.from(
                new PluginConfig("replication", Map.of("sibling-warn", "1")))).key());
        assertEquals("replication.max-clock-skew", assertThrows(ConfigException.class, () -> VersionLimits.from(
                new PluginConfig("replication", Map.of("max-clock-skew", "soon")))).key());
    }
}
