package io.dynamo.core.plugin;

import static java.util.Objects.requireNonNull;

import com.google.inject.AbstractModule;
import com.google.inject.Provides;
import io.dynamo.core.config.NodeConfig;
import io.dynamo.spi.PluginContext;
import io.dynamo.spi.partition.Partitioner;
import jakarta.inject.Singleton;

/**
 * Binds the node's {@link Partitioner}: the one the node config's {@code partitioner} key names, made once by
 * that plugin's factory with the plugin's own config section ({@code <name>.*}) and the node's
 * {@link PluginContext}, remembered in the injector's {@link CreatedExtensions} to be closed when the node
 * stops. Needs {@link NodeConfig} and {@link PluginContext} bound (see
 * {@link io.dynamo.core.config.ConfigModule}). In {@link com.google.inject.Stage#PRODUCTION}
 * an unknown name fails when the injector is created, listing the available names.
 */
public final class PartitionerModule extends AbstractModule {
    private final PluginRegistry registry;

    public PartitionerModule(PluginRegistry registry) {
        this.registry = requireNonNull(registry, "registry is null");
    }

    @Provides
    @Singleton
    Partitioner partitioner(NodeConfig config, PluginContext context, CreatedExtensions extensions) {
        return extensions.create(registry, ExtensionPoint.PARTITIONER, config.partitioner(), config.section(config.partitioner()), context);
    }
}
