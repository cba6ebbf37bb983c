package io.dynamo.core.plugin;

import static java.util.Objects.requireNonNull;

import com.google.inject.AbstractModule;
import com.google.inject.Provides;
import io.dynamo.core.config.NodeConfig;
import io.dynamo.spi.PluginContext;
import io.dynamo.spi.causality.CausalityScheme;
import jakarta.inject.Singleton;

/**
 * Binds the node's {@link CausalityScheme}: the one the node config's {@code causality} key names, made once by
 * that plugin's factory with the plugin's own config section ({@code <name>.*}) and the node's
 * {@link PluginContext}. Needs {@link NodeConfig} and {@link PluginContext} bound (see
 * {@link io.dynamo.core.config.ConfigModule}). In {@link com.google.inject.Stage#PRODUCTION}
 * an unknown name fails when the injector is created, listing the available names.
 */
public final class CausalitySchemeModule extends AbstractModule {
    private final PluginRegistry registry;

    public CausalitySchemeModule(PluginRegistry registry) {
        this.registry = requireNonNull(registry, "registry is null");
    }

    @Provides
    @Singleton
    CausalityScheme causalityScheme(NodeConfig config, PluginContext context, CreatedExtensions extensions) {
        return extensions.create(registry, ExtensionPoint.CAUSALITY, config.causality(), config.section(config.causality()),
                context);
    }
}
