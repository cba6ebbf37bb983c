package io.dynamo.core.node;

import com.google.inject.AbstractModule;
import com.google.inject.Provides;
import com.google.inject.multibindings.OptionalBinder;
import io.dynamo.core.antientropy.AntiEntropySettings;
import io.dynamo.core.config.ClusterMember;
import io.dynamo.core.config.NodeConfig;
import io.dynamo.core.coordination.ClusterView;
import io.dynamo.core.coordination.FailureDetector;
import io.dynamo.core.coordination.RealTimeScheduler;
import io.dynamo.core.coordination.Scheduler;
import io.dynamo.core.membership.CausalityRecord;
import io.dynamo.core.membership.Membership;
import io.dynamo.core.membership.MembershipSettings;
import io.dynamo.core.metrics.NodeMetrics;
import io.dynamo.core.plugin.LoadedPlugins;
import io.dynamo.core.plugin.StoreExtensions;
import io.dynamo.core.store.StoreDefinition;
import io.dynamo.core.store.StoreFactory;
import io.dynamo.core.store.StoreHooks;
import io.dynamo.core.store.StoreParts;
import io.dynamo.core.ring.Ring;
import io.dynamo.spi.ConfigException;
import io.dynamo.spi.PluginConfig;
import io.dynamo.spi.causality.CausalityScheme;
import io.dynamo.spi.partition.Partitioner;
import io.dynamo.spi.resolution.ConflictResolver;
import io.dynamo.spi.storage.StorageEngine;
import io.dynamo.spi.transport.Endpoint;
import io.dynamo.spi.transport.Transport;
import jakarta.inject.Provider;
import jakarta.inject.Singleton;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Binds a {@link DynamoNode} and what it is made of beyond the plugins: its settings (from the
 * {@code node.*}, {@code cluster.*} and {@code replication.*} keys), its anti-entropy settings
 * ({@code anti-entropy.*}), the ring of
 * {@code cluster.members} (the founding ring and the gossip seeds; {@code membership.*}, see
 * {@link Membership}), a real-time {@link Scheduler} and the phi-accrual {@link FailureDetector}. Needs
 * {@link NodeConfig} ({@link io.dynamo.core.config.ConfigModule}) and the four extension points
 * ({@link io.dynamo.core.plugin.PluginModule}) bound.
 *
 * <pre>{@code
 * Injector injector = Guice.createInjector(Stage.PRODUCTION,
 *         new ConfigModule(config), new PluginModule(plugins), new ReplicationModule());
 * DynamoNode node = injector.getInstance(DynamoNode.class).start();
 * }</pre>
 *
 * The node is not started here (modules do no I/O); whoever starts it closes it.
 */
public final class ReplicationModule extends AbstractModule {
    private static final Logger log = LoggerFactory.getLogger(ReplicationModule.class);
    /**
     * {@code membership.standby}: a joining node that waits outside the ring until an operator
     * makes it replace a dead member ({@code dynamo replace DEAD --with ID}), instead of joining.
     */
    public static final String STANDBY = "standby";
    /** {@code membership.seeds}: where a joining node first gossips, {@code HOST:PORT,...}. */
    public static final String SEEDS = "seeds";

    @Override
    protected void configure() {
        // the plugins the node lists to an admin: PluginModule's, or none when the extensions are bound otherwise
        OptionalBinder.newOptionalBinder(binder(), LoadedPlugins.class).setDefault().toInstance(LoadedPlugins.NONE);
        // what makes the stores beyond the default one: PluginModule's; absent, a config may define none
        OptionalBinder.newOptionalBinder(binder(), StoreExtensions.class);
    }

    @Provides
    @Singleton
    MembershipSettings membershipSettings(NodeConfig config) {
        return MembershipSettings.from(config.section("membership"));
    }

    /** Phi-accrual, fed by gossip heartbeats. */
    @Provides
    @Singleton
    FailureDetector failureDetector(MembershipSettings membership, Scheduler scheduler) {
        return membership.detector(scheduler::monotonicMillis);
    }

