package io.dynamo.core.config;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.dynamo.api.InvalidArgumentException;
import io.dynamo.spi.ConfigException;
import io.dynamo.spi.PluginConfig;
import io.dynamo.spi.transport.Endpoint;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

class NodeConfigTest {
    private static final String THREE_MEMBERS = "n1@127.0.0.1:7001, n2@127.0.0.2:7002, n3@127.0.0.3:7003";

    private static NodeConfig config(String... keysAndValues) {
        Map<String, String> values = new HashMap<>();
        for (int i = 0; i < keysAndValues.length; i += 2) {
            values.put(keysAndValues[i], keysAndValues[i + 1]);
        }
        return NodeConfig.of(values);
    }

    @Test
    void defaultsForASingleNode() {
        NodeConfig config = config("node.id", "n1");

        assertEquals("n1", config.nodeId());
        assertEquals(new Endpoint("127.0.0.1:7000"), config.listen());
        assertEquals(Path.of("data", "n1"), config.dataDirectory());
        assertEquals(Path.of("plugins"), config.pluginsDirectory());
        assertEquals(List.of(new ClusterMember("n1", new Endpoint("127.0.0.1:7000"))), config.members());
        assertEquals(256, config.partitions());
        assertEquals("md5", config.partitioner());
        assertEquals("chronicle", config.storage());
        assertEquals("tcp", config.transport());
        assertEquals("vector-clock", config.resolver());
        // N, R and W default to 3/2/2 lowered to the size of the cluster.
        assertEquals(defaults(1, 1, 1), config.replication());
    }

    @Test
    void replicationDefaultsTo3Of2And2With3OrMoreMembers() {
        NodeConfig config = config("node.id", "n2", "cluster.members", THREE_MEMBERS + ", n4@127.0.0.4:7004");

        assertEquals(defaults(3, 2, 2), config.replication());
    }

    @Test
    void twoMembersDefaultTo2Of2And2() {
        NodeConfig config = config("node.id", "n1", "cluster.members", "n1@127.0.0.1:7001,n2@127.0.0.2:7002");

        assertEquals(defaults(2, 2, 2), config.replication());
    }

    /** N, R and W with every other replication setting at its default. */
    private static ReplicationConfig defaults(int n, int r, int w) {
        return new ReplicationConfig(n, r, w, Duration.ofSeconds(2), ReplicationConfig.DEFAULT_MAX_CLOCK_ENTRIES,
                ReplicationConfig.DEFAULT_READ_FANOUT, ReplicationConfig.DEFAULT_SPECULATIVE_RETRY);
    }

    @Test
    void everyKeyIsRead() {
        NodeConfig config = config(
                "node.id", "n2",
                "node.listen", "0.0.0.0:9000",
                "node.data-dir", "/var/lib/dynamo",
                "node.plugins-dir", "/opt/dynamo/plugins",
                "cluster.members", THREE_MEMBERS,
                "cluster.partitions", "1024",
                "partitioner", "my-partitioner",
                "storage", "memory",
                "transport", "local",
                "resolver", "set-union",
                "replication.n", "3",
                "replication.r", "1",
                "replication.w", "3",
                "replication.timeout", "750ms",
                "replication.max-clock-entries", "20",
                "replication.read-fanout", "all",
                "replication.speculative-retry", "5ms",
                "replication.pr", "1",
                "replication.pw", "3");

        assertEquals(new Endpoint("0.0.0.0:9000"), config.listen());
        assertEquals(Path.of("/var/lib/dynamo"), config.dataDirectory());
        assertEquals(Path.of("/opt/dynamo/plugins"), config.pluginsDirectory());
        assertEquals(List.of(
                new ClusterMember("n1", new Endpoint("127.0.0.1:7001")),
                new ClusterMember("n2", new Endpoint("127.0.0.2:7002")),
                new ClusterMember("n3", new Endpoint("127.0.0.3:7003"))), config.members());
        assertEquals(1024, config.partitions());
        assertEquals("my-partitioner", config.partitioner());
        assertEquals("memory", config.storage());
        assertEquals("local", config.transport());
        assertEquals("set-union", config.resolver());
        assertEquals(new ReplicationConfig(3, 1, 3, Duration.ofMillis(750), 20, ReadFanout.ALL, Duration.ofMillis(5),
                new PrimaryQuorums(1, 3)), config.replication());
    }

    @Test
    void listenDefaultsToThisNodesAddressInTheMemberList() {
        NodeConfig config = config("node.id", "n3", "cluster.members", THREE_MEMBERS);

        assertEquals(new Endpoint("127.0.0.3:7003"), config.listen());
    }

    @Test
    void sectionHoldsThePluginsKeysWithoutThePrefix() {
        NodeConfig config = config(
                "node.id", "n1",
                "chronicle.entries", "1000000",
                "chronicle.average-value-size", "4k",
                "chronicles.other", "not in the section");

        PluginConfig section = config.section("chronicle");

        assertEquals("chronicle", section.namespace());
        assertEquals(Map.of("entries", "1000000", "average-value-size", "4k"), section.asMap());
        assertEquals(1_000_000, section.getLong("entries", 0));
        assertEquals(4096, section.getSize("average-value-size", 0));
        assertTrue(config.section("tcp").asMap().isEmpty());
    }

