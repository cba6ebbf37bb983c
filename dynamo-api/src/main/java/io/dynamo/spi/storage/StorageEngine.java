package io.dynamo.spi.storage;

import io.dynamo.api.Bytes;
import io.dynamo.api.VectorClock;
import io.dynamo.api.Versioned;
import io.dynamo.api.codec.BytesOut;
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
 * {@link #update} survive a crash of the process (not necessarily of the machine); those that
 * {@linkplain #canSync can sync} make it survive a crash of the machine once {@link #sync} returns.
 *
 * <p>Errors: {@link StorageFullException} when the engine cannot take a write (the message names
 * the setting to raise); {@link CorruptDataException} (or, for engines without files,
 * {@link io.dynamo.api.codec.MalformedDataException}) naming the partition and key when one
 * stored value cannot be read. Neither ever loses data silently.
 *
 * <p><b>Unreadable values.</b> One damaged value must never block the rest: {@link #forEach(int,
 * BiConsumer, BiConsumer)} reports it and goes on, and {@link #quarantine} moves its bytes, as
 * they are, to {@link #QUARANTINE_PARTITION}, so the key reads as absent and its replicas can
 * write it again while the bytes stay for an operator to inspect.
 */
public interface StorageEngine extends AutoCloseable {
    /** Where the core keeps hinted writes meant for other nodes. */
    int HINTS_PARTITION = Integer.MAX_VALUE;

    /**
     * Where {@link #quarantine} keeps unreadable values: under {@link #quarantineKey}, as one
     * version with an empty clock whose value is the stored bytes, unchanged.
     */
    int QUARANTINE_PARTITION = Integer.MAX_VALUE - 2;

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

    /**
     * Like {@link #forEach(int, BiConsumer)}, but a key whose stored value cannot be read does
     * not end the scan: it is passed to {@code unreadable} with the exception saying why (the
     * file, partition and key), and the scan goes on. Neither callback may call {@link #update}
     * on this partition. Default: {@link #forEach(int, BiConsumer)}, for engines whose values are
     * always readable.
     */
    default void forEach(int partition, BiConsumer<Bytes, List<Versioned>> action,
            BiConsumer<Bytes, RuntimeException> unreadable) {
        forEach(partition, action);
    }

    /**
     * Moves the stored value of {@code key}, if it cannot be read, out of {@code partition}
     * unchanged: to {@link #QUARANTINE_PARTITION} under {@link #quarantineKey} (replacing what an
     * earlier quarantine of the key kept there). Afterwards the key is absent from
     * {@code partition}. Returns true when it moved something, false when the key is absent or
     * its value reads fine. Default: false, for engines whose values are always readable.
     */
    default boolean quarantine(int partition, Bytes key) {
        return false;
    }

    /** The key under which {@link #quarantine} keeps {@code key} of {@code partition}: varint partition, then the key. */
    static Bytes quarantineKey(int partition, Bytes key) {
        BytesOut out = new BytesOut(key.length() + 8);
        out.writeVarInt(partition).writeBytes(key);
        return Bytes.wrapOwned(out.toByteArray());
    }

    /** What {@link #quarantine} stores: the unreadable bytes as the value of one version with an empty clock. */
    static List<Versioned> quarantined(byte[] storedBytes) {
        return List.of(Versioned.of(VectorClock.EMPTY, Bytes.wrapOwned(storedBytes)));
    }

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

    /**
     * Whether {@link #sync} makes writes survive a crash of the operating system or a power loss.
     * The core refuses to start a node whose durable-write policy ({@code sync=interval} or
     * {@code always}) it could not keep, naming the setting. Default: false, so an engine that
     * keeps data in memory only, or one built before SPI 4 whose {@link #flush} the core cannot
     * vouch for, is never taken for durable. Cheap and constant. Since SPI 4.
     */
    default boolean canSync() {
        return false;
    }

    /**
     * Makes every {@link #update} of {@code partition} that completed before this call durable
     * against a crash of the operating system or a power loss (for a memory-mapped file: its dirty
     * pages forced to the device), then returns. Updates of other partitions may be made durable
     * too. Thread-safe; engines should let concurrent callers for one partition share one force
     * (group commit). A partition that does not exist is already durable. Throws
     * {@link java.io.UncheckedIOException} when the device refuses: the caller must then not
     * acknowledge the writes it was syncing. Called only when {@link #canSync()} is true.
     * Default: {@link #flush()}, which an engine that declares {@link #canSync()} and keeps every
     * partition in one file may keep. Since SPI 4.
     */
    default void sync(int partition) {
        flush();
    }

    /**
     * The bytes the engine's data takes (its files, for a persistent engine), or -1 when it
     * cannot say (the default). Read when the node's metrics are scraped
     * ({@code dynamo_storage_size_bytes}): cheap, thread-safe, never blocking on a write. Since SPI 3.
     */
    default long bytesUsed() {
        return -1;
    }

    /** Flushes and releases files, locks and memory. Idempotent. */
    @Override
    void close();
}
