package io.dynamo.core.store;

import static java.util.Objects.requireNonNull;

import io.dynamo.core.config.PrimaryQuorums;
import io.dynamo.core.config.ReplicationConfig;
import io.dynamo.core.coordination.RequestLimits;
import io.dynamo.core.coordination.VersionLimits;
import io.dynamo.core.storage.SyncSettings;
import io.dynamo.spi.ConfigException;
import io.dynamo.spi.PluginConfig;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * What one store of a cluster is: its name, its replication (N, R, W, timeout, clock size), the
 * names of its conflict resolver, storage engine and causality scheme, its sibling limits and its
 * largest value. Every store of a cluster shares the ring, the partitioner, the transport and the
 * plugins' own settings ({@code chronicle.*}, ...); what differs per store is here.
 *
 * <p>The {@link #DEFAULT} store is defined by the keys a node config had before stores existed
 * ({@code replication.*}, {@code resolver}, {@code storage}, {@code causality}), so existing
 * configs, requests and data keep working unchanged. Another store {@code NAME} is defined by the
 * keys {@code store.NAME.KEY} of the node config (KEY one of {@link #KEYS}); a key it does not set
 * is the default store's, except that R and W default to the default store's bounded by the
 * store's own N.
 *
 * @param name the store's name, {@link #NAME_PATTERN}
 * @param replication N, R, W, timeout and clock size; its read fanout and speculative retry are the default store's
 * @param resolver the conflict resolver's name
 * @param storage the storage engine's name
 * @param causality the causality scheme's name
 * @param versionLimits sibling warning and limit (the clock skew bound is node-wide)
 * @param limits key and value size (the key size is node-wide)
 */
public record StoreDefinition(String name, ReplicationConfig replication, String resolver, String storage,
        String causality, VersionLimits versionLimits, RequestLimits limits, SyncSettings sync) {
    /** The store of requests that name none: today's single store. */
    public static final String DEFAULT = "default";
    /** Store names: lowercase letters, digits, '_' and '-', at most 63, starting with a letter or digit. */
    public static final Pattern NAME_PATTERN = Pattern.compile("[a-z0-9][a-z0-9_-]{0,62}");
    /** The namespace of the other stores' keys: {@code store.NAME.KEY}. */
    public static final String NAMESPACE = "store";

    public static final String N = "n";
    public static final String R = "r";
    public static final String W = "w";
    public static final String TIMEOUT = "timeout";
    public static final String RESOLVER = "resolver";
    public static final String STORAGE = "storage";
    public static final String CAUSALITY = "causality";
    public static final String SIBLING_WARN = VersionLimits.SIBLING_WARN;
    public static final String MAX_SIBLINGS = VersionLimits.MAX_SIBLINGS;
    public static final String MAX_VALUE_SIZE = RequestLimits.MAX_VALUE_SIZE;
    public static final String MAX_CLOCK_ENTRIES = "max-clock-entries";
    public static final String PR = PrimaryQuorums.PR;
    public static final String PW = PrimaryQuorums.PW;
    public static final String SYNC = SyncSettings.SYNC;
    public static final String SYNC_INTERVAL = SyncSettings.SYNC_INTERVAL;
    /** Every key a store reads, in the order the docs list them. */
    public static final List<String> KEYS = List.of(N, R, W, TIMEOUT, RESOLVER, STORAGE, CAUSALITY, SIBLING_WARN,
            MAX_SIBLINGS, MAX_VALUE_SIZE, MAX_CLOCK_ENTRIES, PR, PW, SYNC, SYNC_INTERVAL);

    private static final Pattern PLUGIN_NAME = Pattern.compile("[a-z][a-z0-9-]*");

    public StoreDefinition {
        checkName(name);
        requireNonNull(replication, "replication is null");
        requireNonNull(resolver, "resolver is null");
        requireNonNull(storage, "storage is null");
        requireNonNull(causality, "causality is null");
        requireNonNull(versionLimits, "versionLimits is null");
        requireNonNull(limits, "limits is null");
        requireNonNull(sync, "sync is null");
    }

    /** Throws {@link ConfigException} (naming {@code store.NAME}) unless {@code name} is a store name. */
    public static String checkName(String name) {
        if (name == null || !NAME_PATTERN.matcher(name).matches()) {
            throw new ConfigException(NAMESPACE + "." + name, "'" + name + "' is not a store name (lowercase letters,"
                    + " digits, '_' and '-', at most 63, starting with a letter or digit)");
        }
        return name;
    }

    public boolean isDefault() {
        return DEFAULT.equals(name);
    }

    /** The full config key of this store's {@code key}: {@code store.NAME.KEY}, or today's key for the default store. */
    public String keyOf(String key) {
        return keyOf(name, key);
    }

    static String keyOf(String name, String key) {
        if (!DEFAULT.equals(name)) {
            return NAMESPACE + "." + name + "." + key;
        }
        return switch (key) {
            case RESOLVER, STORAGE, CAUSALITY -> key;
            default -> "replication." + key;
        };
    }

    /**
     * The store {@code name} as {@code settings} (short keys, {@link #KEYS}) define it, every key
     * not set taken from {@code defaults} (the default store). An unknown key or a bad value throws
     * {@link ConfigException} naming {@code store.NAME.KEY} (and, for an unknown key, listing the
     * known ones). Plugin names are checked for their form only; whether such a plugin is
     * installed is checked when the store is made.
     */
    public static StoreDefinition from(String name, Map<String, String> settings, StoreDefinition defaults) {
        checkName(name);
        requireNonNull(settings, "settings is null");
        requireNonNull(defaults, "defaults is null");
        if (DEFAULT.equals(name)) {
            throw new ConfigException(NAMESPACE + "." + name, "the default store is set by the replication.*, resolver,"
                    + " storage and causality keys, not by store.default.*");
        }
        for (String key : settings.keySet()) {
            if (!KEYS.contains(key)) {
                throw new ConfigException(keyOf(name, key), "unknown store setting; the known ones are "
                        + String.join(", ", KEYS));
            }
        }
        PluginConfig typed = new PluginConfig(NAMESPACE + "." + name, settings);
        ReplicationConfig base = defaults.replication();
        int n = typed.getInt(N, base.replicas());
        if (n < 1) {
            throw new ConfigException(typed.fullKey(N), n + " is not at least 1");
        }
        int r = typed.getInt(R, Math.min(base.readQuorum(), n));
        int w = typed.getInt(W, Math.min(base.writeQuorum(), n));
        if (r < 1 || r > n) {
            throw new ConfigException(typed.fullKey(R), r + " is not between 1 and " + typed.fullKey(N) + "=" + n);
        }
        if (w < 1 || w > n) {
            throw new ConfigException(typed.fullKey(W), w + " is not between 1 and " + typed.fullKey(N) + "=" + n);
        }
        Duration timeout = typed.getDuration(TIMEOUT, base.timeout());
        if (timeout.isZero() || timeout.isNegative()) {
            throw new ConfigException(typed.fullKey(TIMEOUT), timeout + " is not positive");
        }
        int clockEntries = typed.getInt(MAX_CLOCK_ENTRIES, base.maxClockEntries());
        if (clockEntries < 1 || clockEntries > ReplicationConfig.MAX_CLOCK_ENTRIES_LIMIT) {
            throw new ConfigException(typed.fullKey(MAX_CLOCK_ENTRIES), clockEntries + " is not between 1 and "
                    + ReplicationConfig.MAX_CLOCK_ENTRIES_LIMIT);
        }
        // pr and pw not set fall back to the default store's, bounded by this store's N
        PrimaryQuorums primaries = new PrimaryQuorums(primaries(typed, PR, base.primaries().reads(), n),
                primaries(typed, PW, base.primaries().writes(), n));
        ReplicationConfig replication = new ReplicationConfig(n, r, w, timeout, clockEntries, base.readFanout(),
                base.speculativeRetry(), primaries);
        int warn = typed.getInt(SIBLING_WARN, defaults.versionLimits().siblingWarn());
        int max = typed.getInt(MAX_SIBLINGS, defaults.versionLimits().maxSiblings());
        if (max < 1) {
            throw new ConfigException(typed.fullKey(MAX_SIBLINGS), max + " is not at least 1");
        }
        if (warn < 2) {
            throw new ConfigException(typed.fullKey(SIBLING_WARN), warn + " is not at least 2");
        }
        long valueSize = typed.getSize(MAX_VALUE_SIZE, defaults.limits().maxValueSize());
        if (valueSize > RequestLimits.MAX_LIMIT) {
            throw new ConfigException(typed.fullKey(MAX_VALUE_SIZE), valueSize + " is more than " + RequestLimits.MAX_LIMIT);
        }
        return new StoreDefinition(name, replication,
                pluginName(typed, RESOLVER, defaults.resolver()),
                pluginName(typed, STORAGE, defaults.storage()),
                pluginName(typed, CAUSALITY, defaults.causality()),
                new VersionLimits(warn, max, defaults.versionLimits().maxClockSkew()),
                new RequestLimits(defaults.limits().maxKeySize(), (int) valueSize),
                SyncSettings.from(typed, defaults.sync()));
    }

    /** This store's settings as short keys (what {@code dynamo store describe} shows; {@link #from} reads them back). */
    public Map<String, String> settings() {
        Map<String, String> settings = new java.util.LinkedHashMap<>();
        settings.put(N, Integer.toString(replication.replicas()));
        settings.put(R, Integer.toString(replication.readQuorum()));
        settings.put(W, Integer.toString(replication.writeQuorum()));
        settings.put(TIMEOUT, replication.timeout().toMillis() + "ms");
        settings.put(RESOLVER, resolver);
        settings.put(STORAGE, storage);
        settings.put(CAUSALITY, causality);
        settings.put(SIBLING_WARN, Integer.toString(versionLimits.siblingWarn()));
        settings.put(MAX_SIBLINGS, Integer.toString(versionLimits.maxSiblings()));
        settings.put(MAX_VALUE_SIZE, Integer.toString(limits.maxValueSize()));
        settings.put(MAX_CLOCK_ENTRIES, Integer.toString(replication.maxClockEntries()));
        settings.put(PR, Integer.toString(replication.primaries().reads()));
        settings.put(PW, Integer.toString(replication.primaries().writes()));
        settings.put(SYNC, sync.policy().configName());
        settings.put(SYNC_INTERVAL, sync.interval().toMillis() + "ms");
        return settings;
    }

    private static int primaries(PluginConfig typed, String key, int defaultValue, int n) {
        int value = typed.getInt(key, Math.min(defaultValue, n));
        if (value < 0 || value > n) {
            throw new ConfigException(typed.fullKey(key), value + " is not between 0 and " + typed.fullKey(N) + "=" + n
                    + " (how many of a key's N primary replicas must answer)");
        }
        return value;
    }

    private static String pluginName(PluginConfig typed, String key, String defaultName) {
        String value = typed.getString(key, defaultName);
        if (!PLUGIN_NAME.matcher(value).matches()) {
            throw new ConfigException(typed.fullKey(key), "'" + value
                    + "' is not a plugin name (lowercase letters, digits and '-', starting with a letter)");
        }
        return value;
    }
}
