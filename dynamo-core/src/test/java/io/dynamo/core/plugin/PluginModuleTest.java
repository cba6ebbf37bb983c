package io.dynamo.core.plugin;

import static io.dynamo.core.plugin.PluginSources.lengthPartitionerPlugin;
import static io.dynamo.core.plugin.PluginSources.loopbackTransportPlugin;
import static java.nio.charset.StandardCharsets.UTF_8;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.inject.CreationException;
import com.google.inject.Guice;
import com.google.inject.Injector;
import com.google.inject.Stage;
import io.dynamo.api.Bytes;
import io.dynamo.api.VectorClock;
import io.dynamo.api.Versioned;
import io.dynamo.core.config.ConfigModule;
import io.dynamo.core.config.NodeConfig;
import io.dynamo.spi.ConfigException;
import io.dynamo.spi.PluginContext;
import io.dynamo.spi.causality.CausalityScheme;
import io.dynamo.spi.partition.Partitioner;
import io.dynamo.spi.resolution.ConflictResolver;
import io.dynamo.spi.storage.StorageEngine;
import io.dynamo.spi.transport.Endpoint;
import io.dynamo.spi.transport.Transport;
import java.math.BigInteger;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The Guice wiring, with plugins built at test time and the class path's built-ins. */
class PluginModuleTest {
    @TempDir
    Path work;

    private Path plugins;

    @BeforeEach
    void buildPlugins() {
        plugins = work.resolve("plugins");
        PluginJar.builder(work)
                .source("com.example.thirdparty.LengthPlugin", lengthPartitionerPlugin("com.example.thirdparty", "third-party"))
                .provider("com.example.thirdparty.LengthPlugin")
                .writeTo(plugins.resolve("third-party.jar"));
        PluginJar.builder(work)
                .source("com.example.loopback.LoopbackPlugin", loopbackTransportPlugin("com.example.loopback", "loopback"))
                .provider("com.example.loopback.LoopbackPlugin")
                .writeTo(plugins.resolve("loopback").resolve("loopback-transport.jar"));
    }

    private NodeConfig config(String nodeId, Map<String, String> settings) {
        Map<String, String> values = new HashMap<>(settings);
        values.put("node.id", nodeId);
        values.put("node.data-dir", work.resolve("data").resolve(nodeId).toString());
        values.put("node.plugins-dir", plugins.toString());
        return NodeConfig.of(values);
    }

    @Test
    void thirdPartyPluginSelectedByNameIsTheOneBound() {
        NodeConfig config = config("n1", Map.of("partitioner", "third-party", "third-party.multiplier", "7"));

        try (PluginRegistry registry = PluginRegistry.load(config.pluginsDirectory())) {
            Injector injector = Guice.createInjector(Stage.PRODUCTION, new ConfigModule(config), new PartitionerModule(registry));
            Partitioner partitioner = injector.getInstance(Partitioner.class);

            assertSame(partitioner, injector.getInstance(Partitioner.class));
            assertInstanceOf(PluginClassLoader.class, partitioner.getClass().getClassLoader());
            assertSame(registry.factory(ExtensionPoint.PARTITIONER, "third-party").classLoader(),
                    partitioner.getClass().getClassLoader());
            assertEquals(BigInteger.valueOf(35), partitioner.token(Bytes.utf8("hello")));
            assertEquals("third-party for n1, created under its own context loader: true", partitioner.toString());
        }
    }

    @Test
    void pluginModuleBindsEveryExtensionPointFromJarsAndClassPath() throws Exception {
        NodeConfig config = config("n1", Map.of(
                "partitioner", "third-party",
                "resolver", "lww",
                "storage", "memory",
                "transport", "loopback"));

        try (PluginRegistry registry = PluginRegistry.load(config.pluginsDirectory())) {
            Injector injector = Guice.createInjector(Stage.PRODUCTION, new ConfigModule(config), new PluginModule(registry));

            assertSame(config, injector.getInstance(NodeConfig.class));
            assertEquals("n1", injector.getInstance(PluginContext.class).nodeId());
            assertEquals(BigInteger.valueOf(5), injector.getInstance(Partitioner.class).token(Bytes.utf8("hello")));

            ConflictResolver resolver = injector.getInstance(ConflictResolver.class);
            assertSame(PluginRegistry.class.getClassLoader(), resolver.getClass().getClassLoader());
            Versioned older = Versioned.of(VectorClock.EMPTY.increment("a", 1_000), Bytes.utf8("older"));
            Versioned newer = Versioned.of(VectorClock.EMPTY.increment("b", 2_000), Bytes.utf8("newer"));
            assertEquals(List.of(Versioned.of(older.clock().merge(newer.clock()), Bytes.utf8("newer"))),
                    resolver.resolve(Bytes.utf8("k"), List.of(older, newer)));

            try (StorageEngine storage = injector.getInstance(StorageEngine.class);
                    Transport transport = injector.getInstance(Transport.class)) {
                storage.update(0, Bytes.utf8("k"), current -> List.of(newer));
                assertEquals(List.of(newer), storage.get(0, Bytes.utf8("k")));

                assertInstanceOf(PluginClassLoader.class, transport.getClass().getClassLoader());
                Endpoint self = transport.bind(new Endpoint("127.0.0.1:7000"),
                        request -> CompletableFuture.completedFuture(("echo " + new String(request, UTF_8)).getBytes(UTF_8)));
                byte[] response = transport.request(self, "ping".getBytes(UTF_8), Duration.ofSeconds(1)).get(5, TimeUnit.SECONDS);
                assertArrayEquals("echo ping".getBytes(UTF_8), response);
            }
        }
    }