    /**
     * Gossip membership: a founding node starts from the ring of {@code cluster.members}, which
     * are also its seeds; a joining node ({@code membership.join=true}) starts from the seeds of
     * {@code membership.seeds} ({@code HOST:PORT,...}).
     */
    @Provides
    @Singleton
    Membership.Options membershipOptions(NodeConfig config, MembershipSettings settings, ClusterView founding,
            Partitioner partitioner, Optional<StoreExtensions> storeExtensions) {
        PluginConfig section = config.section("membership");
        List<Endpoint> seeds = new ArrayList<>();
        if (config.joining()) {
            for (String seed : section.getString(SEEDS, "").split(",")) {
                if (!seed.isBlank()) {
                    seeds.add(new Endpoint(seed.trim()));
                }
            }
            if (seeds.isEmpty()) {
                throw new ConfigException(section.fullKey(SEEDS), "a joining node needs at least one seed (HOST:PORT,...)");
            }
        } else {
            config.members().forEach(member -> seeds.add(member.endpoint()));
        }
        boolean standby = section.getBoolean(STANDBY, false);
        if (standby && !config.joining()) {
            throw new ConfigException(section.fullKey(STANDBY), "only a joining node (membership.join=true) can be a standby");
        }
        Membership.Options options = new Membership.Options(settings, seeds, config.joining() ? Optional.empty()
                : Optional.of(founding), config.joining(), partitioner, standby);
        // with a plugin registry the catalog's stores are opened for real, checked by the node's definition parser
        return storeExtensions.map(extensions -> options.withStores(StoreHooks.of(new PluginStores(config, extensions))))
                .orElse(options);
    }

    /**
     * The catalog's stores of a node assembled from plugins: made by {@link StoreExtensions} by
     * their names, with the store's causality recorded in {@code DATA/stores/NAME} like a config
     * store's, and that directory deleted when the store is dropped.
     */
    private record PluginStores(NodeConfig config, StoreExtensions extensions) implements StoreFactory {
        @Override
        public StoreDefinition defaults() {
            return config.stores().get(StoreDefinition.DEFAULT);
        }

        @Override
        public StoreParts make(StoreDefinition definition) {
            StoreParts parts = extensions.make(definition);
            try {
                CausalityRecord.checkOrRecord(parts.engine(), definition.causality(),
                        StoreExtensions.dataDirectory(config.dataDirectory(), definition.name()).toString(),
                        definition.keyOf(StoreDefinition.CAUSALITY));
            } catch (RuntimeException e) {
                parts.engine().close();
                throw e;
            }
            return parts;
        }

        @Override
        public void deleteData(String name) {
            extensions.deleteData(name);
        }
    }

    @Provides
    @Singleton
    NodeSettings settings(NodeConfig config, CausalityScheme causality) {
        return NodeSettings.from(config, causality);
    }

    @Provides
    @Singleton
    AntiEntropySettings antiEntropySettings(NodeConfig config) {
        return AntiEntropySettings.from(config.section(AntiEntropySettings.NAMESPACE));
    }

    @Provides
    @Singleton
    Scheduler scheduler(NodeConfig config) {
        return new RealTimeScheduler(config.nodeId());
    }

    @Provides
    @Singleton
    ClusterView clusterView(NodeConfig config, Partitioner partitioner) {
        List<String> ids = config.members().stream().map(ClusterMember::id).toList();
        Map<String, Endpoint> endpoints = new LinkedHashMap<>();
        config.members().forEach(member -> endpoints.put(member.id(), member.endpoint()));
        return new ClusterView(Ring.create(ids, config.partitions(), partitioner), endpoints);
    }

    /**
     * The node, assembled after every other part: the settings, the partitioner, the resolver and
     * the transport (whose factory checks its settings) are made, and the listen address checked
     * against the transport ({@link ListenExposure}), before the storage engine is asked for, so
     * that a bad setting fails the start before any data file is opened (the storage engine is
     * made on request, see {@link io.dynamo.core.plugin.StorageEngineModule}).
     */
    @Provides
    @Singleton
    DynamoNode node(NodeConfig config, NodeSettings settings, Membership.Options membership, Transport transport,
            ConflictResolver resolver, Scheduler scheduler, FailureDetector detector, AntiEntropySettings antiEntropy,
            Provider<StorageEngine> storage, LoadedPlugins plugins, NodeMetrics metrics,
            Optional<StoreExtensions> storeExtensions) {
        ListenExposure.check(settings.listen(), config.transport(), transport, log);
        StorageEngine engine = storage.get();
        CausalityRecord.checkOrRecord(engine, config.causality(), config.dataDirectory().toString());
        List<StoreParts> otherStores = new ArrayList<>();
        for (StoreDefinition store : config.stores().values()) {
            if (store.isDefault()) {
                continue;
            }
            StoreParts parts = storeExtensions.orElseThrow(() -> new ConfigException(store.keyOf(StoreDefinition.STORAGE),
                    "this node is assembled without a plugin registry: it can have the default store only")).make(store);
            otherStores.add(parts);
            CausalityRecord.checkOrRecord(parts.engine(), store.causality(),
                    StoreExtensions.dataDirectory(config.dataDirectory(), store.name()).toString(),
                    store.keyOf(StoreDefinition.CAUSALITY));
        }
        // null executor: the node runs anti-entropy scans on a thread of its own
        return new DynamoNode(settings, membership, engine, transport, resolver, scheduler, detector, antiEntropy, null,
                plugins.descriptions(), metrics, otherStores);
    }
}
