package io.dynamo.core.storage;

import static java.util.Objects.requireNonNull;

import io.dynamo.api.InvalidArgumentException;
import io.dynamo.spi.ConfigException;
import io.dynamo.spi.PluginConfig;
import java.time.Duration;

/**
 * A durable-write policy and how often background syncs run, read from one config section by
 * {@link #from}: today the node's {@code replication} section ({@code replication.sync},
 * {@code replication.sync-interval}); the same short keys fit a store's own section.
 *
 * @param policy when writes are synced ({@code sync}, default {@code none})
 * @param interval how often the background task syncs the partitions written since its last
 *     run, under {@code interval} and {@code always} ({@code sync-interval}, default 1 s, at
 *     least 1 ms, at most 1 h)
 * @param key the full name of the {@code sync} setting, for errors ({@code replication.sync})
 */
public record SyncSettings(SyncPolicy policy, Duration interval, String key) {
    public static final String SYNC = "sync";
    public static final String SYNC_INTERVAL = "sync-interval";
    public static final Duration DEFAULT_INTERVAL = Duration.ofSeconds(1);
    /** Longer would promise too little to be worth a name: an hour of acknowledged writes at risk. */
    public static final Duration MAX_INTERVAL = Duration.ofHours(1);
    /** Today's behaviour: nothing synced by the node. */
    public static final SyncSettings NONE = new SyncSettings(SyncPolicy.NONE, DEFAULT_INTERVAL, "replication." + SYNC);

    public SyncSettings {
        requireNonNull(policy, "policy is null");
        requireNonNull(interval, "interval is null");
        requireNonNull(key, "key is null");
        if (interval.compareTo(Duration.ofMillis(1)) < 0 || interval.compareTo(MAX_INTERVAL) > 0) {
            throw new InvalidArgumentException("interval must be between 1 ms and " + MAX_INTERVAL + ": " + interval);
        }
    }

    /** {@code sync} and {@code sync-interval} of {@code section}; errors name the full key and list the policies. */
    public static SyncSettings from(PluginConfig section) {
        return from(section, NONE);
    }

    /** As {@link #from(PluginConfig)}, a key {@code section} does not set taken from {@code defaults}: a store's own section. */
    public static SyncSettings from(PluginConfig section, SyncSettings defaults) {
        String key = section.fullKey(SYNC);
        SyncPolicy policy = section.get(SYNC).map(value -> SyncPolicy.parse(key, value)).orElse(defaults.policy());
        Duration interval = section.getDuration(SYNC_INTERVAL, defaults.interval());
        if (interval.compareTo(Duration.ofMillis(1)) < 0 || interval.compareTo(MAX_INTERVAL) > 0) {
            throw new ConfigException(section.fullKey(SYNC_INTERVAL), interval + " is not between 1ms and 1h");
        }
        return new SyncSettings(policy, interval, key);
    }

    /** Settings with {@code policy}, the default interval, named as the node's {@code replication.sync}. */
    public static SyncSettings of(SyncPolicy policy) {
        return new SyncSettings(policy, DEFAULT_INTERVAL, NONE.key());
    }

    /** These settings with {@code interval}. */
    public SyncSettings withInterval(Duration interval) {
        return new SyncSettings(policy, interval, key);
    }
}
