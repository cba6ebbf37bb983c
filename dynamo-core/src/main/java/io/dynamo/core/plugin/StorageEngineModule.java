package io.dynamo.core.plugin;

import static java.util.Objects.requireNonNull;

import com.google.inject.AbstractModule;
import com.google.inject.Provides;
import io.dynamo.core.config.NodeConfig;
import io.dynamo.spi.PluginContext;
import io.dynamo.spi.storage.StorageEngine;

/**
 * Binds the node's {@link StorageEngine}: the one the node config's {@code storage} key names, made once by
 * that plugin's factory with the plugin's own config section ({@code <name>.*}) and the node's
 * {@link PluginContext}, remembered in the injector's {@link CreatedExtensions} to be closed when the node
 * stops. Needs {@link NodeConfig} and {@link PluginContext} bound (see
 * {@link io.dynamo.core.config.ConfigModule}). In {@link com.google.inject.Stage#PRODUCTION}
 * an unknown name fails when the injector is created, listing the available names.
 *
 * <p>The engine holds files and memory: whoever stops the node closes it (after the transport,
 * before the {@link PluginRegistry}). The node's data directory must exist before the
 * injector is made.
 *
 * <p>Not a singleton: each request for a {@link StorageEngine} makes (opens) one, so exactly one
 * part of an injector may ask for it, the node ({@link io.dynamo.core.node.ReplicationModule});
 * everything else reaches the engine through the node. In {@link com.google.inject.Stage#PRODUCTION}
 * Guice makes every singleton even after another one failed; a singleton engine would open its
 * files although a bad transport setting had already failed the start. Made on request, it is
 * opened only once everything the node needs was made and checked.
 */
public final class StorageEngineModule extends AbstractModule {
    private final PluginRegistry registry;

    public StorageEngineModule(PluginRegistry registry) {
        this.registry = requireNonNull(registry, "registry is null");
    }

    @Provides
    StorageEngine storageEngine(NodeConfig config, PluginContext context, CreatedExtensions extensions) {
        return extensions.create(registry, ExtensionPoint.STORAGE_ENGINE, config.storage(), config.section(config.storage()), context);
    }
}
