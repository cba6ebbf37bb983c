package io.dynamo.core.coordination;

import static java.util.Objects.requireNonNull;

import io.dynamo.api.Bytes;
import io.dynamo.api.VectorClock;
import io.dynamo.api.Versioned;
import io.dynamo.spi.storage.StorageEngine;
import java.util.List;

/**
 * A node's replicas of keys, over its storage engine: reads, merges of incoming versions by
 * causality ({@link Siblings#merge}), and new writes stamped by this node as coordinator
 * ({@link ClockStamping}). Every change is one atomic {@link StorageEngine#update} of the key.
 * Thread-safe.
 */
public final class ReplicaStore {
    private final StorageEngine engine;

    public ReplicaStore(StorageEngine engine) {
        this.engine = requireNonNull(engine, "engine is null");
    }

    public List<Versioned> read(int partition, Bytes key) {
        return engine.get(partition, key);
    }

    /** Merges {@code incoming} into the stored versions; returns what is stored now. */
    public List<Versioned> merge(int partition, Bytes key, List<Versioned> incoming) {
        return engine.update(partition, key, stored -> Siblings.merge(stored, incoming));
    }

    /**
     * Writes a new version coordinated by {@code self}: {@code value} (or a tombstone) whose
     * clock succeeds {@code context}. Returns the version written.
     */
    public Versioned write(int partition, Bytes key, Bytes value, boolean tombstone, VectorClock context, String self,
            long nowMillis, int maxClockEntries) {
        Versioned[] written = new Versioned[1];
        engine.update(partition, key, stored -> {
            VectorClock clock = ClockStamping.stamp(self, context, stored, nowMillis, maxClockEntries);
            written[0] = new Versioned(clock, tombstone ? Bytes.EMPTY : value, tombstone);
            return Siblings.merge(stored, List.of(written[0]));
        });
        return written[0];
    }

    /** The engine underneath, for hinted handoff and inspection. */
    public StorageEngine engine() {
        return engine;
    }
}
