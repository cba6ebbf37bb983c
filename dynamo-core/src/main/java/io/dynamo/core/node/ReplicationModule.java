package io.dynamo.core.node;

import com.google.inject.AbstractModule;
import com.google.inject.Provides;
import io.dynamo.core.antientropy.AntiEntropySettings;
import io.dynamo.core.config.ClusterMember;
import io.dynamo.core.config.NodeConfig;
import io.dynamo.core.coordination.ClusterView;
import io.dynamo.core.coordination.FailureDetector;
import io.dynamo.core.coordination.RealTimeScheduler;
import io.dynamo.core.coordination.Scheduler;
import io.dynamo.core.coordination.SuspicionFailureDetector;
import io.dynamo.core.ring.Ring;
import io.dynamo.spi.partition.Partitioner;
import io.dynamo.spi.resolution.ConflictResolver;
import io.dynamo.spi.storage.StorageEngine;
import io.dynamo.spi.transport.Endpoint;
import io.dynamo.spi.transport.Transport;
import jakarta.inject.Singleton;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Binds a {@link DynamoNode} and what it is made of beyond the plugins: its settings (from the
 * {@code node.*}, {@code cluster.*} and {@code replication.*} keys), its anti-entropy settings
 * ({@code anti-entropy.*}), the ring of
 * {@code cluster.members}, a real-time {@link Scheduler} and the {@link FailureDetector}. Needs
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
    @Override
    protected void configure() {
        bind(FailureDetector.class).to(SuspicionFailureDetector.class).in(Singleton.class);
    }

    @Provides
    @Singleton
    NodeSettings settings(NodeConfig config) {
        return NodeSettings.from(config);
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

    @Provides
    @Singleton
    DynamoNode node(NodeSettings settings, ClusterView view, StorageEngine storage, Transport transport,
            ConflictResolver resolver, Scheduler scheduler, FailureDetector detector, AntiEntropySettings antiEntropy) {
        // null executor: the node runs anti-entropy scans on a thread of its own
        return new DynamoNode(settings, () -> view, storage, transport, resolver, scheduler, detector, antiEntropy, null);
    }
}
