package io.dynamo.core.plugin;

import static io.dynamo.core.plugin.MessageAssert.assertThat;
import static io.dynamo.core.plugin.PluginSources.lengthPartitionerPlugin;
import static io.dynamo.core.plugin.PluginSources.libraryVersion;
import static io.dynamo.core.plugin.PluginSources.resolverNamedPlugin;
import static io.dynamo.core.plugin.PluginSources.throwingConstructorPlugin;
import static io.dynamo.core.plugin.PluginSources.versionReportingPlugin;
import static java.nio.charset.StandardCharsets.UTF_8;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.dynamo.api.Bytes;
import io.dynamo.core.config.NodeConfig;
import io.dynamo.spi.ConfigException;
import io.dynamo.spi.PluginConfig;
import io.dynamo.spi.PluginContext;
import io.dynamo.spi.SpiVersion;
import io.dynamo.spi.partition.Partitioner;
import io.dynamo.spi.partition.PartitionerFactory;
import java.io.IOException;
import java.math.BigInteger;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.function.Function;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class PluginRegistryTest {
    /** Loads the plugins directory alone, so that the class path's plugins do not show. */
    private static final ClassLoader NO_CLASS_PATH = ClassLoader.getPlatformClassLoader();
    private static final PluginContext CONTEXT = NodeConfig.of(Map.of("node.id", "n1")).pluginContext();

    @TempDir
    Path work;

    private Path plugins() {
        return work.resolve("plugins");
    }

    private Path lengthPluginJar(Path jarFile, String packageName, String name) {
        return PluginJar.builder(work)
                .source(packageName + ".LengthPlugin", lengthPartitionerPlugin(packageName, name))
                .provider(packageName + ".LengthPlugin")
                .writeTo(jarFile);
    }

    private static String url(Path jar) {
        try {
            return jar.toUri().toURL().toString();
        } catch (java.net.MalformedURLException e) {
            throw new IllegalArgumentException(e);
        }
    }

    @Test
    void jarBuiltAtTestTimeIsLoadedInItsOwnClassLoaderAndUsed() {
        Path jar = lengthPluginJar(plugins().resolve("third-party.jar"), "com.example.thirdparty", "third-party");

        try (PluginRegistry registry = PluginRegistry.load(NO_CLASS_PATH, plugins())) {
            LoadedFactory<Partitioner, PartitionerFactory> factory = registry.factory(ExtensionPoint.PARTITIONER, "third-party");
            assertEquals(new PluginOrigin(jar.toString(), "com.example.thirdparty.LengthPlugin", url(jar)),
                    factory.origin());
            assertInstanceOf(PluginClassLoader.class, factory.classLoader());

            Partitioner partitioner = registry.create(ExtensionPoint.PARTITIONER, "third-party",
                    new PluginConfig("third-party", Map.of("multiplier", "3")), CONTEXT);

            assertSame(factory.classLoader(), partitioner.getClass().getClassLoader());
            assertEquals(BigInteger.valueOf(15), partitioner.token(Bytes.utf8("hello")));
            assertEquals("third-party:15", partitioner.formatToken(BigInteger.valueOf(15)));
            assertEquals("third-party for n1, created under its own context loader: true", partitioner.toString());
        }
    }

    @Test
    void pluginSeesTheJdkAndTheSharedPackagesButNothingElseOfTheApplication() throws Exception {
        lengthPluginJar(plugins().resolve("third-party.jar"), "com.example.thirdparty", "third-party");

        try (PluginRegistry registry = PluginRegistry.load(NO_CLASS_PATH, plugins())) {
            ClassLoader loader = registry.factory(ExtensionPoint.PARTITIONER, "third-party").classLoader();

            assertSame(Partitioner.class, loader.loadClass(Partitioner.class.getName()));
            assertSame(Bytes.class, loader.loadClass(Bytes.class.getName()));
            assertSame(org.slf4j.Logger.class, loader.loadClass(org.slf4j.Logger.class.getName()));
            assertSame(java.sql.Connection.class, loader.loadClass("java.sql.Connection"));
            assertThrows(ClassNotFoundException.class, () -> loader.loadClass(PluginRegistry.class.getName()));
            assertThrows(ClassNotFoundException.class, () -> loader.loadClass("com.google.inject.Guice"));
            assertThrows(ClassNotFoundException.class, () -> loader.loadClass(Test.class.getName()));
        }
    }

    @Test
    void callsIntoPluginsRestoreTheThreadsContextClassLoader() {
        lengthPluginJar(plugins().resolve("third-party.jar"), "com.example.thirdparty", "third-party");
        ClassLoader before = Thread.currentThread().getContextClassLoader();

        try (PluginRegistry registry = PluginRegistry.load(NO_CLASS_PATH, plugins())) {
            assertSame(before, Thread.currentThread().getContextClassLoader());
            registry.create(ExtensionPoint.PARTITIONER, "third-party", PluginConfig.empty("third-party"), CONTEXT);
            assertSame(before, Thread.currentThread().getContextClassLoader());
        }
    }

    @Test
    void classPathPluginsAreFoundThroughServiceLoader() {
        try (PluginRegistry registry = PluginRegistry.load(work.resolve("absent"))) {
            LoadedFactory<?, ?> memory = registry.factory(ExtensionPoint.STORAGE_ENGINE, "memory");

            assertEquals(PluginOrigin.CLASS_PATH, memory.origin().source());
            assertEquals("io.dynamo.core.BuiltinPlugin", memory.origin().pluginClass());
            assertSame(PluginRegistry.class.getClassLoader(), memory.classLoader());
        }
    }

    @Test
    void aKeyThePluginDoesNotReadIsRefusedBeforeItIsCreated() {
        try (PluginRegistry registry = PluginRegistry.load(work.resolve("absent"))) {
            ConfigException error = assertThrows(ConfigException.class, () -> registry.create(ExtensionPoint.TRANSPORT,
                    "local", new PluginConfig("local", Map.of("sed", "7")), CONTEXT));

            assertEquals("local.sed", error.key());
            assertThat(error.getMessage()).contains("unknown setting of transport 'local'").contains("local.seed");
            registry.create(ExtensionPoint.TRANSPORT, "local", new PluginConfig("local", Map.of("seed", "7")), CONTEXT)
                    .close();
        }
    }

    @Test
    void aPluginThatDoesNotListItsKeysGetsThemAll() {
        lengthPluginJar(plugins().resolve("third-party.jar"), "com.example.thirdparty", "third-party");

        try (PluginRegistry registry = PluginRegistry.load(NO_CLASS_PATH, plugins())) {
            Partitioner partitioner = registry.create(ExtensionPoint.PARTITIONER, "third-party",
                    new PluginConfig("third-party", Map.of("multiplier", "3", "anything", "x")), CONTEXT);

            assertEquals(BigInteger.valueOf(15), partitioner.token(Bytes.utf8("hello")));
        }
    }

    @Test
    void partitionersByNameAreWhatAClientPlacesKeysWith() {
        lengthPluginJar(plugins().resolve("third-party.jar"), "com.example.thirdparty", "third-party");

        try (PluginRegistry registry = PluginRegistry.load(NO_CLASS_PATH, plugins())) {
            Function<String, Partitioner> partitioners = registry.partitioners(CONTEXT);

            assertEquals(BigInteger.valueOf(5), partitioners.apply("third-party").token(Bytes.utf8("hello")),
                    "the plugin's default settings");
            ConfigException unknown = assertThrows(ConfigException.class, () -> partitioners.apply("gamma"));
            assertTrue(unknown.getMessage().contains("No partitioner named 'gamma'"), unknown.getMessage());
        }
    }

    @Test
    void unknownNameListsEveryAvailableNameWithWhereItCameFrom() {
        Path alpha = lengthPluginJar(plugins().resolve("alpha.jar"), "com.example.alpha", "alpha");
        Path betaFolder = plugins().resolve("beta");
        lengthPluginJar(betaFolder.resolve("beta-plugin.jar"), "com.example.beta", "beta");

        try (PluginRegistry registry = PluginRegistry.load(NO_CLASS_PATH, plugins())) {
            ConfigException error = assertThrows(ConfigException.class,
                    () -> registry.factory(ExtensionPoint.PARTITIONER, "gamma"));

            assertEquals("partitioner", error.key());
            assertEquals("partitioner: No partitioner named 'gamma'. Available: alpha (" + alpha + "), beta ("
                    + betaFolder + ")", error.getMessage());
        }
    }

    @Test
    void unknownNameListsTheClassPathBuiltInsToo() {
        try (PluginRegistry registry = PluginRegistry.load(work.resolve("absent"))) {
            ConfigException error = assertThrows(ConfigException.class,
                    () -> registry.factory(ExtensionPoint.STORAGE_ENGINE, "rocksdb"));

            assertEquals("storage", error.key());
            assertThat(error.getMessage())
                    .startsWith("storage: No storage engine named 'rocksdb'. Available: ")
                    .contains("memory (class path)");
        }
    }

    @Test
    void unknownNameWithNothingAvailableSaysWhereToPutPlugins() {
        try (PluginRegistry registry = PluginRegistry.load(NO_CLASS_PATH, plugins())) {
            ConfigException error = assertThrows(ConfigException.class,
                    () -> registry.factory(ExtensionPoint.TRANSPORT, "tcp"));

            assertEquals("transport: No transport named 'tcp'. Available: none (add a plugin jar to " + plugins()
                    + " or to the class path)", error.getMessage());
        }
    }

    @Test
    void missingProviderClassIsReportedWithTheJarName() {
        PluginJar.builder(work).provider("com.example.missing.MissingPlugin").writeTo(plugins().resolve("missing-provider.jar"));

        PluginLoadException error = assertThrows(PluginLoadException.class,
                () -> PluginRegistry.load(NO_CLASS_PATH, plugins()));

        assertThat(error.getMessage())
                .startsWith("Broken plugin in " + plugins().resolve("missing-provider.jar") + ": ")
                .contains("com.example.missing.MissingPlugin not found");
    }

    @Test
    void pluginBuiltForANewerSpiIsRefusedBeforeAnyOfItsClassesLoad() {
        // its provider class is missing: loading it would fail with "not found" instead
        Path jar = PluginJar.builder(work)
                .provider("com.example.future.FuturePlugin")
                .manifestAttribute(SpiVersion.MANIFEST_ATTRIBUTE, String.valueOf(SpiVersion.CURRENT + 1))
                .writeTo(plugins().resolve("future.jar"));

        PluginLoadException error = assertThrows(PluginLoadException.class,
                () -> PluginRegistry.load(NO_CLASS_PATH, plugins()));

        assertEquals("Plugin " + jar + " was built for SPI version " + (SpiVersion.CURRENT + 1)
                + " (Dynamo-Spi-Version in its manifest), but this node provides SPI version " + SpiVersion.CURRENT
                + ": upgrade the node, or use a build of the plugin for SPI version " + SpiVersion.CURRENT + " or older",
                error.getMessage());
    }

    @Test
    void pluginInAFolderBuiltForANewerSpiIsRefusedNamingItsJar() {
        Path jar = PluginJar.builder(work)
                .source("com.example.future.LengthPlugin", lengthPartitionerPlugin("com.example.future", "future"))
                .provider("com.example.future.LengthPlugin")
                .manifestAttribute(SpiVersion.MANIFEST_ATTRIBUTE, String.valueOf(SpiVersion.CURRENT + 1))
                .writeTo(plugins().resolve("future").resolve("future-plugin.jar"));

        PluginLoadException error = assertThrows(PluginLoadException.class,
                () -> PluginRegistry.load(NO_CLASS_PATH, plugins()));

        assertThat(error.getMessage()).startsWith("Plugin " + jar + " was built for SPI version ");
    }

    @Test
    void pluginBuiltForThisSpiLoads() {
        PluginJar.builder(work)
                .source("com.example.current.LengthPlugin", lengthPartitionerPlugin("com.example.current", "current"))
                .provider("com.example.current.LengthPlugin")
                .manifestAttribute(SpiVersion.MANIFEST_ATTRIBUTE, " " + SpiVersion.CURRENT + " ")
                .writeTo(plugins().resolve("current.jar"));

        try (PluginRegistry registry = PluginRegistry.load(NO_CLASS_PATH, plugins())) {
            assertEquals("current", registry.factory(ExtensionPoint.PARTITIONER, "current").name());
        }
    }

    @Test
    void malformedSpiVersionIsReportedWithTheJarName() {
        Path jar = PluginJar.builder(work)
                .source("com.example.odd.LengthPlugin", lengthPartitionerPlugin("com.example.odd", "odd"))
                .provider("com.example.odd.LengthPlugin")
                .manifestAttribute(SpiVersion.MANIFEST_ATTRIBUTE, "two")
                .writeTo(plugins().resolve("odd.jar"));

        PluginLoadException error = assertThrows(PluginLoadException.class,
                () -> PluginRegistry.load(NO_CLASS_PATH, plugins()));

        assertEquals("Broken plugin in " + jar + ": its manifest's Dynamo-Spi-Version is 'two',"
                + " not a whole number of at least 1", error.getMessage());
    }

    @Test
    void throwingConstructorIsReportedWithTheJarNameAndTheCause() {
        PluginJar.builder(work)
                .source("com.example.broken.ThrowingPlugin", throwingConstructorPlugin("no licence key"))
                .provider("com.example.broken.ThrowingPlugin")
                .writeTo(plugins().resolve("throwing-constructor.jar"));

        PluginLoadException error = assertThrows(PluginLoadException.class,
                () -> PluginRegistry.load(NO_CLASS_PATH, plugins()));

        assertThat(error.getMessage())
                .startsWith("Broken plugin in " + plugins().resolve("throwing-constructor.jar") + ": ")
                .contains("com.example.broken.ThrowingPlugin could not be instantiated")
                .contains("java.lang.IllegalStateException: no licence key");
    }

    @Test
    void brokenJarIsReportedEvenAmongGoodOnes() {
        lengthPluginJar(plugins().resolve("a-good.jar"), "com.example.good", "good");
        PluginJar.builder(work).provider("com.example.missing.MissingPlugin").writeTo(plugins().resolve("b-broken.jar"));

        PluginLoadException error = assertThrows(PluginLoadException.class,
                () -> PluginRegistry.load(NO_CLASS_PATH, plugins()));

        assertThat(error.getMessage()).contains("b-broken.jar").doesNotContain("a-good.jar");
    }

    @Test
    void malformedFactoryNameIsReportedWithTheJarName() {
        Path jar = lengthPluginJar(plugins().resolve("shouting.jar"), "com.example.shouting", "Third_Party");

        PluginLoadException error = assertThrows(PluginLoadException.class,
                () -> PluginRegistry.load(NO_CLASS_PATH, plugins()));

        assertThat(error.getMessage())
                .startsWith("Broken plugin in " + jar + " (com.example.shouting.LengthPlugin at ")
                .contains("is named 'Third_Party', which does not match [a-z][a-z0-9-]*");
    }

    @Test
    void nameOfACoreNamespaceIsRefused() {
        lengthPluginJar(plugins().resolve("cluster.jar"), "com.example.cluster", "cluster");

        PluginLoadException error = assertThrows(PluginLoadException.class,
                () -> PluginRegistry.load(NO_CLASS_PATH, plugins()));

        assertThat(error.getMessage()).contains("cluster.jar").contains("name 'cluster' is reserved");
    }

    @Test
    void duplicateNamesListBothOriginsAndEveryExtensionPointsNames() {
        Path one = lengthPluginJar(plugins().resolve("one.jar"), "com.example.one", "twin");
        Path two = lengthPluginJar(plugins().resolve("two.jar"), "com.example.two", "twin");
        PluginJar.builder(work)
                .source("com.example.resolver.NamedResolverPlugin", resolverNamedPlugin("com.example.resolver", "first"))
                .provider("com.example.resolver.NamedResolverPlugin")
                .writeTo(plugins().resolve("resolver.jar"));

        PluginLoadException error = assertThrows(PluginLoadException.class,
                () -> PluginRegistry.load(NO_CLASS_PATH, plugins()));

        assertThat(error.getMessage())
                .startsWith("Plugin names must be unique per extension point, but:\n  partitioner 'twin' is provided by "
                        + one + " (com.example.one.LengthPlugin at " + url(one) + ") and by "
                        + two + " (com.example.two.LengthPlugin at " + url(two) + ")\n")
                .contains("\nAvailable:\n")
                .contains("\n  partitioners: twin (" + one + "), twin (" + two + ")")
                .contains("\n  conflict resolvers: first (" + plugins().resolve("resolver.jar") + ")")
                .contains("\n  storage engines: none")
                .contains("\n  transports: none");
    }

    @Test
    void duplicateOfAClassPathBuiltInNamesTheClassPathAndTheJar() {
        Path jar = PluginJar.builder(work)
                .source("com.example.lww.NamedResolverPlugin", resolverNamedPlugin("com.example.lww", "lww"))
                .provider("com.example.lww.NamedResolverPlugin")
                .writeTo(plugins().resolve("my-lww.jar"));

        PluginLoadException error = assertThrows(PluginLoadException.class, () -> PluginRegistry.load(plugins()));

        assertThat(error.getMessage())
                .contains("conflict resolver 'lww' is provided by class path (io.dynamo.core.BuiltinPlugin at ")
                .contains("and by " + jar + " (com.example.lww.NamedResolverPlugin at ");
    }

    @Test
    void twoPluginsBundlingDifferentVersionsOfOneLibraryEachSeeTheirOwn() throws Exception {
        versionedPlugin("alpha", "1");
        versionedPlugin("beta", "2");

        try (PluginRegistry registry = PluginRegistry.load(NO_CLASS_PATH, plugins())) {
            Partitioner alpha = registry.create(ExtensionPoint.PARTITIONER, "alpha", PluginConfig.empty("alpha"), CONTEXT);
            Partitioner beta = registry.create(ExtensionPoint.PARTITIONER, "beta", PluginConfig.empty("beta"), CONTEXT);

            assertEquals("library version 1", alpha.formatToken(BigInteger.ZERO));
            assertEquals("library version 2", beta.formatToken(BigInteger.ZERO));
            ClassLoader alphaLoader = registry.factory(ExtensionPoint.PARTITIONER, "alpha").classLoader();
            ClassLoader betaLoader = registry.factory(ExtensionPoint.PARTITIONER, "beta").classLoader();
            assertNotSame(alphaLoader.loadClass("com.example.lib.Version"), betaLoader.loadClass("com.example.lib.Version"));
            // Same class name in both plugins, two distinct classes.
            assertNotSame(alphaLoader.loadClass("com.example.reporter.ReporterPlugin"),
                    betaLoader.loadClass("com.example.reporter.ReporterPlugin"));
        }
        assertThrows(ClassNotFoundException.class, () -> Class.forName("com.example.lib.Version"));
    }

    /** A folder plugin {@code plugins/<name>/}: the plugin jar and the library version it bundles. */
    private void versionedPlugin(String name, String libraryVersion) {
        Path folder = plugins().resolve(name);
        Path library = PluginJar.builder(work)
                .source("com.example.lib.Version", libraryVersion(libraryVersion))
                .writeTo(folder.resolve("example-lib-" + libraryVersion + ".jar"));
        PluginJar.builder(work)
                .source("com.example.reporter.ReporterPlugin", versionReportingPlugin(name))
                .provider("com.example.reporter.ReporterPlugin")
                .compileAgainst(library)
                .writeTo(folder.resolve(name + "-plugin.jar"));
    }

    @Test
    void filesThatHoldNoPluginAreSkipped() throws IOException {
        lengthPluginJar(plugins().resolve("good.jar"), "com.example.good", "good");
        Files.writeString(plugins().resolve("README.txt"), "not a plugin", UTF_8);
        Files.writeString(plugins().resolve(".hidden.jar"), "not even a jar", UTF_8);
        Files.createDirectories(plugins().resolve("empty-folder"));
        PluginJar.builder(work)
                .source("com.example.lib.Version", libraryVersion("1"))
                .writeTo(plugins().resolve("library-without-plugin.jar"));

        try (PluginRegistry registry = PluginRegistry.load(NO_CLASS_PATH, plugins())) {
            assertEquals("good (" + plugins().resolve("good.jar") + ")", registry.available(ExtensionPoint.PARTITIONER));
        }
    }

    @Test
    void missingPluginsDirectoryMeansClassPathPluginsOnly() {
        try (PluginRegistry registry = PluginRegistry.load(NO_CLASS_PATH, work.resolve("absent"))) {
            for (ExtensionPoint<?, ?> point : ExtensionPoint.all()) {
                assertTrue(registry.factories(point).isEmpty(), point.toString());
            }
        }
    }

    @Test
    void pluginsDirectoryThatIsAFileFailsNamingIt() throws IOException {
        Path file = Files.writeString(work.resolve("plugins-file"), "", UTF_8);

        PluginLoadException error = assertThrows(PluginLoadException.class, () -> PluginRegistry.load(NO_CLASS_PATH, file));

        assertEquals("The plugins directory " + file + " (node.plugins-dir) is not a directory", error.getMessage());
    }

    @Test
    void closedRegistryCreatesNothing() {
        lengthPluginJar(plugins().resolve("third-party.jar"), "com.example.thirdparty", "third-party");
        PluginRegistry registry = PluginRegistry.load(NO_CLASS_PATH, plugins());

        registry.close();
        registry.close();

        assertThrows(IllegalStateException.class, () -> registry.create(ExtensionPoint.PARTITIONER, "third-party",
                PluginConfig.empty("third-party"), CONTEXT));
    }
}
