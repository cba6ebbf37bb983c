package io.dynamo.server;

import io.dynamo.core.config.ClusterMember;
import io.dynamo.core.config.NodeConfig;
import io.dynamo.core.metrics.MetricsSettings;
import io.dynamo.spi.transport.Endpoint;
import java.nio.file.Files;
import java.util.LinkedHashMap;
import java.util.Map;

/** Where the nodes of a cluster directory serve their Prometheus endpoints ({@code metrics.address}, {@code metrics.port}). */
final class MetricsEndpoints {
    private MetricsEndpoints() {}

    /** Node id to metrics endpoint, for each node of {@code cluster} whose config serves one. */
    static Map<String, Endpoint> of(ClusterDirectory cluster) {
        Map<String, Endpoint> endpoints = new LinkedHashMap<>();
        if (!cluster.hasMembers()) {
            return endpoints;
        }
        for (ClusterMember member : cluster.members()) {
            if (!Files.isRegularFile(cluster.configFile(member.id()))) {
                continue;
            }
            NodeConfig config = NodeConfig.load(cluster.configFile(member.id()), Map.of());
            MetricsSettings settings = MetricsSettings.from(config.section(MetricsSettings.NAMESPACE));
            if (settings.serves() && settings.port().getAsInt() > 0) {
                endpoints.put(member.id(), Endpoint.of(settings.address(), settings.port().getAsInt()));
            }
        }
        return endpoints;
    }
}
