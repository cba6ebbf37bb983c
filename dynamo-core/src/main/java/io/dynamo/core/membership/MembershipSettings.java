package io.dynamo.core.membership;

import static java.util.Objects.requireNonNull;

import io.dynamo.api.InvalidArgumentException;
import io.dynamo.spi.ConfigException;
import io.dynamo.spi.PluginConfig;
import java.time.Duration;

/**
 * Settings of gossip, failure detection and partition moves (the {@code membership.*} keys).
 *
 * @param gossipInterval pause between gossip rounds, each with one random peer
 * @param phiThreshold phi at which a peer is down (see {@link PhiAccrualFailureDetector})
 * @param phiWindow heartbeat intervals kept per peer
 * @param settleDelay how long a node waits after it first sees a ring change before it starts
 *     streaming, so that every coordinator has learned it and sends writes to the new replicas
 * @param streamBatchKeys keys per streamed batch
 * @param streamMaxBytesPerSecond throttle of a node's incoming stream; 0 for none
 * @param timeout timeout of one gossip or stream request
 */
public record MembershipSettings(Duration gossipInterval, double phiThreshold, int phiWindow, Duration settleDelay,
        int streamBatchKeys, long streamMaxBytesPerSecond, Duration timeout) {
    public static final String GOSSIP_INTERVAL = "gossip-interval";
    public static final String PHI_THRESHOLD = "phi-threshold";
    public static final String PHI_WINDOW = "phi-window";
    public static final String SETTLE_DELAY = "settle-delay";
    public static final String STREAM_BATCH_KEYS = "stream-batch-keys";
    public static final String STREAM_MAX_BYTES_PER_SECOND = "stream-max-bytes-per-second";
    public static final String TIMEOUT = "timeout";

    public static final MembershipSettings DEFAULT = new MembershipSettings(Duration.ofSeconds(1), 8.0, 100,
            Duration.ofSeconds(5), 500, 8L << 20, Duration.ofSeconds(5));

    public MembershipSettings {
        requireNonNull(gossipInterval, "gossipInterval is null");
        requireNonNull(settleDelay, "settleDelay is null");
        requireNonNull(timeout, "timeout is null");
        if (gossipInterval.isZero() || gossipInterval.isNegative() || !(phiThreshold > 0) || phiWindow < 1
                || settleDelay.isNegative() || streamBatchKeys < 1 || streamMaxBytesPerSecond < 0
                || timeout.isZero() || timeout.isNegative()) {
            throw new InvalidArgumentException("invalid membership settings: " + gossipInterval + ", phi " + phiThreshold
                    + ", window " + phiWindow + ", settle " + settleDelay + ", batch " + streamBatchKeys + ", rate "
                    + streamMaxBytesPerSecond + ", timeout " + timeout);
        }
    }

    /** The settings of the {@code membership} section of a node config; errors name the key. */
    public static MembershipSettings from(PluginConfig section) {
        Duration interval = section.getDuration(GOSSIP_INTERVAL, DEFAULT.gossipInterval);
        if (interval.isZero()) {
            throw new ConfigException(section.fullKey(GOSSIP_INTERVAL), "must be positive");
        }
        double phi = section.getDouble(PHI_THRESHOLD, DEFAULT.phiThreshold);
        if (!(phi > 0)) {
            throw new ConfigException(section.fullKey(PHI_THRESHOLD), "must be positive");
        }
        int window = section.getInt(PHI_WINDOW, DEFAULT.phiWindow);
        if (window < 1) {
            throw new ConfigException(section.fullKey(PHI_WINDOW), "must be positive");
        }
        int batch = section.getInt(STREAM_BATCH_KEYS, DEFAULT.streamBatchKeys);
        if (batch < 1) {
            throw new ConfigException(section.fullKey(STREAM_BATCH_KEYS), "must be positive");
        }
        Duration timeout = section.getDuration(TIMEOUT, DEFAULT.timeout);
        if (timeout.isZero()) {
            throw new ConfigException(section.fullKey(TIMEOUT), "must be positive");
        }
        return new MembershipSettings(interval, phi, window, section.getDuration(SETTLE_DELAY, DEFAULT.settleDelay),
                batch, section.getSize(STREAM_MAX_BYTES_PER_SECOND, DEFAULT.streamMaxBytesPerSecond), timeout);
    }

    public MembershipSettings withGossipInterval(Duration interval) {
        return new MembershipSettings(interval, phiThreshold, phiWindow, settleDelay, streamBatchKeys,
                streamMaxBytesPerSecond, timeout);
    }

    public MembershipSettings withSettleDelay(Duration delay) {
        return new MembershipSettings(gossipInterval, phiThreshold, phiWindow, delay, streamBatchKeys,
                streamMaxBytesPerSecond, timeout);
    }

    public MembershipSettings withStream(int batchKeys, long maxBytesPerSecond) {
        return new MembershipSettings(gossipInterval, phiThreshold, phiWindow, settleDelay, batchKeys, maxBytesPerSecond,
                timeout);
    }

    /** A phi-accrual detector with these settings on {@code clock}. */
    public PhiAccrualFailureDetector detector(java.util.function.LongSupplier clock) {
        return new PhiAccrualFailureDetector(clock, phiThreshold, phiWindow, gossipInterval);
    }
}
