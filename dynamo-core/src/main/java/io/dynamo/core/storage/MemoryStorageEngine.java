package io.dynamo.core.storage;

import static java.util.Objects.requireNonNull;

import io.dynamo.api.Bytes;
import io.dynamo.api.InvalidArgumentException;
import io.dynamo.api.Versioned;
import io.dynamo.api.codec.MalformedDataException;
import io.dynamo.api.codec.VersionedCodec;
import io.dynamo.spi.storage.StorageEngine;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.locks.ReadWriteLock;
import java.util.concurrent.locks.ReentrantReadWriteLock;
import java.util.function.BiConsumer;
import java.util.function.UnaryOperator;

/**
 * A storage engine that keeps everything on the heap: one {@link ConcurrentHashMap} per
 * partition. Nothing survives {@link #close()} or the process; for tests, in-process clusters
 * and caches. It cannot make a write durable, so it keeps the SPI's {@link #canSync()} false:
 * a node with {@code replication.sync=interval} or {@code always} over it refuses to start.
 *
 * <p>Each key's versions are kept encoded ({@link VersionedCodec}), as a persistent engine keeps
 * them, so that whatever the core stores must encode and decode again, and tests can plant
 * damaged bytes ({@link #putStoredBytes}) to see the core skip and quarantine them. A value that
 * does not decode is reported with {@link MalformedDataException} naming the partition and key.
 *
 * <p>An update is a {@link ConcurrentHashMap#compute}, which holds only the key's bin lock, so
 * updates of one key are serialized and updates of different keys run in parallel. A
 * read-write lock is taken in shared mode by every operation and exclusively only by
 * {@link #dropPartition} and {@link #close()}, so an update never lands in a partition map that
 * was just dropped (it would be lost) and nothing runs against a closed engine.
 */
public final class MemoryStorageEngine implements StorageEngine {
    private final Map<Integer, ConcurrentHashMap<Bytes, byte[]>> partitions = new ConcurrentHashMap<>();
    private final ReadWriteLock lifecycle = new ReentrantReadWriteLock();
    private boolean closed; // guarded by lifecycle

    @Override
    public List<Versioned> get(int partition, Bytes key) {
        checkPartition(partition);
        requireNonNull(key, "key is null");
        lockShared();
        try {
            Map<Bytes, byte[]> map = partitions.get(partition);
            byte[] stored = map == null ? null : map.get(key);
            return stored == null ? List.of() : decode(partition, key, stored);
        } finally {
            lifecycle.readLock().unlock();
        }
    }

    @Override
    public List<Versioned> update(int partition, Bytes key, UnaryOperator<List<Versioned>> update) {
        checkPartition(partition);
        requireNonNull(key, "key is null");
        requireNonNull(update, "update is null");
        lockShared();
        try {
            ConcurrentHashMap<Bytes, byte[]> map =
                    partitions.computeIfAbsent(partition, p -> new ConcurrentHashMap<>());
            List<Versioned>[] result = newResult();
            map.compute(key, (k, current) -> {
                List<Versioned> next = update.apply(current == null ? List.of() : decode(partition, key, current));
                requireNonNull(next, "the update function returned null");
                // copyOf: the caller's list may be mutable; the result never changes.
                result[0] = List.copyOf(next);
                return next.isEmpty() ? null : VersionedCodec.encode(next);
            });
            return result[0];
        } finally {
            lifecycle.readLock().unlock();
        }
    }

    @Override
    public void forEach(int partition, BiConsumer<Bytes, List<Versioned>> action) {
        checkPartition(partition);
        requireNonNull(action, "action is null");
        lockShared();
        try {
            Map<Bytes, byte[]> map = partitions.get(partition);
            if (map != null) {
                map.forEach((key, stored) -> action.accept(key, decode(partition, key, stored)));
            }
        } finally {
            lifecycle.readLock().unlock();
        }
    }

