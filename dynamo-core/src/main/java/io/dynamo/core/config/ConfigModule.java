package io.dynamo.core.config;

import static java.util.Objects.requireNonNull;

import com.google.inject.AbstractModule;
import com.google.inject.Provides;
import io.dynamo.core.metrics.MetricsSettings;
import io.dynamo.core.metrics.NodeMetrics;
import io.dynamo.core.metrics.PluginMeters;
import io.dynamo.spi.PluginContext;
import jakarta.inject.Singleton;

/**
 * Binds the node's {@link NodeConfig}, its {@link NodeMetrics} (the node's one meter registry,
 * per {@code metrics.*}; the node owns and closes it) and the {@link PluginContext} derived from
 * both, which gives plugins the node's meters. The config is read and validated before the
 * injector is made (in {@code main}), so this module does no I/O.
 */
public final class ConfigModule extends AbstractModule {
    private final NodeConfig config;

    public ConfigModule(NodeConfig config) {
        this.config = requireNonNull(config, "config is null");
    }

    @Override
    protected void configure() {
        bind(NodeConfig.class).toInstance(config);
    }

    @Provides
    @Singleton
    MetricsSettings metricsSettings() {
        return MetricsSettings.from(config.section(MetricsSettings.NAMESPACE));
    }

    @Provides
    @Singleton
    NodeMetrics metrics(MetricsSettings settings) {
        return NodeMetrics.publishing(config.nodeId(), settings);
    }

    @Provides
    @Singleton
    PluginContext pluginContext(NodeMetrics metrics) {
        return new io.dynamo.core.config.NodePluginContext(config.nodeId(), config.dataDirectory(),
                new PluginMeters(metrics.registry()));
    }
}
