package io.dynamo.spi.storage;

import io.dynamo.api.Bytes;
import io.dynamo.api.Versioned;
import java.util.List;
import java.util.Set;
import java.util.function.BiConsumer;
import java.util.function.UnaryOperator;

/**
 * A node's local store of key → versions (the siblings of a key), kept per partition.
 *
 * <p>The core owns causality: it decides which versions to keep and passes them whole to
 * {@link #update}. The engine stores them faithfully and keeps partitions apart, so that
 * scanning or dropping one partition costs in proportion to that partition.
 *
 * <p>Partition ids are non-negative ints chosen by the core: {@code [0, Q)} hold data, and the
 * core keeps its own durable records (hinted writes) in {@link #HINTS_PARTITION}. Engines treat
 * every id alike.
 *
 * <p>Thread-safe: every method may be called concurrently, except {@link #close()}, after which
 * every other method throws {@link IllegalStateException}. Persistent engines make a completed
 * {@link #update} survive a crash of the process (not necessarily of the machine).
 *
 * <p>Errors: {@link StorageFullException} when the engine cannot take a write (the message names
 * the setting to raise); {@link CorruptDataException} naming the file when stored data cannot be
 * read. Neither ever loses data silently.
 */
public interface StorageEngine extends AutoCloseable {
    /** Where the core keeps hinted writes meant for other nodes. */
    int HINTS_PARTITION = Integer.MAX_VALUE;

    /** The stored versions of {@code key}, or an empty list. */
    List<Versioned> get(int partition, Bytes key);

    /**
     * Atomically replaces the versions of {@code key} with {@code update.apply(current)}
     * ({@code current} is empty when the key is absent); an empty result removes the key.
     * Returns the new versions. The function runs exactly once, holding only this key's lock:
     * it must be quick, free of side effects, and must not call the engine. Concurrent updates
     * of one key are serialized; updates of different keys may run in parallel.
     */
    List<Versioned> update(int partition, Bytes key, UnaryOperator<List<Versioned>> update);

    /**
     * Calls {@code action} for every key of the partition, without loading the partition on
     * the heap. Weakly consistent: concurrent writes may or may not be seen. The action must
     * not call {@link #update} on this partition.
     */
    void forEach(int partition, BiConsumer<Bytes, List<Versioned>> action);

    /** The partitions that hold at least one key (including {@link #HINTS_PARTITION} when it does). */
    Set<Integer> partitions();

    /** The number of keys in the partition. */
    long size(int partition);

    /** Removes the partition and every key in it; a persistent engine deletes its files. */
    void dropPartition(int partition);

    /**
     * Creates ahead of time whatever the engine keeps per partition (e.g. a file), so that the
     * first write to the partition does not pay for it. The core calls it at start for every
     * partition the node replicates, before serving. Idempotent; the partition stays empty (it
     * is not listed by {@link #partitions()} until it holds a key). Default: nothing to prepare.
     */
    default void prepare(int partition) {}

    /** Makes every completed update durable on disk (a no-op for engines without files). */
    default void flush() {}

    /** Flushes and releases files, locks and memory. Idempotent. */
    @Override
    void close();
}
