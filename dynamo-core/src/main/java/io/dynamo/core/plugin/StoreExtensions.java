package io.dynamo.core.plugin;

import static java.util.Objects.requireNonNull;

import io.dynamo.core.config.NodeConfig;
import io.dynamo.core.config.NodePluginContext;
import io.dynamo.core.store.StoreDefinition;
import io.dynamo.core.store.StoreParts;
import io.dynamo.spi.ConfigException;
import io.dynamo.spi.PluginContext;
import io.dynamo.spi.causality.CausalityScheme;
import io.dynamo.spi.resolution.ConflictResolver;
import io.dynamo.spi.storage.StorageEngine;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Makes the extensions of a store other than the default one by the names its definition gives,
 * each by its plugin's factory with the plugin's own (node-wide) config section, remembered in the
 * injector's {@link CreatedExtensions} like the node's own. The store's storage engine is told the
 * store's data directory, {@code DATA/stores/NAME} ({@link #dataDirectory}), so that its files
 * are apart from every other store's; the default store keeps the node's data directory as it is.
 */
public final class StoreExtensions {
    private final PluginRegistry registry;
    private final CreatedExtensions extensions;
    private final NodeConfig config;
    private final PluginContext context;

    public StoreExtensions(PluginRegistry registry, CreatedExtensions extensions, NodeConfig config,
            PluginContext context) {
        this.registry = requireNonNull(registry, "registry is null");
        this.extensions = requireNonNull(extensions, "extensions is null");
        this.config = requireNonNull(config, "config is null");
        this.context = requireNonNull(context, "context is null");
    }

    /** Where the store {@code name} keeps its data under {@code dataDirectory}: {@code stores/NAME}. */
    public static Path dataDirectory(Path dataDirectory, String name) {
        return dataDirectory.resolve("stores").resolve(StoreDefinition.checkName(name));
    }

    /**
     * The resolver and causality scheme of {@code store} (made first: a bad name fails before any
     * file is opened), then its storage engine, in its own data directory (created when missing).
     * An unknown name throws {@link ConfigException} naming the store's key and listing what exists.
     */
    public StoreParts make(StoreDefinition store) {
        requireNonNull(store, "store is null");
        ConflictResolver resolver = named(store, StoreDefinition.RESOLVER, () -> extensions.create(registry,
                ExtensionPoint.CONFLICT_RESOLVER, store.resolver(), config.section(store.resolver()), context));
        CausalityScheme causality = named(store, StoreDefinition.CAUSALITY, () -> extensions.create(registry,
                ExtensionPoint.CAUSALITY, store.causality(), config.section(store.causality()), context));
        Path directory = dataDirectory(config.dataDirectory(), store.name());
        try {
            Files.createDirectories(directory);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot create the data directory of store " + store.name() + ": " + directory, e);
        }
        PluginContext storeContext = new NodePluginContext(context.nodeId(), directory, context.metrics());
        StorageEngine engine = named(store, StoreDefinition.STORAGE, () -> extensions.create(registry,
                ExtensionPoint.STORAGE_ENGINE, store.storage(), config.section(store.storage()), storeContext));
        return new StoreParts(store, engine, resolver, causality);
    }

    /**
     * Deletes store {@code name}'s data directory ({@code DATA/stores/NAME}) and everything in
     * it; its engine must be closed. Does nothing when it is gone already.
     */
    public void deleteData(String name) {
        Path directory = dataDirectory(config.dataDirectory(), name);
        if (!Files.exists(directory)) {
            return;
        }
        try (java.util.stream.Stream<Path> paths = Files.walk(directory)) {
            for (Path path : paths.sorted(java.util.Comparator.reverseOrder()).toList()) {
                Files.delete(path);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot delete the data directory of store " + name + ": " + directory, e);
        }
    }

    /** Runs {@code make}; an unknown name's error names the store's key instead of the node's. */
    private static <T> T named(StoreDefinition store, String key, java.util.function.Supplier<T> make) {
        try {
            return make.get();
        } catch (ConfigException e) {
            if (e.getMessage().startsWith(key + ":")) {
                throw new ConfigException(store.keyOf(key), e.getMessage().substring(key.length() + 1).trim());
            }
            throw e;
        }
    }
}