    @Test
    void badPluginValueNamesTheFullKey() {
        PluginConfig section = config("node.id", "n1", "chronicle.entries", "lots").section("chronicle");

        ConfigException error = assertThrows(ConfigException.class, () -> section.getLong("entries", 0));

        assertEquals("chronicle.entries", error.key());
    }

    @Test
    void overridesReplaceTheFilesValues() {
        Properties file = new Properties();
        file.setProperty("node.id", "n1");
        file.setProperty("storage", "chronicle");
        file.setProperty("chronicle.entries", "10");

        NodeConfig config = NodeConfig.of(file, Map.of("storage", "memory", "memory.limit", "1g"));

        assertEquals("n1", config.nodeId());
        assertEquals("memory", config.storage());
        assertEquals(Map.of("entries", "10"), config.section("chronicle").asMap());
        assertEquals(Map.of("limit", "1g"), config.section("memory").asMap());
    }

    @Test
    void loadsAPropertiesFileInUtf8AndTrimsValues(@TempDir Path directory) throws IOException {
        Path file = directory.resolve("node.properties");
        Files.writeString(file, """
                # a node
                node.id = n1
                node.data-dir = /data/dynamø\s\s
                cluster.partitions = 64
                """, UTF_8);

        NodeConfig config = NodeConfig.load(file, Map.of("cluster.partitions", "128"));

        assertEquals("n1", config.nodeId());
        assertEquals(Path.of("/data/dynamø"), config.dataDirectory());
        assertEquals(128, config.partitions());
    }

    @Test
    void unreadableFileIsNamed(@TempDir Path directory) {
        Path missing = directory.resolve("missing.properties");

        InvalidArgumentException error = assertThrows(InvalidArgumentException.class, () -> NodeConfig.load(missing, Map.of()));

        assertTrue(error.getMessage().startsWith("cannot read the config file " + missing), error.getMessage());
    }

    @Test
    void isAValue() {
        NodeConfig one = config("node.id", "n1", "storage", "memory");
        NodeConfig same = config("storage", "memory", "node.id", "n1");

        assertEquals(one, same);
        assertEquals(one.hashCode(), same.hashCode());
        assertEquals(Map.of("node.id", "n1", "storage", "memory"), one.asMap());
        one.asMap().put("node.id", "changed");
        assertEquals("n1", one.asMap().get("node.id"));
        assertThrows(UnsupportedOperationException.class, () -> one.members().clear());
    }

    @Test
    void toStringLeavesOutPluginSettings() {
        String text = config("node.id", "n1", "tcp.secret", "hunter2").toString();

        assertTrue(text.contains("node n1"), text);
        assertTrue(!text.contains("hunter2"), text);
    }

    static Stream<Arguments> invalidSettings() {
        return Stream.of(
                Arguments.of("node.id", Map.of("node.id", "  ")),
                Arguments.of("node.id", Map.of("node.id", "")),
                Arguments.of("node.id", Map.of("node.id", "n 1")),
                Arguments.of("node.id", Map.of("node.id", "-n1")),
                Arguments.of("node.listen", Map.of("node.listen", "localhost")),
                Arguments.of("node.listen", Map.of("node.listen", "127.0.0.1:70000")),
                Arguments.of("node.listen", Map.of("node.listen", ":7000")),
                Arguments.of("cluster.members", Map.of("cluster.members", "n1")),
                Arguments.of("cluster.members", Map.of("cluster.members", "n1@127.0.0.1")),
                Arguments.of("cluster.members", Map.of("cluster.members", "@127.0.0.1:7000")),
                Arguments.of("cluster.members", Map.of("cluster.members", "n1@127.0.0.1:7000,,n2@127.0.0.2:7000")),
                Arguments.of("cluster.members", Map.of("cluster.members", "n1@127.0.0.1:7000,n1@127.0.0.2:7000")),
                Arguments.of("cluster.members", Map.of("cluster.members", "n1@127.0.0.1:7000,n2@127.0.0.1:7000")),
                Arguments.of("cluster.members", Map.of("cluster.members", "n2@127.0.0.2:7000")),
                Arguments.of("cluster.partitions", Map.of("cluster.partitions", "100")),
                Arguments.of("cluster.partitions", Map.of("cluster.partitions", "0")),
                Arguments.of("cluster.partitions", Map.of("cluster.partitions", "-256")),
                Arguments.of("cluster.partitions", Map.of("cluster.partitions", "131072")),
                Arguments.of("cluster.partitions", Map.of("cluster.partitions", "many")),
                Arguments.of("cluster.partitions", Map.of("cluster.partitions", "2", "cluster.members", THREE_MEMBERS)),
                Arguments.of("partitioner", Map.of("partitioner", "MD5")),
                Arguments.of("storage", Map.of("storage", "")),
                Arguments.of("transport", Map.of("transport", "tcp/ip")),
                Arguments.of("resolver", Map.of("resolver", "9lives")),
                Arguments.of("replication.n", Map.of("replication.n", "0")),
                Arguments.of("replication.n", Map.of("replication.n", "three")),
                Arguments.of("replication.n", Map.of("replication.n", "2")),
                Arguments.of("replication.n", Map.of("replication.n", "4", "cluster.members", THREE_MEMBERS)),
                Arguments.of("replication.r", Map.of("replication.r", "3", "cluster.members", THREE_MEMBERS, "replication.n", "2")),
                Arguments.of("replication.r", Map.of("replication.r", "0")),
                Arguments.of("replication.w", Map.of("replication.w", "4", "cluster.members", THREE_MEMBERS)),
                Arguments.of("replication.w", Map.of("replication.w", "0")),
                Arguments.of("replication.timeout", Map.of("replication.timeout", "0s")),
                Arguments.of("replication.timeout", Map.of("replication.timeout", "soon")),
                Arguments.of("replication.max-clock-entries", Map.of("replication.max-clock-entries", "0")),
                Arguments.of("replication.read-fanout", Map.of("replication.read-fanout", "most")),
                Arguments.of("replication.read-fanout", Map.of("replication.read-fanout", "ALL")),
                Arguments.of("replication.speculative-retry", Map.of("replication.speculative-retry", "-1ms")),
                Arguments.of("replication.speculative-retry", Map.of("replication.speculative-retry", "later")),
                Arguments.of("replication.pr", Map.of("replication.pr", "-1")),
                Arguments.of("replication.pr", Map.of("replication.pr", "all")),
                Arguments.of("replication.pw", Map.of("replication.pw", "4", "cluster.members", THREE_MEMBERS)),
                Arguments.of("replication.pw", Map.of("replication.pw", "2")));
    }

