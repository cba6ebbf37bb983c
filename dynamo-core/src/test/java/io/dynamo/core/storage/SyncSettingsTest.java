package io.dynamo.core.storage;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.dynamo.core.causality.WriterSlots;
import io.dynamo.core.config.NodeConfig;
import io.dynamo.core.node.NodeSettings;
import io.dynamo.spi.ConfigException;
import io.dynamo.spi.PluginConfig;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** {@code sync} and {@code sync-interval}: defaults, parsing, and errors that name the key and list the policies. */
class SyncSettingsTest {
    @Test
    void defaultsToNoneEverySecond() {
        SyncSettings settings = SyncSettings.from(PluginConfig.empty("replication"));
        assertEquals(SyncSettings.NONE, settings);
        assertEquals("replication.sync", settings.key());
    }

    @Test
    void aNodeConfigReadsItsReplicationSection() {
        NodeSettings settings = NodeSettings.from(NodeConfig.of(Map.of("node.id", "n1", "replication.sync", "interval",
                "replication.sync-interval", "250ms")), new WriterSlots());
        assertEquals(new SyncSettings(SyncPolicy.INTERVAL, Duration.ofMillis(250), "replication.sync"), settings.sync());
        assertEquals(SyncPolicy.ALWAYS, NodeSettings.from(NodeConfig.of(Map.of("node.id", "n1", "replication.sync",
                "always")), new WriterSlots()).sync().policy());
    }

    @Test
    void anotherSectionNamesItsOwnKeys() {
        SyncSettings settings = SyncSettings.from(new PluginConfig("store.carts", Map.of("sync", "always")));
        assertEquals("store.carts.sync", settings.key());
        ConfigException bad = assertThrows(ConfigException.class,
                () -> SyncSettings.from(new PluginConfig("store.carts", Map.of("sync", "fsync"))));
        assertEquals("store.carts.sync", bad.key());
    }

    @Test
    void aBadPolicyNamesTheKeyAndListsThePolicies() {
        ConfigException bad = assertThrows(ConfigException.class, () -> NodeSettings.from(NodeConfig.of(Map.of(
                "node.id", "n1", "replication.sync", "Always")), new WriterSlots()));
        assertEquals("replication.sync", bad.key());
        assertTrue(bad.getMessage().contains("'Always' is not a sync policy; the policies are none, interval, always"),
                bad.getMessage());
    }

    @Test
    void aBadIntervalNamesItsKey() {
        for (String value : new String[] {"0", "2h", "soon"}) {
            ConfigException bad = assertThrows(ConfigException.class, () -> SyncSettings.from(
                    new PluginConfig("replication", Map.of("sync", "interval", "sync-interval", value))), value);
            assertEquals("replication.sync-interval", bad.key(), value);
        }
    }

    @Test
    void aMisspeltKeyIsRefused() {
        ConfigException bad = assertThrows(ConfigException.class,
                () -> NodeConfig.of(Map.of("node.id", "n1", "replication.synch", "always")));
        assertEquals("replication.synch", bad.key());
        assertTrue(bad.getMessage().contains("replication.sync-interval"), bad.getMessage());
    }
}
