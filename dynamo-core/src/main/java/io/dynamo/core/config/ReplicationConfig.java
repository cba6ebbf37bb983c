package io.dynamo.core.config;

import io.dynamo.spi.ConfigException;
import java.time.Duration;
import java.util.Objects;

/**
 * The replication settings of a node: Dynamo's N, R and W, the request timeout, the size a
 * vector clock is truncated to, and which replicas a read asks.
 *
 * @param replicas N, how many nodes hold each key ({@code replication.n})
 * @param readQuorum R, how many replicas must answer a read ({@code replication.r})
 * @param writeQuorum W, how many replicas must acknowledge a write ({@code replication.w})
 * @param timeout how long a coordinator waits for replicas ({@code replication.timeout})
 * @param maxClockEntries the entries a vector clock keeps before the oldest are dropped
 *     ({@code replication.max-clock-entries})
 * @param readFanout the replicas a read asks at first ({@code replication.read-fanout})
 * @param speculativeRetry with {@link ReadFanout#QUORUM}, how long a read waits for its
 *     quorum before asking one more replica; zero never asks early
 *     ({@code replication.speculative-retry})
 * @param primaries the default pr and pw ({@code replication.pr}, {@code replication.pw}), each at most N
 */
public record ReplicationConfig(int replicas, int readQuorum, int writeQuorum, Duration timeout, int maxClockEntries,
        ReadFanout readFanout, Duration speculativeRetry, PrimaryQuorums primaries) {
    /**
     * Riak's limit rather than Dynamo's 10: writer slots add entries under contention (a hot key
     * written through 3 coordinators by dozens of clients used 13), and a write whose clock is
     * truncated no longer dominates the versions that carry the dropped entries, so their
     * siblings could never be replaced (see {@code HotKeyTest}).
     */
    public static final int DEFAULT_MAX_CLOCK_ENTRIES = 50;
    /**
     * The largest {@code replication.max-clock-entries}: a quarter of what any clock may hold on
     * the wire ({@link io.dynamo.api.VectorClock#MAX_ENTRIES}), so the merged context of several
     * full clocks still decodes.
     */
    public static final int MAX_CLOCK_ENTRIES_LIMIT = 1000;
    public static final ReadFanout DEFAULT_READ_FANOUT = ReadFanout.QUORUM;
    public static final Duration DEFAULT_SPECULATIVE_RETRY = Duration.ofMillis(10);

    public ReplicationConfig {
        Objects.requireNonNull(timeout, "timeout is null");
        Objects.requireNonNull(readFanout, "readFanout is null");
        Objects.requireNonNull(speculativeRetry, "speculativeRetry is null");
        Objects.requireNonNull(primaries, "primaries is null");
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
        if (maxClockEntries > MAX_CLOCK_ENTRIES_LIMIT) {
            throw new ConfigException(NodeConfig.REPLICATION_MAX_CLOCK_ENTRIES, maxClockEntries + " is more than "
                    + MAX_CLOCK_ENTRIES_LIMIT);
        }
        if (speculativeRetry.isNegative()) {
            throw new ConfigException(NodeConfig.REPLICATION_SPECULATIVE_RETRY, speculativeRetry + " is negative");
        }
        if (primaries.reads() > replicas || primaries.writes() > replicas) {
            throw new ConfigException(NodeConfig.REPLICATION_PR, "pr=" + primaries.reads() + " or pw="
                    + primaries.writes() + " is more than " + NodeConfig.REPLICATION_N + "=" + replicas);
        }
    }

    /** Settings without a default pr or pw. */
    public ReplicationConfig(int replicas, int readQuorum, int writeQuorum, Duration timeout, int maxClockEntries,
            ReadFanout readFanout, Duration speculativeRetry) {
        this(replicas, readQuorum, writeQuorum, timeout, maxClockEntries, readFanout, speculativeRetry,
                PrimaryQuorums.NONE);
    }
}