    @ParameterizedTest(name = "{0} in {1}")
    @MethodSource("invalidSettings")
    void invalidSettingIsReportedWithItsKey(String key, Map<String, String> settings) {
        Map<String, String> values = new HashMap<>(Map.of("node.id", "n1"));
        values.putAll(settings);

        ConfigException error = assertThrows(ConfigException.class, () -> NodeConfig.of(values));

        assertEquals(key, error.key(), error.getMessage());
        assertTrue(error.getMessage().startsWith(key + ": "), error.getMessage());
    }

    @Test
    void aMisspeltCoreSettingIsRefusedWithTheKnownOnes() {
        ConfigException error = assertThrows(ConfigException.class,
                () -> config("node.id", "n1", "replication.read-fannout", "all"));
        assertEquals("replication.read-fannout", error.key());
        assertTrue(error.getMessage().contains("unknown setting"), error.getMessage());
        assertTrue(error.getMessage().contains("replication.read-fanout"), error.getMessage());
        assertFalse(error.getMessage().contains("node.id"), "lists only the namespace's keys: " + error.getMessage());

        assertEquals("storag", assertThrows(ConfigException.class, () -> config("node.id", "n1", "storag", "memory")).key());
        assertEquals("node.idd", assertThrows(ConfigException.class, () -> config("node.idd", "n1")).key());
    }

    @Test
    void pluginNamespacesAreLeftToThePlugins() {
        NodeConfig config = config("node.id", "n1", "tcp.io-threads", "1", "my-plugin.anything", "x");
        assertEquals(Map.of("io-threads", "1"), config.section("tcp").asMap());
    }

    @Test
    void nodeIdIsRequired() {
        assertEquals("node.id: is required", assertThrows(ConfigException.class, () -> config("storage", "memory")).getMessage());
    }

    @Test
    void messagesSayWhatIsWrong() {
        assertEquals("cluster.partitions: 100 is not a power of two between 1 and 65536",
                assertThrows(ConfigException.class, () -> config("node.id", "n1", "cluster.partitions", "100")).getMessage());
        assertEquals("cluster.members: node id 'n1' is listed twice",
                assertThrows(ConfigException.class, () -> config("node.id", "n1",
                        "cluster.members", "n1@127.0.0.1:7000, n1@127.0.0.2:7000")).getMessage());
        assertEquals("replication.r: 3 is not between 1 and replication.n=2",
                assertThrows(ConfigException.class, () -> config("node.id", "n1", "cluster.members", THREE_MEMBERS,
                        "replication.n", "2", "replication.r", "3")).getMessage());
        assertEquals("cluster.members: does not list this node's id 'n9'",
                assertThrows(ConfigException.class, () -> config("node.id", "n9", "cluster.members", THREE_MEMBERS)).getMessage());
    }

    @Test
    void sectionNeedsANamespace() {
        NodeConfig config = config("node.id", "n1");

        assertThrows(InvalidArgumentException.class, () -> config.section(""));
        assertThrows(InvalidArgumentException.class, () -> config.section("chronicle."));
    }

    @Test
    void pluginContextCarriesTheNodeIdAndDataDirectory() {
        NodeConfig config = config("node.id", "n1", "node.data-dir", "/srv/n1");

        assertEquals("n1", config.pluginContext().nodeId());
        assertEquals(Path.of("/srv/n1"), config.pluginContext().dataDirectory());
    }
}
