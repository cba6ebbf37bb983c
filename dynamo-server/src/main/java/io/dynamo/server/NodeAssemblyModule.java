package io.dynamo.server;

import com.google.inject.AbstractModule;
import com.google.inject.Provides;
import com.google.inject.Singleton;
import io.dynamo.core.config.ClusterMember;
import io.dynamo.core.config.NodeConfig;
import io.dynamo.core.coordination.ClusterView;
import io.dynamo.core.coordination.FailureDetector;
import io.dynamo.core.coordination.RealTimeScheduler;
import io.dynamo.core.coordination.Scheduler;
import io.dynamo.core.coordination.SuspicionFailureDetector;
import io.dynamo.core.node.DynamoNode;
import io.dynamo.core.node.NodeSettings;
import io.dynamo.core.ring.Ring;
import io.dynamo.spi.partition.Partitioner;
import io.dynamo.spi.resolution.ConflictResolver;
import io.dynamo.spi.storage.StorageEngine;
import io.dynamo.spi.transport.Transport;
import java.util.stream.Collectors;

/**
 * Binds a {@link DynamoNode} over the plugins {@link io.dynamo.core.plugin.PluginModule} binds:
 * its settings, the ring of the static {@code cluster.members}, a real-time scheduler and a
 * failure detector. Needs {@link io.dynamo.core.config.ConfigModule} and the plugin modules.
 */
final class NodeAssemblyModule extends AbstractModule {
    @Provides
    @Singleton
    NodeSettings settings(NodeConfig config) {
        return NodeSettings.from(config);
    }

    @Provides
    @Singleton
    ClusterView clusterView(NodeConfig config, Partitioner partitioner) {
        Ring ring = Ring.create(config.members().stream().map(ClusterMember::id).toList(), config.partitions(), partitioner);
        return new ClusterView(ring, config.members().stream()
                .collect(Collectors.toMap(ClusterMember::id, ClusterMember::endpoint)));
    }

    @Provides
    @Singleton
    Scheduler scheduler(NodeConfig config) {
        return new RealTimeScheduler(config.nodeId());
    }

    @Provides
    @Singleton
    FailureDetector failureDetector() {
        return new SuspicionFailureDetector();
    }

    @Provides
    @Singleton
    DynamoNode node(NodeSettings settings, ClusterView view, StorageEngine storage, Transport transport,
            ConflictResolver resolver, Scheduler scheduler, FailureDetector detector) {
        return new DynamoNode(settings, () -> view, storage, transport, resolver, scheduler, detector);
    }
}