    @Override
    public void forEach(int partition, BiConsumer<Bytes, List<Versioned>> action,
            BiConsumer<Bytes, RuntimeException> unreadable) {
        checkPartition(partition);
        requireNonNull(action, "action is null");
        requireNonNull(unreadable, "unreadable is null");
        lockShared();
        try {
            Map<Bytes, byte[]> map = partitions.get(partition);
            if (map != null) {
                map.forEach((key, stored) -> {
                    List<Versioned> versions;
                    try {
                        versions = decode(partition, key, stored);
                    } catch (MalformedDataException e) {
                        unreadable.accept(key, e);
                        return;
                    }
                    action.accept(key, versions);
                });
            }
        } finally {
            lifecycle.readLock().unlock();
        }
    }

    @Override
    public boolean quarantine(int partition, Bytes key) {
        checkPartition(partition);
        requireNonNull(key, "key is null");
        lockShared();
        try {
            Map<Bytes, byte[]> map = partitions.get(partition);
            byte[] stored = map == null ? null : map.get(key);
            if (stored == null || readable(stored)) {
                return false;
            }
            // keep the bytes first: a crash between the two steps leaves a copy, never none
            partitions.computeIfAbsent(QUARANTINE_PARTITION, p -> new ConcurrentHashMap<>())
                    .put(StorageEngine.quarantineKey(partition, key), VersionedCodec.encode(StorageEngine.quarantined(stored)));
            return map.remove(key, stored);
        } finally {
            lifecycle.readLock().unlock();
        }
    }

    /**
     * Stores {@code stored} as the raw value of {@code key}, unchecked, as damage on a disk would
     * leave it: how tests show that the core skips and quarantines a value it cannot read.
     */
    public void putStoredBytes(int partition, Bytes key, byte[] stored) {
        checkPartition(partition);
        requireNonNull(key, "key is null");
        requireNonNull(stored, "stored is null");
        lockShared();
        try {
            partitions.computeIfAbsent(partition, p -> new ConcurrentHashMap<>()).put(key, stored.clone());
        } finally {
            lifecycle.readLock().unlock();
        }
    }

    private static List<Versioned> decode(int partition, Bytes key, byte[] stored) {
        try {
            return VersionedCodec.decode(stored);
        } catch (MalformedDataException e) {
            throw new MalformedDataException("the stored value of key " + key + " in partition " + partition
                    + " cannot be read: " + e.getMessage(), e);
        }
    }

    private static boolean readable(byte[] stored) {
        try {
            VersionedCodec.decode(stored);
            return true;
        } catch (MalformedDataException e) {
            return false;
        }
    }

    @SuppressWarnings("unchecked")
    private static List<Versioned>[] newResult() {
        return new List[1];
    }

    @Override
    public Set<Integer> partitions() {
        lockShared();
        try {
            Set<Integer> nonEmpty = new TreeSet<>();
            partitions.forEach((partition, map) -> {
                if (!map.isEmpty()) {
                    nonEmpty.add(partition);
                }
            });
            return Set.copyOf(nonEmpty);
        } finally {
            lifecycle.readLock().unlock();
        }
    }

    @Override
    public long size(int partition) {
        checkPartition(partition);
        lockShared();
        try {
            ConcurrentHashMap<Bytes, byte[]> map = partitions.get(partition);
            return map == null ? 0 : map.mappingCount();
        } finally {
            lifecycle.readLock().unlock();
        }
    }

    @Override
    public void dropPartition(int partition) {
        checkPartition(partition);
        lifecycle.writeLock().lock();
        try {
            checkOpen();
            partitions.remove(partition);
        } finally {
            lifecycle.writeLock().unlock();
        }
    }

    @Override
    public void close() {
        lifecycle.writeLock().lock();
        try {
            closed = true;
            partitions.clear();
        } finally {
            lifecycle.writeLock().unlock();
        }
    }

    @Override
    public String toString() {
        return "memory storage engine";
    }

    private void lockShared() {
        lifecycle.readLock().lock();
        if (closed) {
            lifecycle.readLock().unlock();
            throw new IllegalStateException("memory storage engine is closed");
        }
    }

    private void checkOpen() {
        if (closed) {
            throw new IllegalStateException("memory storage engine is closed");
        }
    }

    private static void checkPartition(int partition) {
        if (partition < 0) {
            throw new InvalidArgumentException("partition must not be negative: " + partition);
        }
    }
}
