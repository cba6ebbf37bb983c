package io.dynamo.core.storage;

import static java.util.Objects.requireNonNull;

import io.dynamo.api.Bytes;
import io.dynamo.api.Versioned;
import io.dynamo.spi.storage.StorageEngine;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.BiConsumer;
import java.util.function.UnaryOperator;

/**
 * A storage engine that plays a disk behind the operating system's page cache, to test what an
 * OS crash keeps: the engine it wraps holds what the process sees (the page cache), a separate
 * image holds what was {@linkplain #sync synced} (the disk). {@link #osCrash()} throws away every
 * write made since its partition was last synced, as a kernel panic or a power loss would, and
 * leaves the synced image. A process crash ({@link io.dynamo.core.cluster.InProcessCluster#crash})
 * loses nothing, as with a memory-mapped engine.
 *
 * <p>It tracks, per partition, the keys written since the last sync; a sync copies their current
 * versions to the image, so an update that completed before {@link #sync} was called is in it.
 * Dropping a partition is durable at once (a file deleted and its directory synced).
 */
final class SimulatedDiskEngine implements StorageEngine {
    private final StorageEngine pageCache;
    private final Map<Integer, Map<Bytes, List<Versioned>>> disk = new ConcurrentHashMap<>();
    private final Map<Integer, Set<Bytes>> unsynced = new ConcurrentHashMap<>();

    SimulatedDiskEngine(StorageEngine pageCache) {
        this.pageCache = requireNonNull(pageCache, "pageCache is null");
    }

    /** A simulated disk over a fresh {@link MemoryStorageEngine}. */
    static SimulatedDiskEngine overMemory() {
        return new SimulatedDiskEngine(new MemoryStorageEngine());
    }

    /**
     * An OS crash: every write not synced is gone; what the process sees afterwards is what was
     * synced. Call while no node runs over this engine.
     */
    void osCrash() {
        for (Integer partition : Set.copyOf(unsynced.keySet())) {
            Set<Bytes> keys = unsynced.remove(partition);
            Map<Bytes, List<Versioned>> image = disk.getOrDefault(partition, Map.of());
            for (Bytes key : keys) {
                List<Versioned> kept = image.getOrDefault(key, List.of());
                pageCache.update(partition, key, lost -> kept);
            }
        }
    }

    /** How many keys of {@code partition} were written and not synced since. */
    int unsyncedKeys(int partition) {
        return unsynced.getOrDefault(partition, Set.of()).size();
    }

    @Override
    public List<Versioned> get(int partition, Bytes key) {
        return pageCache.get(partition, key);
    }

    @Override
    public List<Versioned> update(int partition, Bytes key, UnaryOperator<List<Versioned>> update) {
        List<Versioned> after = pageCache.update(partition, key, update);
        written(partition, key);
        return after;
    }

    private void written(int partition, Bytes key) {
        unsynced.computeIfAbsent(partition, p -> ConcurrentHashMap.newKeySet()).add(key);
    }

    @Override
    public boolean canSync() {
        return true;
    }

    @Override
    public void sync(int partition) {
        Set<Bytes> keys = unsynced.remove(partition); // a write completing meanwhile starts a new set
        if (keys == null) {
            return;
        }
        Map<Bytes, List<Versioned>> image = disk.computeIfAbsent(partition, p -> new ConcurrentHashMap<>());
        for (Bytes key : keys) {
            List<Versioned> versions = pageCache.get(partition, key);
            if (versions.isEmpty()) {
                image.remove(key);
            } else {
                image.put(key, versions);
            }
        }
    }

    @Override
    public void flush() {
        Set.copyOf(unsynced.keySet()).forEach(this::sync);
    }

    @Override
    public void forEach(int partition, BiConsumer<Bytes, List<Versioned>> action) {
        pageCache.forEach(partition, action);
    }

    @Override
    public void forEach(int partition, BiConsumer<Bytes, List<Versioned>> action,
            BiConsumer<Bytes, RuntimeException> unreadable) {
        pageCache.forEach(partition, action, unreadable);
    }

    @Override
    public boolean quarantine(int partition, Bytes key) {
        boolean moved = pageCache.quarantine(partition, key);
        if (moved) {
            written(partition, key);
            written(QUARANTINE_PARTITION, StorageEngine.quarantineKey(partition, key));
        }
        return moved;
    }

    @Override
    public Set<Integer> partitions() {
        return pageCache.partitions();
    }

    @Override
    public long size(int partition) {
        return pageCache.size(partition);
    }

    @Override
    public void dropPartition(int partition) {
        pageCache.dropPartition(partition);
        disk.remove(partition);
        unsynced.remove(partition);
    }

    @Override
    public void prepare(int partition) {
        pageCache.prepare(partition);
    }

    /** A clean close makes everything durable, as a persistent engine's does. */
    @Override
    public void close() {
        flush();
        pageCache.close();
    }
}
