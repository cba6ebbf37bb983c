package io.dynamo.core.storage;

import static java.util.Objects.requireNonNull;

import io.dynamo.api.Bytes;
import io.dynamo.api.InvalidArgumentException;
import io.dynamo.api.Versioned;
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
 * and caches.
 *
 * <p>An update is a {@link ConcurrentHashMap#compute}, which holds only the key's bin lock, so
 * updates of one key are serialized and updates of different keys run in parallel. A
 * read-write lock is taken in shared mode by every operation and exclusively only by
 * {@link #dropPartition} and {@link #close()}, so an update never lands in a partition map that
 * was just dropped (it would be lost) and nothing runs against a closed engine.
 */
public final class MemoryStorageEngine implements StorageEngine {
    private final Map<Integer, ConcurrentHashMap<Bytes, List<Versioned>>> partitions = new ConcurrentHashMap<>();
    private final ReadWriteLock lifecycle = new ReentrantReadWriteLock();
    private boolean closed; // guarded by lifecycle

    @Override
    public List<Versioned> get(int partition, Bytes key) {
        checkPartition(partition);
        requireNonNull(key, "key is null");
        lockShared();
        try {
            Map<Bytes, List<Versioned>> map = partitions.get(partition);
            List<Versioned> versions = map == null ? null : map.get(key);
            return versions == null ? List.of() : versions;
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
            ConcurrentHashMap<Bytes, List<Versioned>> map =
                    partitions.computeIfAbsent(partition, p -> new ConcurrentHashMap<>());
            List<Versioned> stored = map.compute(key, (k, current) -> {
                List<Versioned> next = update.apply(current == null ? List.of() : current);
                requireNonNull(next, "the update function returned null");
                // copyOf: the caller's list may be mutable; stored lists never change.
                return next.isEmpty() ? null : List.copyOf(next);
            });
            return stored == null ? List.of() : stored;
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
            Map<Bytes, List<Versioned>> map = partitions.get(partition);
            if (map != null) {
                map.forEach(action);
            }
        } finally {
            lifecycle.readLock().unlock();
        }
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
            ConcurrentHashMap<Bytes, List<Versioned>> map = partitions.get(partition);
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
