package io.dynamo.core.plugin;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;

import com.google.inject.Guice;
import com.google.inject.Injector;
import com.google.inject.Stage;
import io.dynamo.core.config.ConfigModule;
import io.dynamo.core.config.NodeConfig;
import io.dynamo.spi.resolution.ConflictResolver;
import io.dynamo.spi.storage.StorageEngine;
import io.dynamo.spi.transport.Transport;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class CreatedExtensionsTest {
    private static final NodeConfig CONFIG = NodeConfig.of(Map.of("node.id", "n1", "storage", "memory",
            "transport", "local"));

    @TempDir
    Path work;

    @Test
    void everyExtensionTheModulesMakeIsRememberedInTheOrderMade() {
        try (PluginRegistry registry = PluginRegistry.load(work.resolve("absent"))) {
            // (the class path of dynamo-core has no partitioner)
            Injector injector = Guice.createInjector(Stage.PRODUCTION, new ConfigModule(CONFIG),
                    new ConflictResolverModule(registry), new TransportModule(registry), new StorageEngineModule(registry));
            CreatedExtensions extensions = injector.getInstance(CreatedExtensions.class);
            assertSame(extensions, injector.getInstance(CreatedExtensions.class)); // one per injector
            Transport transport = injector.getInstance(Transport.class);
            ConflictResolver resolver = injector.getInstance(ConflictResolver.class);
            // the singletons are made with the injector, the storage engine when asked for
            assertEquals(Set.of(transport, resolver), Set.copyOf(extensions.products()));

            StorageEngine storage = injector.getInstance(StorageEngine.class);

            assertEquals(3, extensions.products().size());
            assertSame(storage, extensions.products().get(2));
            extensions.closeAll();
            assertEquals(List.of(), extensions.products());
        }
    }

    @Test
    void closeAllClosesNewestFirstAndAFailingCloseDoesNotStopTheOthers() {
        List<String> closed = new ArrayList<>();
        ClassLoader loader = getClass().getClassLoader();
        CreatedExtensions extensions = new CreatedExtensions();
        extensions.remember(new Recording("partitioner", closed, false), "partitioner", loader);
        extensions.remember("a resolver that holds nothing", "resolver", loader); // not AutoCloseable: skipped
        extensions.remember(new Recording("transport", closed, true), "transport", loader);
        extensions.remember(new Recording("storage", closed, false), "storage", loader);

        extensions.closeAll(); // logs the failure, throws nothing

        assertEquals(List.of("storage", "transport", "partitioner"), closed);
        extensions.closeAll(); // forgotten once closed
        assertEquals(List.of("storage", "transport", "partitioner"), closed);
    }

    @Test
    void eachCloseRunsUnderItsPluginsClassLoader() {
        ClassLoader plugin = new java.net.URLClassLoader(new java.net.URL[0], null);
        List<ClassLoader> seen = new ArrayList<>();
        CreatedExtensions extensions = new CreatedExtensions();
        extensions.remember((AutoCloseable) () -> seen.add(Thread.currentThread().getContextClassLoader()), "x", plugin);
        ClassLoader before = Thread.currentThread().getContextClassLoader();

        extensions.closeAll();

        assertEquals(List.of(plugin), seen);
        assertSame(before, Thread.currentThread().getContextClassLoader());
    }

    /** An extension that records its close, and may then fail. */
    private record Recording(String name, List<String> closed, boolean fails) implements AutoCloseable {
        @Override
        public void close() throws Exception {
            closed.add(name);
            if (fails) {
                throw new java.io.IOException(name + " could not flush");
            }
        }
    }
}