    @Test
    void unknownNameFailsAtInjectorCreationListingTheAvailableNames() {
        NodeConfig config = config("n1", Map.of("partitioner", "consistent-hash"));

        try (PluginRegistry registry = PluginRegistry.load(config.pluginsDirectory())) {
            CreationException error = assertThrows(CreationException.class, () -> Guice.createInjector(
                    Stage.PRODUCTION, new ConfigModule(config), new PartitionerModule(registry)));

            ConfigException cause = assertInstanceOf(ConfigException.class, error.getCause());
            assertEquals("partitioner", cause.key());
            assertEquals("partitioner: No partitioner named 'consistent-hash'. Available: third-party ("
                    + plugins.resolve("third-party.jar") + ")", cause.getMessage());
        }
    }

    @Test
    void theCausalitySchemeIsChosenByNameAndAnUnknownOneListsTheKnownOnes() {
        NodeConfig dvv = config("n1", Map.of("causality", "dvv"));
        NodeConfig unknown = config("n1", Map.of("causality", "itc"));

        try (PluginRegistry registry = PluginRegistry.load(dvv.pluginsDirectory())) {
            CausalityScheme scheme = Guice.createInjector(Stage.PRODUCTION, new ConfigModule(dvv),
                    new CausalitySchemeModule(registry)).getInstance(CausalityScheme.class);
            assertTrue(scheme.makesDots());
            assertEquals("dvv", scheme.toString());

            CreationException error = assertThrows(CreationException.class, () -> Guice.createInjector(
                    Stage.PRODUCTION, new ConfigModule(unknown), new CausalitySchemeModule(registry)));
            ConfigException cause = assertInstanceOf(ConfigException.class, error.getCause());
            assertEquals("causality", cause.key());
            assertTrue(cause.getMessage().startsWith("causality: No causality scheme named 'itc'. Available: "),
                    cause.getMessage());
            for (String known : List.of("dvv", "plain-vector-clock", "vector-clock")) {
                assertTrue(cause.getMessage().contains(known + " ("), cause.getMessage());
            }
        }
    }

    @Test
    void aStoresExtensionsAreMadeByItsNamesInADirectoryOfItsOwn() {
        NodeConfig config = config("n1", Map.of("storage", "memory", "partitioner", "third-party", "transport", "loopback",
                "store.carts.resolver", "set-union",
                "store.carts.storage", "memory", "store.bad.resolver", "sticky"));

        try (PluginRegistry registry = PluginRegistry.load(config.pluginsDirectory())) {
            Injector injector = Guice.createInjector(Stage.PRODUCTION, new ConfigModule(config), new PluginModule(registry));
            StoreExtensions stores = injector.getInstance(StoreExtensions.class);

            io.dynamo.core.store.StoreParts carts = stores.make(config.stores().get("carts"));
            assertEquals("SetUnionResolver", carts.resolver().getClass().getSimpleName());
            assertTrue(java.nio.file.Files.isDirectory(config.dataDirectory().resolve("stores").resolve("carts")));
            assertTrue(injector.getInstance(CreatedExtensions.class).products().contains(carts.engine()),
                    "closed with the node's other extensions");

            ConfigException unknown = assertThrows(ConfigException.class, () -> stores.make(config.stores().get("bad")));
            assertEquals("store.bad.resolver", unknown.key());
            assertTrue(unknown.getMessage().contains("No conflict resolver named 'sticky'. Available: "),
                    unknown.getMessage());
        }
    }

    @Test
    void badPluginSettingFailsAtInjectorCreationNamingTheFullKey() {
        NodeConfig config = config("n1", Map.of("partitioner", "third-party", "third-party.multiplier", "many"));

        try (PluginRegistry registry = PluginRegistry.load(config.pluginsDirectory())) {
            CreationException error = assertThrows(CreationException.class, () -> Guice.createInjector(
                    Stage.PRODUCTION, new ConfigModule(config), new PartitionerModule(registry)));

            ConfigException cause = assertInstanceOf(ConfigException.class, error.getCause());
            assertEquals("third-party.multiplier", cause.key());
        }
    }

    @Test
    void nodesInOneProcessShareTheRegistryAndGetTheirOwnProducts() {
        NodeConfig first = config("n1", Map.of("partitioner", "third-party"));
        NodeConfig second = config("n2", Map.of("partitioner", "third-party", "third-party.multiplier", "2"));

        try (PluginRegistry registry = PluginRegistry.load(plugins)) {
            Partitioner one = Guice.createInjector(Stage.PRODUCTION, new ConfigModule(first), new PartitionerModule(registry))
                    .getInstance(Partitioner.class);
            Partitioner two = Guice.createInjector(Stage.PRODUCTION, new ConfigModule(second), new PartitionerModule(registry))
                    .getInstance(Partitioner.class);

            assertNotSame(one, two);
            assertSame(one.getClass(), two.getClass());
            assertEquals("third-party for n1, created under its own context loader: true", one.toString());
            assertEquals(BigInteger.valueOf(10), two.token(Bytes.utf8("hello")));
        }
    }
}
