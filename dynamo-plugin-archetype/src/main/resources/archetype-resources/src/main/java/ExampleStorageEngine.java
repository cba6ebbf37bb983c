package ${package};

import io.dynamo.api.Bytes;
import io.dynamo.api.Versioned;
import io.dynamo.spi.storage.StorageEngine;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.BiConsumer;
import java.util.function.UnaryOperator;

/**
 * Keeps every partition in memory, one {@link ConcurrentHashMap} each; nothing survives the
 * process. An update is the map's {@code compute}, which runs the function exactly once
 * holding only the key's lock (a retrying compute, as a skip list's, would break the SPI).
 * Stored lists are immutable copies, so no caller can change them.
 */
final class ExampleStorageEngine implements StorageEngine {
    private final Map<Integer, ConcurrentHashMap<Bytes, List<Versioned>>> partitions = new ConcurrentHashMap<>();
    private volatile boolean closed;

    @Override
    public List<Versioned> get(int partition, Bytes key) {
        checkOpen();
        Map<Bytes, List<Versioned>> map = partitions.get(partition);
        List<Versioned> versions = map == null ? null : map.get(key);
        return versions == null ? List.of() : versions;
    }

    @Override
    public List<Versioned> update(int partition, Bytes key, UnaryOperator<List<Versioned>> update) {
        checkOpen();
        ConcurrentHashMap<Bytes, List<Versioned>> map = partitions.computeIfAbsent(partition, p -> new ConcurrentHashMap<>());
        Object[] result = new Object[1];
        map.compute(key, (k, current) -> {
            List<Versioned> next = List.copyOf(update.apply(current == null ? List.of() : current));
            result[0] = next;
            return next.isEmpty() ? null : next;
        });
        @SuppressWarnings("unchecked")
        List<Versioned> next = (List<Versioned>) result[0];
        return next;
    }

    @Override
    public void forEach(int partition, BiConsumer<Bytes, List<Versioned>> action) {
        checkOpen();
        Map<Bytes, List<Versioned>> map = partitions.get(partition);
        if (map != null) {
            map.forEach(action);
        }
    }

    @Override
    public Set<Integer> partitions() {
        checkOpen();
        Set<Integer> holdingKeys = new TreeSet<>();
        partitions.forEach((partition, map) -> {
            if (!map.isEmpty()) {
                holdingKeys.add(partition);
            }
        });
        return Set.copyOf(holdingKeys);
    }

    @Override
    public long size(int partition) {
        checkOpen();
        Map<Bytes, List<Versioned>> map = partitions.get(partition);
        return map == null ? 0 : map.size();
    }

    @Override
    public void dropPartition(int partition) {
        checkOpen();
        partitions.remove(partition);
    }

    @Override
    public void close() {
        closed = true;
        partitions.clear();
    }

    private void checkOpen() {
        if (closed) {
            throw new IllegalStateException("storage engine " + ExampleStorageEngineFactory.NAME + " is closed");
        }
    }
}
