package io.dynamo.core.antientropy;

import static java.util.Objects.requireNonNull;

import io.dynamo.api.InvalidArgumentException;
import io.dynamo.spi.ConfigException;
import io.dynamo.spi.PluginConfig;
import java.time.Duration;

/**
 * How a node runs anti-entropy; the {@code anti-entropy.*} keys of the node config.
 *
 * @param interval pause between the end of one periodic round and the start of the next
 *     ({@code interval}, default 60 s); zero turns periodic rounds off (a {@code repair} still runs one)
 * @param treeDepth levels of each partition's hash tree: {@code 2^depth} leaves ({@code tree-depth},
 *     default 10). Aim at a few dozen keys per leaf: the keys of a differing leaf are all compared.
 * @param maxBytesPerSecond anti-entropy traffic of this node as initiator, both directions
 *     ({@code max-bytes-per-second}, default 4 MiB; 0 for no limit)
 * @param maxKeysPerMessage keys whose versions travel in one message ({@code max-keys-per-message}, default 500)
 * @param maxDigestsPerMessage key digests asked for in one message, estimated from the partition
 *     size ({@code max-digests-per-message}, default 32768)
 * @param maxNodesPerMessage tree hashes asked for in one message ({@code max-nodes-per-message}, default 4096)
 * @param timeout how long one request of an exchange may take ({@code timeout}, default 30 s: a
 *     leaf request scans the peer's partition)
 * @param collectTombstones whether partition owners collect confirmed tombstones ({@code collect-tombstones}, default true)
 */
public record AntiEntropySettings(Duration interval, int treeDepth, long maxBytesPerSecond, int maxKeysPerMessage,
        int maxDigestsPerMessage, int maxNodesPerMessage, Duration timeout, boolean collectTombstones) {
    public static final String NAMESPACE = "anti-entropy";
    public static final String INTERVAL = "interval";
    public static final String TREE_DEPTH = "tree-depth";
    public static final String MAX_BYTES_PER_SECOND = "max-bytes-per-second";
    public static final String MAX_KEYS_PER_MESSAGE = "max-keys-per-message";
    public static final String MAX_DIGESTS_PER_MESSAGE = "max-digests-per-message";
    public static final String MAX_NODES_PER_MESSAGE = "max-nodes-per-message";
    public static final String TIMEOUT = "timeout";
    public static final String COLLECT_TOMBSTONES = "collect-tombstones";

    /** The defaults listed above. */
    public static final AntiEntropySettings DEFAULT = new AntiEntropySettings(Duration.ofSeconds(60), 10,
            4L << 20, 500, 32768, 4096, Duration.ofSeconds(30), true);

    public AntiEntropySettings {
        requireNonNull(interval, "interval is null");
        requireNonNull(timeout, "timeout is null");
        if (interval.isNegative()) {
            throw new InvalidArgumentException("interval must not be negative: " + interval);
        }
        if (treeDepth < MerkleTree.MIN_DEPTH || treeDepth > MerkleTree.MAX_DEPTH) {
            throw new InvalidArgumentException("treeDepth must be in [" + MerkleTree.MIN_DEPTH + ", "
                    + MerkleTree.MAX_DEPTH + "]: " + treeDepth);
        }
        if (maxBytesPerSecond < 0) {
            throw new InvalidArgumentException("maxBytesPerSecond must not be negative: " + maxBytesPerSecond);
        }
        if (maxKeysPerMessage < 1 || maxDigestsPerMessage < 1 || maxNodesPerMessage < 1) {
            throw new InvalidArgumentException("message limits must be positive");
        }
        if (timeout.isZero() || timeout.isNegative()) {
            throw new InvalidArgumentException("timeout must be positive: " + timeout);
        }
    }

    /** The settings of the {@code anti-entropy} section of a node config; errors name the key. */
    public static AntiEntropySettings from(PluginConfig section) {
        Duration interval = section.getDuration(INTERVAL, DEFAULT.interval());
        int depth = section.getInt(TREE_DEPTH, DEFAULT.treeDepth());
        if (depth < MerkleTree.MIN_DEPTH || depth > MerkleTree.MAX_DEPTH) {
            throw new ConfigException(section.fullKey(TREE_DEPTH),
                    "must be in [" + MerkleTree.MIN_DEPTH + ", " + MerkleTree.MAX_DEPTH + "]");
        }
        long rate = section.getSize(MAX_BYTES_PER_SECOND, DEFAULT.maxBytesPerSecond());
        int keys = positive(section, MAX_KEYS_PER_MESSAGE, DEFAULT.maxKeysPerMessage());
        int digests = positive(section, MAX_DIGESTS_PER_MESSAGE, DEFAULT.maxDigestsPerMessage());
        int nodes = positive(section, MAX_NODES_PER_MESSAGE, DEFAULT.maxNodesPerMessage());
        Duration timeout = section.getDuration(TIMEOUT, DEFAULT.timeout());
        if (timeout.isZero()) {
            throw new ConfigException(section.fullKey(TIMEOUT), "must be positive");
        }
        return new AntiEntropySettings(interval, depth, rate, keys, digests, nodes, timeout,
                section.getBoolean(COLLECT_TOMBSTONES, DEFAULT.collectTombstones()));
    }

    /** These settings with another interval (zero: no periodic rounds). */
    public AntiEntropySettings withInterval(Duration newInterval) {
        return new AntiEntropySettings(newInterval, treeDepth, maxBytesPerSecond, maxKeysPerMessage,
                maxDigestsPerMessage, maxNodesPerMessage, timeout, collectTombstones);
    }

    /** These settings with another tree depth. */
    public AntiEntropySettings withTreeDepth(int depth) {
        return new AntiEntropySettings(interval, depth, maxBytesPerSecond, maxKeysPerMessage, maxDigestsPerMessage,
                maxNodesPerMessage, timeout, collectTombstones);
    }

    /** These settings with another rate limit (0: none). */
    public AntiEntropySettings withMaxBytesPerSecond(long rate) {
        return new AntiEntropySettings(interval, treeDepth, rate, maxKeysPerMessage, maxDigestsPerMessage,
                maxNodesPerMessage, timeout, collectTombstones);
    }

    private static int positive(PluginConfig section, String key, int defaultValue) {
        int value = section.getInt(key, defaultValue);
        if (value < 1) {
            throw new ConfigException(section.fullKey(key), "must be positive");
        }
        return value;
    }
}
