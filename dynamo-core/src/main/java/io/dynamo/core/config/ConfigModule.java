package io.dynamo.core.config;

import static java.util.Objects.requireNonNull;

import com.google.inject.AbstractModule;
import io.dynamo.spi.PluginContext;

/**
 * Binds the node's {@link NodeConfig} and the {@link PluginContext} derived from it. The config
 * is read and validated before the injector is made (in {@code main}), so this module does no
 * I/O and cannot fail.
 */
public final class ConfigModule extends AbstractModule {
    private final NodeConfig config;

    public ConfigModule(NodeConfig config) {
        this.config = requireNonNull(config, "config is null");
    }

    @Override
    protected void configure() {
        bind(NodeConfig.class).toInstance(config);
        bind(PluginContext.class).toInstance(config.pluginContext());
    }
}
