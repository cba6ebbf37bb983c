package io.dynamo.core.storage;

import io.dynamo.spi.ConfigException;
import java.util.Arrays;
import java.util.Locale;
import java.util.stream.Collectors;

/**
 * When a node makes the writes it stores durable against a crash of the operating system or a
 * power loss (a process crash alone loses nothing a persistent engine completed). See
 * {@link SyncSettings} for the setting and {@link Durability} for where each applies.
 */
public enum SyncPolicy {
    /**
     * Never synced by the node: a write is acknowledged once the engine completed it (for
     * Chronicle: in the mapped pages, the OS page cache). Survives kill -9, not an OS crash or a
     * power loss of W replicas at once. The behaviour before the setting existed.
     */
    NONE,
    /**
     * Synced by a background task every {@code sync-interval}: an OS crash loses at most the
     * writes of the last interval (plus the time one sync takes). Writes are acknowledged as
     * quickly as with {@link #NONE}.
     */
    INTERVAL,
    /**
     * A write that counts toward W, or a hint accepted for another node, is acknowledged only
     * after the engine synced its partition: it survives an OS crash of every replica. Background
     * writes (anti-entropy, read repair) are synced every {@code sync-interval}.
     */
    ALWAYS;

    /** The policy's name in a config file. */
    public String configName() {
        return name().toLowerCase(Locale.ROOT);
    }

    /** {@code value} ({@code none}, {@code interval}, {@code always}), or a {@link ConfigException} naming {@code key}. */
    public static SyncPolicy parse(String key, String value) {
        for (SyncPolicy policy : values()) {
            if (policy.configName().equals(value)) {
                return policy;
            }
        }
        throw new ConfigException(key, "'" + value + "' is not a sync policy; the policies are "
                + Arrays.stream(values()).map(SyncPolicy::configName).collect(Collectors.joining(", ")));
    }
}
