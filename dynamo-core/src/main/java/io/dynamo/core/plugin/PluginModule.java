package io.dynamo.core.plugin;

import static java.util.Objects.requireNonNull;

import com.google.inject.AbstractModule;
import com.google.inject.Scopes;
import com.google.inject.multibindings.OptionalBinder;

/**
 * Binds every extension point to the implementation the node config selects: the
 * {@link io.dynamo.spi.partition.Partitioner}, {@link io.dynamo.spi.resolution.ConflictResolver},
 * {@link io.dynamo.spi.storage.StorageEngine}, {@link io.dynamo.spi.transport.Transport} and
 * {@link io.dynamo.spi.causality.CausalityScheme}, each
 * a singleton. A process that needs only some of them (a client needs no storage) installs
 * the feature modules it needs instead.
 *
 * <p>The {@link PluginRegistry} is loaded in {@code main}, outside any module (loading reads the
 * plugins directory), and may be shared by the injectors of several in-process nodes:
 * <pre>{@code
 * NodeConfig config = NodeConfig.load(file, flags);
 * PluginRegistry plugins = PluginRegistry.load(config.pluginsDirectory());
 * Injector injector = Guice.createInjector(Stage.PRODUCTION,
 *         new ConfigModule(config), new PluginModule(plugins));
 * }</pre>
 *
 * <p>Selection goes through the registry rather than a {@code MapBinder}: the registry already
 * holds every name with where it came from (for the error listing what exists) and runs each
 * factory under its plugin's class loader.
 */
public final class PluginModule extends AbstractModule {
    private final PluginRegistry registry;

    public PluginModule(PluginRegistry registry) {
        this.registry = requireNonNull(registry, "registry is null");
    }

    @Override
    protected void configure() {
        install(new PartitionerModule(registry));
        install(new ConflictResolverModule(registry));
        install(new StorageEngineModule(registry));
        install(new TransportModule(registry));
        install(new CausalitySchemeModule(registry));
        // the registry's factories, described when the node is made (it reads their jars' manifests: not here)
        OptionalBinder.newOptionalBinder(binder(), LoadedPlugins.class).setBinding()
                .toProvider(new Described(registry)).in(Scopes.SINGLETON);
    }

    /** Makes the extensions of the stores beyond the default one ({@code store.NAME.*}) from the same registry. */
    @com.google.inject.Provides
    @jakarta.inject.Singleton
    StoreExtensions storeExtensions(CreatedExtensions extensions, io.dynamo.core.config.NodeConfig config,
            io.dynamo.spi.PluginContext context) {
        return new StoreExtensions(registry, extensions, config, context);
    }

    /** Describes the registry's factories (a provider: reading manifests is I/O, not for {@code configure}). */
    private record Described(PluginRegistry registry) implements com.google.inject.Provider<LoadedPlugins> {
        @Override
        public LoadedPlugins get() {
            return new LoadedPlugins(PluginDescription.of(registry));
        }
    }
}
