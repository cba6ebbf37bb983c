package io.dynamo.core.plugin;

import static io.dynamo.core.plugin.MessageAssert.assertThat;
import static io.dynamo.core.plugin.PluginSources.lengthPartitionerPlugin;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.dynamo.core.config.NodeConfig;
import io.dynamo.spi.ConfigException;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ConfigNamespacesTest {
    @TempDir
    Path work;

    @BeforeEach
    void installSkiplist() {
        // a plugin named 'skiplist' in plugins/, as a third party ships one
        PluginJar.builder(work)
                .source("com.example.skiplist.LengthPlugin", lengthPartitionerPlugin("com.example.skiplist", "skiplist"))
                .provider("com.example.skiplist.LengthPlugin")
                .writeTo(work.resolve("plugins").resolve("skiplist.jar"));
    }

    private NodeConfig config(Map<String, String> settings) {
        Map<String, String> values = new HashMap<>(settings);
        values.put("node.id", "n1");
        values.put("node.plugins-dir", work.resolve("plugins").toString());
        return NodeConfig.of(values);
    }

    @Test
    void aKeyOfAnUnknownNamespaceFailsNamingItAndTheClosestKnownNamespace() {
        NodeConfig config = config(Map.of("skiplst.max-keys-per-partition", "10"));

        try (PluginRegistry registry = PluginRegistry.load(config.pluginsDirectory())) {
            ConfigException error = assertThrows(ConfigException.class, () -> ConfigNamespaces.check(config, registry));

            assertEquals("skiplst.max-keys-per-partition", error.key());
            assertThat(error.getMessage()).contains("no core section and no installed plugin is named 'skiplst'")
                    .contains("did you mean 'skiplist'?")
                    .contains("memory").contains("replication"); // every known namespace is listed
        }
    }

    @Test
    void aMisspeltCoreSectionIsSuggestedToo() {
        NodeConfig config = config(Map.of("replicaton.n", "1"));

        try (PluginRegistry registry = PluginRegistry.load(config.pluginsDirectory())) {
            ConfigException error = assertThrows(ConfigException.class, () -> ConfigNamespaces.check(config, registry));

            assertEquals("replicaton.n", error.key());
            assertThat(error.getMessage()).contains("did you mean 'replication'?");
        }
    }

    @Test
    void aNamespaceFarFromEveryKnownOneStillNamesTheClosest() {
        NodeConfig config = config(Map.of("zzzzzzzzzz.x", "1"));

        try (PluginRegistry registry = PluginRegistry.load(config.pluginsDirectory())) {
            ConfigException error = assertThrows(ConfigException.class, () -> ConfigNamespaces.check(config, registry));

            assertThat(error.getMessage()).contains("named 'zzzzzzzzzz'; none is close (the closest is '")
                    .doesNotContain("did you mean");
        }
    }

    @Test
    void keysOfAnInstalledButUnselectedPluginAreAWarningThatNamesThemAndTheSelection() {
        NodeConfig config = config(Map.of("skiplist.multiplier", "3", "lww.tie-break", "x", "memory.anything", "1",
                "storage", "memory"));

        try (PluginRegistry registry = PluginRegistry.load(config.pluginsDirectory())) {
            List<String> warnings = ConfigNamespaces.check(config, registry);

            assertEquals(2, warnings.size(), warnings::toString); // memory is selected: its factory checks its keys
            String lww = warnings.stream().filter(w -> w.contains("lww.tie-break")).findFirst().orElseThrow();
            assertThat(lww).startsWith("Ignoring lww.tie-break: conflict resolver 'lww' from class path is installed but"
                    + " not selected (resolver=vector-clock)").contains("lww.tie-break is not among its settings (it reads none)");
            String skiplist = warnings.stream().filter(w -> w.contains("skiplist.multiplier")).findFirst().orElseThrow();
            assertThat(skiplist).contains("partitioner 'skiplist' from " + work.resolve("plugins").resolve("skiplist.jar"))
                    .contains("(partitioner=md5)").doesNotContain("not among"); // it does not list its keys
        }
    }

    @Test
    void thePluginsAStoreSelectsAreSelectedToo() {
        NodeConfig config = config(Map.of("lww.tie-break", "x", "store.sessions.resolver", "lww", "storage", "memory"));

        try (PluginRegistry registry = PluginRegistry.load(config.pluginsDirectory())) {
            assertEquals(List.of(), ConfigNamespaces.check(config, registry), "lww is the sessions store's resolver");
        }
    }

    @Test
    void keysOfCoreSectionsAndSelectedPluginsAreLeftToTheirReaders() {
        NodeConfig config = config(Map.of("replication.n", "1", "tcp.io-threads", "1", "chronicle.anything", "x"));

        try (PluginRegistry registry = PluginRegistry.load(config.pluginsDirectory())) {
            assertEquals(List.of(), ConfigNamespaces.check(config, registry));
        }
    }

    @Test
    void editDistanceCountsSingleCharacterEdits() {
        assertEquals(0, ConfigNamespaces.editDistance("tcp", "tcp"));
        assertEquals(1, ConfigNamespaces.editDistance("skiplst", "skiplist"));
        assertEquals(2, ConfigNamespaces.editDistance("chronicel", "chronicle"));
        assertEquals(3, ConfigNamespaces.editDistance("", "md5"));
        assertEquals("md5", ConfigNamespaces.closest("md4", Set.of("memory", "md5", "lww")));
    }
}
