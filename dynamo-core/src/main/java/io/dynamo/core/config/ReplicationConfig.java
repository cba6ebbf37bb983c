package io.dynamo.core.config;

import io.dynamo.spi.ConfigException;
import java.time.Duration;
import java.util.Objects;

/**
 * The replication settings of a node: Dynamo's N, R and W, the request timeout, and the size a
 * vector clock is truncated to.
 *
 * @param replicas N, how many nodes hold each key ({@code replication.n})
 * @param readQuorum R, how many replicas must answer a read ({@code replication.r})
 * @param writeQuorum W, how many replicas must acknowledge a write ({@code replication.w})
 * @param timeout how long a coordinator waits for replicas ({@code replication.timeout})
 * @param maxClockEntries the entries a vector clock keeps before the oldest are dropped
 *     ({@code replication.max-clock-entries})
 */
public record ReplicationConfig(int replicas, int readQuorum, int writeQuorum, Duration timeout, int maxClockEntries) {
    public ReplicationConfig {
        Objects.requireNonNull(timeout, "timeout is null");
        if (replicas < 1) {
            throw new ConfigException(NodeConfig.REPLICATION_N, replicas + " is not at least 1");
        }
        if (readQuorum < 1 || readQuorum > replicas) {
            throw new ConfigException(NodeConfig.REPLICATION_R,
                    readQuorum + " is not between 1 and " + NodeConfig.REPLICATION_N + "=" + replicas);
        }
        if (writeQuorum < 1 || writeQuorum > replicas) {
            throw new ConfigException(NodeConfig.REPLICATION_W,
                    writeQuorum + " is not between 1 and " + NodeConfig.REPLICATION_N + "=" + replicas);
        }
        if (timeout.isZero() || timeout.isNegative()) {
            throw new ConfigException(NodeConfig.REPLICATION_TIMEOUT, timeout + " is not positive");
        }
        if (maxClockEntries < 1) {
            throw new ConfigException(NodeConfig.REPLICATION_MAX_CLOCK_ENTRIES, maxClockEntries + " is not at least 1");
        }
    }
}
