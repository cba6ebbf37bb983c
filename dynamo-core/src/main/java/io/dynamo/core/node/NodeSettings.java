package io.dynamo.core.node;

import static java.util.Objects.requireNonNull;

import io.dynamo.api.InvalidArgumentException;
import io.dynamo.core.config.NodeConfig;
import io.dynamo.core.config.ReplicationConfig;
import io.dynamo.core.coordination.RequestLimits;
import io.dynamo.core.coordination.VersionLimits;
import io.dynamo.core.storage.SyncSettings;
import io.dynamo.spi.PluginConfig;
import io.dynamo.spi.causality.CausalityScheme;
import io.dynamo.spi.transport.Endpoint;
import java.time.Duration;

/**
 * What a {@link DynamoNode} needs to know about itself.
 *
 * @param nodeId this node's id
 * @param listen where its transport binds
 * @param partitioner the name of the partitioner placing keys on the ring, told to clients that
 *     coordinate their own reads ({@code partitioner})
 * @param replication N, R, W, timeout, clock size ({@code replication.*})
 * @param limits key and value size limits ({@code replication.max-key-size}, {@code replication.max-value-size})
 * @param versionLimits sibling and clock-skew limits ({@code replication.sibling-warn},
 *     {@code replication.max-siblings}, {@code replication.max-clock-skew})
 * @param handoffInterval how often hinted handoff pings suspects and delivers hints
 *     ({@code replication.handoff-interval}, default 1 s)
 * @param causality how the node stamps the writes it coordinates ({@code causality})
 * @param sync when the writes it stores are made durable against an OS crash
 *     ({@code replication.sync}, {@code replication.sync-interval}; see {@link SyncSettings})
 */
public record NodeSettings(String nodeId, Endpoint listen, String partitioner, ReplicationConfig replication,
        RequestLimits limits, VersionLimits versionLimits, Duration handoffInterval, CausalityScheme causality,
        SyncSettings sync) {
    public static final String HANDOFF_INTERVAL = "handoff-interval";
    public static final Duration DEFAULT_HANDOFF_INTERVAL = Duration.ofSeconds(1);

    public NodeSettings {
        requireNonNull(nodeId, "nodeId is null");
        requireNonNull(listen, "listen is null");
        requireNonNull(partitioner, "partitioner is null");
        requireNonNull(replication, "replication is null");
        requireNonNull(limits, "limits is null");
        requireNonNull(versionLimits, "versionLimits is null");
        requireNonNull(handoffInterval, "handoffInterval is null");
        requireNonNull(causality, "causality is null");
        requireNonNull(sync, "sync is null");
        if (handoffInterval.isZero() || handoffInterval.isNegative()) {
            throw new InvalidArgumentException("handoffInterval must be positive: " + handoffInterval);
        }
    }

    /** Settings that never sync ({@link SyncSettings#NONE}). */
    public NodeSettings(String nodeId, Endpoint listen, String partitioner, ReplicationConfig replication,
            RequestLimits limits, VersionLimits versionLimits, Duration handoffInterval, CausalityScheme causality) {
        this(nodeId, listen, partitioner, replication, limits, versionLimits, handoffInterval, causality, SyncSettings.NONE);
    }

    /** The settings a node config gives, with the causality scheme it names. */
    public static NodeSettings from(NodeConfig config, CausalityScheme causality) {
        PluginConfig replication = config.section("replication");
        Duration interval = replication.getDuration(HANDOFF_INTERVAL, DEFAULT_HANDOFF_INTERVAL);
        if (interval.isZero()) {
            throw new io.dynamo.spi.ConfigException(replication.fullKey(HANDOFF_INTERVAL), "must be positive");
        }
        return new NodeSettings(config.nodeId(), config.listen(), config.partitioner(), config.replication(),
                RequestLimits.from(replication), VersionLimits.from(replication), interval, causality,
                SyncSettings.from(replication));
    }
}
