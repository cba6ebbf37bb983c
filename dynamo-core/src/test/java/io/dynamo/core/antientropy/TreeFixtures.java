package io.dynamo.core.antientropy;

import io.dynamo.api.Bytes;
import io.dynamo.api.VectorClock;
import io.dynamo.api.Versioned;
import io.dynamo.core.coordination.ReplicaStore;
import io.dynamo.core.coordination.Siblings;
import io.dynamo.spi.storage.StorageEngine;
import java.util.List;

/** Writes to an engine the way a node does, keeping its trees current. */
final class TreeFixtures {
    /** One change of a key: a new version superseding what is stored, a sibling, a delete, or a removal. */
    record Op(int key, int node, int kind, int value) {}

    private TreeFixtures() {}

    static Bytes key(int i) {
        return Bytes.utf8("key-" + i);
    }

    /** Applies {@code op} to {@code engine}, reporting it to {@code trees} when not null. */
    static void apply(StorageEngine engine, PartitionTrees trees, int partition, Op op, long time) {
        Bytes key = key(op.key());
        List<Versioned> current = engine.get(partition, key);
        String node = "n" + op.node();
        List<Versioned> next = switch (op.kind()) {
            case 0 -> Siblings.merge(current, List.of(Versioned.of(
                    Siblings.mergedClock(current).increment(node, time), Bytes.utf8("v" + op.value()))));
            case 1 -> Siblings.merge(current, List.of(Versioned.of(
                    VectorClock.EMPTY.increment("s" + op.value(), time), Bytes.utf8("sibling" + op.value()))));
            case 2 -> Siblings.merge(current, List.of(Versioned.tombstone(
                    Siblings.mergedClock(current).increment(node, time))));
            default -> List.of();
        };
        write(engine, trees, partition, key, next);
    }

    /** Replaces the versions of {@code key} with {@code versions}, through a store that tells {@code trees}. */
    static void write(StorageEngine engine, PartitionTrees trees, int partition, Bytes key, List<Versioned> versions) {
        ReplicaStore store = trees == null ? new ReplicaStore(engine) : new ReplicaStore(engine, trees);
        store.update(partition, key, stored -> versions);
    }
}
