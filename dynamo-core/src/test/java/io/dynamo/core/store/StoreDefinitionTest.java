package io.dynamo.core.store;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.dynamo.core.config.NodeConfig;
import io.dynamo.core.config.PrimaryQuorums;
import io.dynamo.core.storage.SyncPolicy;
import io.dynamo.spi.ConfigException;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class StoreDefinitionTest {
    private static final String MEMBERS = "n1@127.0.0.1:7001, n2@127.0.0.1:7002, n3@127.0.0.1:7003";

    private static NodeConfig config(String... keysAndValues) {
        Map<String, String> values = new HashMap<>();
        values.put("node.id", "n1");
        values.put("cluster.members", MEMBERS);
        for (int i = 0; i < keysAndValues.length; i += 2) {
            values.put(keysAndValues[i], keysAndValues[i + 1]);
        }
        return NodeConfig.of(values);
    }

    @Test
    void theDefaultStoreReadsTodaysKeys() {
        NodeConfig config = config("replication.n", "2", "replication.r", "1", "resolver", "lww", "storage", "memory",
                "replication.max-siblings", "7", "replication.max-value-size", "1000");

        StoreDefinition store = config.stores().get(StoreDefinition.DEFAULT);

        assertEquals(List.of(StoreDefinition.DEFAULT), List.copyOf(config.stores().keySet()));
        assertEquals(config.replication(), store.replication());
        assertEquals("lww", store.resolver());
        assertEquals("memory", store.storage());
        assertEquals("vector-clock", store.causality());
        assertEquals(7, store.versionLimits().maxSiblings());
        assertEquals(1000, store.limits().maxValueSize());
    }

    @Test
    void anotherStoreReadsItsOwnKeysAndFallsBackToTheDefaultStore() {
        NodeConfig config = config("resolver", "lww", "storage", "memory", "replication.timeout", "3s",
                "store.carts.resolver", "set-union", "store.carts.n", "1", "store.carts.max-siblings", "9",
                "store.sessions.max-value-size", "2kb", "store.sessions.causality", "dvv",
                "replication.sync", "interval", "replication.sync-interval", "200ms", "store.carts.sync", "always",
                "replication.pr", "2", "replication.pw", "3", "store.sessions.pr", "0", "store.sessions.pw", "2");

        StoreDefinition carts = config.stores().get("carts");
        StoreDefinition sessions = config.stores().get("sessions");

        assertEquals(List.of("default", "carts", "sessions"), List.copyOf(config.stores().keySet()));
        assertEquals("set-union", carts.resolver());
        assertEquals("memory", carts.storage());
        assertEquals(1, carts.replication().replicas());
        // R and W fall back to the default store's, bounded by the store's own N
        assertEquals(1, carts.replication().readQuorum());
        assertEquals(1, carts.replication().writeQuorum());
        assertEquals(Duration.ofSeconds(3), carts.replication().timeout());
        assertEquals(9, carts.versionLimits().maxSiblings());
        assertEquals("lww", sessions.resolver());
        assertEquals("dvv", sessions.causality());
        assertEquals(3, sessions.replication().replicas());
        assertEquals(2, sessions.replication().readQuorum());
        assertEquals(2048, sessions.limits().maxValueSize());
        assertEquals(100, sessions.versionLimits().maxSiblings());
        // durable writes: the store's own policy, the interval of the default store; or both of the default store
        assertEquals(SyncPolicy.ALWAYS, carts.sync().policy());
        // pr/pw: the default store's, bounded by the store's N
        assertEquals(new PrimaryQuorums(1, 1), carts.replication().primaries());
        assertEquals(new PrimaryQuorums(0, 2), sessions.replication().primaries());
        assertEquals(Duration.ofMillis(200), carts.sync().interval());
        assertEquals("store.carts.sync", carts.sync().key());
        assertEquals(SyncPolicy.INTERVAL, sessions.sync().policy());
        assertEquals(SyncPolicy.INTERVAL, config.stores().get(StoreDefinition.DEFAULT).sync().policy());
    }

    @Test
    void badValuesNameTheFullKey() {
        assertKey("store.carts.n", () -> config("store.carts.n", "4"));
        assertKey("store.carts.n", () -> config("store.carts.n", "0"));
        assertKey("store.carts.r", () -> config("store.carts.n", "2", "store.carts.r", "3"));
        assertKey("store.carts.w", () -> config("store.carts.w", "x"));
        assertKey("store.carts.timeout", () -> config("store.carts.timeout", "0"));
        assertKey("store.carts.resolver", () -> config("store.carts.resolver", "Set Union"));
        assertKey("store.carts.max-siblings", () -> config("store.carts.max-siblings", "0"));
        assertKey("store.carts.sibling-warn", () -> config("store.carts.sibling-warn", "1"));
        assertKey("store.carts.max-value-size", () -> config("store.carts.max-value-size", "1gb"));
        assertKey("store.carts.max-clock-entries", () -> config("store.carts.max-clock-entries", "0"));
        assertKey("store.carts.sync", () -> config("store.carts.sync", "sometimes"));
        assertKey("store.carts.pw", () -> config("store.carts.n", "2", "store.carts.pw", "3"));
        assertKey("store.carts.pr", () -> config("store.carts.pr", "-1"));
        assertKey("store.carts.sync-interval", () -> config("store.carts.sync-interval", "0ms"));
    }

    @Test
    void unknownKeysAndBadNamesAreRefused() {
        ConfigException unknown = assertKey("store.carts.resolvr", () -> config("store.carts.resolvr", "lww"));
        assertTrue(unknown.getMessage().contains("n, r, w, timeout, resolver, storage, causality"), unknown.getMessage());
        assertKey("store.carts", () -> config("store.carts", "lww"));
        assertKey("store.Carts", () -> config("store.Carts.n", "1"));
        assertKey("store.default", () -> config("store.default.n", "1"));
    }

    @Test
    void settingsMapsAreReadWithShortKeys() {
        StoreDefinition defaults = config().stores().get(StoreDefinition.DEFAULT);

        StoreDefinition made = StoreDefinition.from("carts", Map.of("n", "2", "resolver", "lww"), defaults);

        assertEquals(2, made.replication().replicas());
        assertEquals("lww", made.resolver());
        assertEquals(made, StoreDefinition.from("carts", made.settings(), defaults));
        ConfigException bad = assertThrows(ConfigException.class,
                () -> StoreDefinition.from("carts", Map.of("replicas", "2"), defaults));
        assertEquals("store.carts.replicas", bad.key());
        assertTrue(bad.getMessage().contains("max-clock-entries"), bad.getMessage());
        assertThrows(ConfigException.class, () -> StoreDefinition.from("-x", Map.of(), defaults));
        assertThrows(ConfigException.class, () -> StoreDefinition.from("a".repeat(64), Map.of(), defaults));
    }

    private static ConfigException assertKey(String key, org.junit.jupiter.api.function.Executable config) {
        ConfigException e = assertThrows(ConfigException.class, config);
        assertEquals(key, e.key(), e.getMessage());
        return e;
    }
}
