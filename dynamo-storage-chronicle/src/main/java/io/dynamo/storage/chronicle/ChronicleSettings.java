package io.dynamo.storage.chronicle;

import static java.util.Objects.requireNonNull;

import io.dynamo.spi.ConfigException;
import io.dynamo.spi.PluginConfig;
import io.dynamo.spi.PluginContext;
import io.dynamo.spi.storage.StorageEngine;
import java.nio.file.Path;
import java.util.Set;

/**
 * The engine's configuration, read from the {@code chronicle} namespace of the node config.
 * Sizes apply to partitions created from now on; an existing file keeps the sizing it was
 * created with (recorded in its manifest and in Chronicle's own header).
 */
record ChronicleSettings(
        Path directory,
        long entriesPerPartition,
        long hintsEntries,
        double averageKeySize,
        double averageValueSize,
        double maxBloatFactor,
        long maxEntrySize,
        long minFreeSpace) {

    static final String DIRECTORY = "directory";
    static final String ENTRIES_PER_PARTITION = "entries-per-partition";
    static final String HINTS_ENTRIES = "hints-entries";
    static final String AVERAGE_KEY_SIZE = "average-key-size";
    static final String AVERAGE_VALUE_SIZE = "average-value-size";
    static final String MAX_BLOAT_FACTOR = "max-bloat-factor";
    static final String MAX_ENTRY_SIZE = "max-entry-size";
    static final String MIN_FREE_SPACE = "min-free-space";
    /** Every key {@link #from} reads: the node refuses others in {@code chronicle.*}. */
    static final Set<String> KEYS = Set.of(DIRECTORY, ENTRIES_PER_PARTITION, HINTS_ENTRIES, AVERAGE_KEY_SIZE,
            AVERAGE_VALUE_SIZE, MAX_BLOAT_FACTOR, MAX_ENTRY_SIZE, MIN_FREE_SPACE);

    static final long DEFAULT_ENTRIES = 10_000;
    static final double DEFAULT_AVERAGE_KEY_SIZE = 32;
    /** A stored value is the encoded versions of a key: values, clocks and a checksum. */
    static final double DEFAULT_AVERAGE_VALUE_SIZE = 160;
    static final double DEFAULT_MAX_BLOAT_FACTOR = 10;
    /** The core accepts values up to 1 MiB; a key's siblings together usually stay below that. */
    static final long DEFAULT_MAX_ENTRY_SIZE = 1 << 20;
    /**
     * Writes stop while the file system has less than this free: room for the log, manifests
     * and for maps to grow by a tier bulk (about the size of a new map) each. See the README.
     */
    static final long DEFAULT_MIN_FREE_SPACE = 256L << 20;
    /** Below this the floor would not even cover one map's growth. */
    static final long MIN_MIN_FREE_SPACE = 1L << 20;
    /** Chronicle keeps its own limit on segments; more than this buys no concurrency here. */
    private static final int MAX_SEGMENTS = 64;

    ChronicleSettings {
        requireNonNull(directory, "directory is null");
        if (entriesPerPartition < 1 || hintsEntries < 1) {
            throw new IllegalArgumentException("entries must be positive");
        }
        if (!(averageKeySize >= 1) || !(averageValueSize >= 1)) {
            throw new IllegalArgumentException("average sizes must be at least 1");
        }
        if (!(maxBloatFactor >= 1 && maxBloatFactor <= 1000)) {
            throw new IllegalArgumentException("maxBloatFactor must be in [1, 1000]");
        }
        if (maxEntrySize < 1) {
            throw new IllegalArgumentException("maxEntrySize must be positive");
        }
        if (minFreeSpace < MIN_MIN_FREE_SPACE) {
            throw new IllegalArgumentException("minFreeSpace must be at least 1 MiB");
        }
    }

    static ChronicleSettings from(PluginConfig config, PluginContext context) {
        requireNonNull(config, "config is null");
        requireNonNull(context, "context is null");
        Path defaultDirectory = requireNonNull(context.dataDirectory(), "context.dataDirectory() is null")
                .resolve("chronicle");
        long entries = positive(config, ENTRIES_PER_PARTITION, config.getLong(ENTRIES_PER_PARTITION, DEFAULT_ENTRIES));
        return new ChronicleSettings(
                config.getPath(DIRECTORY, defaultDirectory),
                entries,
                positive(config, HINTS_ENTRIES, config.getLong(HINTS_ENTRIES, entries)),
                atLeastOne(config, AVERAGE_KEY_SIZE, config.getDouble(AVERAGE_KEY_SIZE, DEFAULT_AVERAGE_KEY_SIZE)),
                atLeastOne(config, AVERAGE_VALUE_SIZE, config.getDouble(AVERAGE_VALUE_SIZE, DEFAULT_AVERAGE_VALUE_SIZE)),
                bloat(config, config.getDouble(MAX_BLOAT_FACTOR, DEFAULT_MAX_BLOAT_FACTOR)),
                positive(config, MAX_ENTRY_SIZE, config.getSize(MAX_ENTRY_SIZE, DEFAULT_MAX_ENTRY_SIZE)),
                freeSpaceFloor(config, config.getSize(MIN_FREE_SPACE, DEFAULT_MIN_FREE_SPACE)));
    }

    /** The entries a new map for {@code partition} is sized for. */
    long entriesFor(int partition) {
        return partition == StorageEngine.HINTS_PARTITION ? hintsEntries : entriesPerPartition;
    }

    /**
     * The segments of a new map for {@code partition}. One entry must fit in one segment tier
     * (about entries × entry size / segments bytes), so fewer, larger segments allow larger
     * entries; more segments let more writers of different keys work in parallel. A power of two.
     */
    int segmentsFor(int partition) {
        double bytes = entriesFor(partition) * (averageKeySize + averageValueSize);
        long fitting = (long) Math.min(MAX_SEGMENTS, Math.max(1, bytes / maxEntrySize));
        return Integer.highestOneBit((int) fitting);
    }

    /** The setting to raise when {@code partition} is full. */
    String entriesKeyFor(int partition) {
        return partition == StorageEngine.HINTS_PARTITION ? HINTS_ENTRIES : ENTRIES_PER_PARTITION;
    }

    private static long positive(PluginConfig config, String key, long value) {
        if (value < 1) {
            throw new ConfigException(config.fullKey(key), "must be at least 1, was " + value);
        }
        return value;
    }

    private static double atLeastOne(PluginConfig config, String key, double value) {
        if (value < 1) {
            throw new ConfigException(config.fullKey(key), "must be at least 1 (bytes), was " + value);
        }
        return value;
    }

    private static long freeSpaceFloor(PluginConfig config, long value) {
        if (value < MIN_MIN_FREE_SPACE) {
            throw new ConfigException(config.fullKey(MIN_FREE_SPACE), "must be at least 1m (writes need room to grow a "
                    + "map and to write manifests), was " + value + " bytes");
        }
        return value;
    }

    private static double bloat(PluginConfig config, double value) {
        if (value < 1 || value > 1000) {
            throw new ConfigException(config.fullKey(MAX_BLOAT_FACTOR), "must be in [1, 1000], was " + value);
        }
        return value;
    }
}
