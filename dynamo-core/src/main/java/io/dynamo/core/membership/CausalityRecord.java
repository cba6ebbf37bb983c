package io.dynamo.core.membership;

import static java.util.Objects.requireNonNull;

import io.dynamo.api.Bytes;
import io.dynamo.api.VectorClock;
import io.dynamo.api.Versioned;
import io.dynamo.core.causality.WriterSlots;
import io.dynamo.core.config.NodeConfig;
import io.dynamo.spi.ConfigException;
import io.dynamo.spi.storage.StorageEngine;
import java.util.List;
import java.util.Set;

/**
 * Which causality scheme wrote a node's data, kept in the engine beside the move log: the
 * versions of one scheme mean something else under another (a writer slot is no dot), so a node
 * started with another scheme over the same data must stop rather than misread it. There is no
 * migration between schemes.
 *
 * <p>A data directory from before the record existed holds data but no record: it was written
 * by {@code vector-clock}, the only scheme then.
 */
public final class CausalityRecord {
    private static final Bytes KEY = Bytes.utf8("causality");

    private CausalityRecord() {}

    /**
     * Records {@code scheme} in a new data directory, or checks that the one recorded (or implied,
     * for older data) is {@code scheme}. Throws {@link ConfigException} naming the setting and
     * {@code where} (the data directory) otherwise. Call before the node prepares its partitions.
     */
    public static void checkOrRecord(StorageEngine engine, String scheme, String where) {
        checkOrRecord(engine, scheme, where, NodeConfig.CAUSALITY);
    }

    /** As above, for the data of a store whose causality scheme is set by {@code key} ({@code store.NAME.causality}). */
    public static void checkOrRecord(StorageEngine engine, String scheme, String where, String key) {
        requireNonNull(engine, "engine is null");
        requireNonNull(key, "key is null");
        requireNonNull(scheme, "scheme is null");
        String recorded = recorded(engine);
        if (recorded == null) {
            engine.update(MoveLog.PARTITION, KEY, current -> List.of(Versioned.of(VectorClock.EMPTY, Bytes.utf8(scheme))));
            return;
        }
        if (!recorded.equals(scheme)) {
            throw new ConfigException(key, "is " + scheme + ", but the data in " + where
                    + " was written with " + key + "=" + recorded + ": start this node with "
                    + key + "=" + recorded + ", or give it an empty data directory (there is no"
                    + " migration between causality schemes)");
        }
    }

    /** The scheme that wrote the engine's data; null for an engine that holds nothing yet. */
    public static String recorded(StorageEngine engine) {
        Set<Integer> partitions = engine.partitions();
        if (partitions.contains(MoveLog.PARTITION)) {
            List<Versioned> record = engine.get(MoveLog.PARTITION, KEY);
            if (!record.isEmpty()) {
                return record.get(0).value().asUtf8();
            }
        }
        return partitions.isEmpty() ? null : WriterSlots.NAME;
    }
}
