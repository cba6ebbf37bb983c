package io.dynamo.core.plugin;

import static io.dynamo.core.plugin.MessageAssert.assertThat;
import static io.dynamo.core.plugin.PluginSources.lengthPartitionerPlugin;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.dynamo.core.plugin.PluginRegistry.BrokenPlugin;
import io.dynamo.core.plugin.PluginRegistry.BrokenPlugins;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@link BrokenPlugins#SKIP}: what the client commands load with. */
class SkippingBrokenPluginsTest {
    private static final ClassLoader NO_CLASS_PATH = ClassLoader.getPlatformClassLoader();

    @TempDir
    Path work;

    private Path plugins() {
        return work.resolve("plugins");
    }

    private void lengthPluginJar(String jarName, String packageName, String name) {
        PluginJar.builder(work)
                .source(packageName + ".LengthPlugin", lengthPartitionerPlugin(packageName, name))
                .provider(packageName + ".LengthPlugin")
                .writeTo(plugins().resolve(jarName));
    }

    @Test
    void aBrokenJarIsSkippedAndListedWhileTheOthersLoad() {
        lengthPluginJar("a-good.jar", "com.example.good", "good");
        PluginJar.builder(work).provider("com.example.missing.MissingPlugin").writeTo(plugins().resolve("b-broken.jar"));

        try (PluginRegistry registry = PluginRegistry.load(NO_CLASS_PATH, plugins(), BrokenPlugins.SKIP)) {
            assertEquals("good", registry.factory(ExtensionPoint.PARTITIONER, "good").name());
            List<BrokenPlugin> broken = registry.broken();
            assertEquals(1, broken.size(), broken::toString);
            assertEquals(plugins().resolve("b-broken.jar").toString(), broken.get(0).source());
            assertThat(broken.get(0).problem()).contains("com.example.missing.MissingPlugin");
        }
        // the node's way still refuses it
        assertThrows(PluginLoadException.class, () -> PluginRegistry.load(NO_CLASS_PATH, plugins()));
    }

    @Test
    void aNameTwoPluginsShareIsLeftOutAndAskingForItSaysWhy() {
        lengthPluginJar("a-first.jar", "com.example.first", "twin");
        lengthPluginJar("b-second.jar", "com.example.second", "twin");
        lengthPluginJar("c-other.jar", "com.example.other", "other");

        try (PluginRegistry registry = PluginRegistry.load(NO_CLASS_PATH, plugins(), BrokenPlugins.SKIP)) {
            assertEquals("other", registry.factory(ExtensionPoint.PARTITIONER, "other").name());
            PluginLoadException error = assertThrows(PluginLoadException.class,
                    () -> registry.factory(ExtensionPoint.PARTITIONER, "twin"));
            assertThat(error.getMessage()).contains("partitioner 'twin' is provided by").contains("a-first.jar")
                    .contains("b-second.jar");
            assertEquals(1, registry.broken().size(), registry.broken()::toString);
            assertEquals(plugins().resolve("a-first.jar").toString(), registry.broken().get(0).source());
        }
    }

    @Test
    void aRegistryLoadedStrictlyListsNothingBroken() {
        lengthPluginJar("a-good.jar", "com.example.good", "good");
        try (PluginRegistry registry = PluginRegistry.load(NO_CLASS_PATH, plugins())) {
            assertEquals(List.of(), registry.broken());
        }
    }
}
