package io.dynamo.storage.chronicle;

import static java.util.Objects.requireNonNull;

import io.dynamo.api.Bytes;
import io.dynamo.api.DynamoException;
import io.dynamo.api.Versioned;
import io.dynamo.spi.storage.CorruptDataException;
import io.dynamo.spi.storage.StorageFullException;
import java.io.IOException;
import java.io.RandomAccessFile;
import java.io.UncheckedIOException;
import java.nio.channels.FileChannel;
import java.nio.file.StandardOpenOption;
import java.nio.file.Files;
import java.util.Iterator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.ReentrantReadWriteLock;
import java.util.function.BiConsumer;
import java.util.function.UnaryOperator;
import net.openhft.chronicle.core.Jvm;
import net.openhft.chronicle.core.onoes.ExceptionHandler;
import net.openhft.chronicle.core.onoes.ThreadLocalisedExceptionHandler;
import net.openhft.chronicle.hash.ChronicleHashCorruption;
import net.openhft.chronicle.hash.impl.util.jna.PosixFallocate;
import net.openhft.chronicle.map.ChronicleMap;
import net.openhft.chronicle.map.ChronicleMapBuilder;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One partition: a persisted {@code byte[] → byte[]} Chronicle Map (key bytes → stored versions,
 * see {@link StoredValues}) and its manifest.
 *
 * <p>The read/write lock only guards the map's lifetime: every operation takes the shared side,
 * {@link #close} and {@link #drop} the exclusive side, so a map is never closed under a running
 * operation. Updates of keys are serialized by Chronicle's own per-key (segment) locks. An
 * operation on a map that was closed returns {@code null}, telling the engine to look again.
 */
final class PartitionMap {
    private static final Logger LOG = LoggerFactory.getLogger(PartitionMap.class);
    private static final boolean LINUX = System.getProperty("os.name", "").toLowerCase(Locale.ROOT).contains("linux");

    private final PartitionFiles files;
    private final String entriesKey;
    private final ChronicleMap<byte[], byte[]> map;
    private final Manifest manifest;
    private final FreeSpaceFloor floor;
    private final ReentrantReadWriteLock lifetime = new ReentrantReadWriteLock();
    private boolean closed;
    /**
     * The map file may have blocks the file system never allocated: Chronicle lengthens the file
     * before it checks for space, so a tier it failed to add leaves a hole that the next tier
     * allocation maps without allocating, and a write into it faults (SIGBUS) on a full disk.
     * Counted here; writes are refused until {@link #allocateBlocks} has caught up with the count.
     */
    private final AtomicLong growthFailures = new AtomicLong();
    /** The value of {@link #growthFailures} when the file's blocks were last all allocated. */
    private volatile long backedAfter;
    /**
     * Group commit: {@link #written} counts completed writes; {@link #synced} is the count the last
     * completed force started after. A caller of {@link #sync} whose writes are counted waits for
     * a force that started after them, sharing it with everyone else waiting (see {@link #sync}).
     */
    private final AtomicLong written = new AtomicLong();
    private volatile long synced;
    private final AtomicLong forces = new AtomicLong();
    /** Held while forcing; callers that queue on it find their writes covered by the force they waited for. */
    private final Object forcing = new Object();
    /** Opened on the first sync and kept (an open and a close per force would cost more than the force of a clean file). */
    private FileChannel syncChannel;

    private PartitionMap(PartitionFiles files, String entriesKey, ChronicleMap<byte[], byte[]> map, Manifest manifest,
            FreeSpaceFloor floor) {
        this.files = files;
        this.entriesKey = entriesKey;
        this.map = map;
        this.manifest = manifest;
        this.floor = floor;
    }

    /**
     * Creates the files of a new partition, sized by {@code settings}. Chronicle allocates the
     * whole file's blocks at creation (on Linux: {@code fallocate}); a creation refused for lack
     * of space leaves nothing behind.
     */
    static PartitionMap create(PartitionFiles files, ChronicleSettings settings, String entriesKey,
            FreeSpaceFloor floor) {
        if (Files.exists(files.mapFile())) {
            throw new CorruptDataException(files.mapFile(), "exists without a manifest; refusing to reuse it", null);
        }
        floor.check();
        Manifest creating = new Manifest(Manifest.State.CREATING, files.partition(),
                settings.entriesFor(files.partition()), settings.averageKeySize(), settings.averageValueSize(),
                settings.maxBloatFactor(), settings.segmentsFor(files.partition()), 0, 0, 0, 0);
        // Written first so that a crash during creation is recognised as such at the next start.
        try {
            files.writeManifest(creating);
        } catch (UncheckedIOException e) {
            throw removedAfterFailedCreation(files, floor, e);
        }
        ChronicleMap<byte[], byte[]> map;
        try {
            map = builder(creating).createPersistedTo(files.mapFile().toFile());
        } catch (IOException | RuntimeException e) {
            throw removedAfterFailedCreation(files, floor, e);
        }
        try {
            int headerLength = files.readHeaderLength();
            Manifest open = creating.created(headerLength, files.headerChecksum(headerLength), files.mapFileLength());
            files.writeManifest(open);
            return new PartitionMap(files, entriesKey, map, open, floor);
        } catch (RuntimeException e) {
            closeQuietly(map, e);
            throw removedAfterFailedCreation(files, floor, e);
        }
    }

    /**
     * Deletes what a failed creation left (its manifest still says {@code CREATING}, so nothing
     * was stored in it) and says why it failed: for lack of space, a {@link StorageFullException}.
     */
    private static RuntimeException removedAfterFailedCreation(PartitionFiles files, FreeSpaceFloor floor,
            Exception cause) {
        try {
            files.deleteAll();
        } catch (RuntimeException e) {
            cause.addSuppressed(e);
        }
        long free = floor.usableNow();
        if (free < floor.floor() || mentionsSpace(cause)) {
            return new StorageFullException("disk full: cannot create partition " + files.partition() + " ("
                    + files.mapFile().getFileName() + "): " + floor.describe(free), cause);
        }
        return cause instanceof RuntimeException runtime
                ? runtime
                : new CorruptDataException(files.mapFile(), "cannot create map file: " + cause, cause);
    }

    /**
     * Opens a partition whose files passed {@link PartitionFiles#validate}: as it is after a
     * clean close, with Chronicle's recovery otherwise (the process died with the map open).
     * Corruption Chronicle reports while recovering goes to {@code corruptions}, not to its log.
     */
    static PartitionMap open(PartitionFiles files, Manifest manifest, String entriesKey, FreeSpaceFloor floor,
            ChronicleHashCorruption.Listener corruptions) {
        ChronicleMap<byte[], byte[]> map;
        try {
            map = manifest.state() == Manifest.State.CLEAN
                    ? builder(manifest).createPersistedTo(files.mapFile().toFile())
                    : recover(files, manifest, corruptions);
        } catch (IOException | RuntimeException e) {
            throw new CorruptDataException(files.mapFile(), "Chronicle Map cannot "
                    + (manifest.state() == Manifest.State.CLEAN ? "open" : "recover") + " it: " + e, e);
        }
        try {
            Manifest open = manifest.withState(Manifest.State.OPEN);
            files.writeManifest(open);
            PartitionMap opened = new PartitionMap(files, entriesKey, map, open, floor);
            // A tier Chronicle failed to add before the last stop may have left a hole.
            opened.growthFailures.incrementAndGet();
            opened.allocateBlocks();
            return opened;
        } catch (RuntimeException e) {
            closeQuietly(map, e);
            throw e;
        }
    }

    /**
     * Chronicle's recovery, with its warnings ("Recovery operation needs exclusive access…", "Do
     * not use recovery as a standard way…", two per map) moved to DEBUG on this thread only while
     * it runs: the engine holds the directory lock, so access is exclusive, and it summarises the
     * recovery in one line. Chronicle's errors stay visible.
     */
    private static ChronicleMap<byte[], byte[]> recover(PartitionFiles files, Manifest manifest,
            ChronicleHashCorruption.Listener corruptions) throws IOException {
        ExceptionHandler warn = Jvm.warn();
        ThreadLocalisedExceptionHandler scoped =
                warn instanceof ThreadLocalisedExceptionHandler local ? local : null;
        if (scoped != null) {
            scoped.threadLocalHandler((logger, message, thrown) ->
                    LOG.debug("Recovering {}: Chronicle says: {}", files.mapFile(), message, thrown));
        }
        try {
            return builder(manifest).recoverPersistedTo(files.mapFile().toFile(), false, corruptions);
        } finally {
            if (scoped != null) {
                scoped.resetThreadLocalHandler();
            }
        }
    }

    private static ChronicleMapBuilder<byte[], byte[]> builder(Manifest manifest) {
        return ChronicleMapBuilder.of(byte[].class, byte[].class)
                .name("dynamo-partition-" + manifest.partition())
                .entries(manifest.entries())
                .averageKeySize(manifest.averageKeySize())
                .averageValueSize(manifest.averageValueSize())
                .maxBloatFactor(manifest.maxBloatFactor())
                .actualSegments(manifest.segments())
                // The engine closes its maps; Chronicle's own exit hook would race it (see close).
                .skipCloseOnExitHook(true);
    }

    PartitionFiles files() {
        return files;
    }

    /**
     * The versions of {@code key}, or {@code null} when this map was closed meanwhile.
     * {@code readBuffers} holds, per reading thread, the last array a value was read into:
     * Chronicle refills it when the next value has the same length, so a read allocates no array
     * for the stored bytes. Safe because decoding copies everything it keeps out of the array.
     * The engine passes one for all its partitions: a thread-local per partition would make
     * every thread's lookup table hold hundreds of entries.
     */
    List<Versioned> get(Bytes key, ThreadLocal<byte[]> readBuffers) {
        lifetime.readLock().lock();
        try {
            if (closed) {
                return null;
            }
            byte[] reusable = readBuffers.get();
            byte[] stored;
            try {
                stored = map.getUsing(key.toByteArray(), reusable);
            } catch (InternalError e) {
                throw faulted("read key " + shortened(key), e);
            }
            if (stored == null) {
                return List.of();
            }
            if (stored != reusable) {
                readBuffers.set(stored);
            }
            return decode(key, stored);
        } finally {
            lifetime.readLock().unlock();
        }
    }

    /** See {@link io.dynamo.spi.storage.StorageEngine#update}; {@code null} when closed meanwhile. */
    List<Versioned> update(Bytes key, UnaryOperator<List<Versioned>> update) {
        lifetime.readLock().lock();
        try {
            if (closed) {
                return null;
            }
            if (isUnbacked() && !allocateBlocks()) {
                throw new StorageFullException("disk full: partition " + files.partition() + " ("
                        + files.mapFile().getFileName() + ") cannot take writes until its file's blocks are allocated: "
                        + floor.describe(floor.usableNow()), null);
            }
            Outcome outcome = new Outcome();
            try {
                // compute runs the function once, holding this key's segment update lock.
                map.compute(key.toByteArray(), (ignored, stored) -> {
                    List<Versioned> current = stored == null ? List.of() : decode(key, stored);
                    List<Versioned> next;
                    try {
                        next = List.copyOf(requireNonNull(update.apply(current), "update returned null"));
                    } catch (RuntimeException e) {
                        outcome.callerFailure = e;
                        throw e;
                    }
                    outcome.result = next;
                    return next.isEmpty() ? null : StoredValues.encode(next);
                });
            } catch (IllegalStateException e) {
                // Chronicle: "Attempt to allocate #33 extra segment tier, 32 is maximum"
                if (outcome.callerFailure != null) {
                    throw e;
                }
                if (mentionsSpace(e)) {
                    throw couldNotGrow(key, e);
                }
                throw full(key, e);
            } catch (IllegalArgumentException e) {
                // Chronicle: "Entry is too large: requires 8193 chunks, 4299 is maximum"
                if (outcome.callerFailure != null) {
                    throw e;
                }
                throw tooLarge(key, outcome.result, e);
            } catch (DynamoException e) {
                throw e; // a stored value that cannot be read, or the caller's own failure
            } catch (RuntimeException e) {
                // Chronicle: RuntimeException("ChronicleMap{name=..}") caused by an IOException
                // "Not enough space to fallocate 2 MiB": the file was lengthened, a tier not added.
                if (outcome.callerFailure != null || !mentionsSpace(e)) {
                    throw e;
                }
                throw couldNotGrow(key, e);
            } catch (InternalError e) {
                throw faulted("write key " + shortened(key), e);
            }
            written.incrementAndGet(); // after the write is in the mapped pages: a sync from now on covers it
            return outcome.result;
        } finally {
            lifetime.readLock().unlock();
        }
    }

    /** Visits every key; returns false when this map was closed meanwhile. */
    boolean forEach(BiConsumer<Bytes, List<Versioned>> action) {
        return forEach(action, (key, failure) -> {
            throw failure;
        });
    }

    /**
     * Visits every key, passing one whose value cannot be read to {@code unreadable} and going
     * on; returns false when this map was closed meanwhile.
     */
    boolean forEach(BiConsumer<Bytes, List<Versioned>> action, BiConsumer<Bytes, RuntimeException> unreadable) {
        lifetime.readLock().lock();
        try {
            if (closed) {
                return false;
            }
            // Chronicle's iterator copies one segment at a time and holds no lock while the action runs.
            Iterator<Map.Entry<byte[], byte[]>> entries = map.entrySet().iterator();
            while (entries.hasNext()) {
                Map.Entry<byte[], byte[]> entry = entries.next();
                Bytes key = Bytes.wrapOwned(entry.getKey());
                List<Versioned> versions;
                try {
                    versions = decode(key, entry.getValue());
                } catch (CorruptDataException e) {
                    unreadable.accept(key, e);
                    continue;
                }
                action.accept(key, versions);
            }
            return true;
        } finally {
            lifetime.readLock().unlock();
        }
    }

    /** The stored bytes of {@code key} when they cannot be read; null when absent, readable or closed. */
    byte[] unreadableBytes(Bytes key) {
        lifetime.readLock().lock();
        try {
            if (closed) {
                return null;
            }
            byte[] stored = map.get(key.toByteArray());
            if (stored == null) {
                return null;
            }
            try {
                StoredValues.decode(stored);
                return null;
            } catch (RuntimeException e) {
                return stored;
            }
        } finally {
            lifetime.readLock().unlock();
        }
    }

    /** Removes {@code key} if it still holds exactly {@code stored}; false otherwise or when closed. */
    boolean remove(Bytes key, byte[] stored) {
        lifetime.readLock().lock();
        try {
            boolean removed = !closed && map.remove(key.toByteArray(), stored);
            if (removed) {
                written.incrementAndGet();
            }
            return removed;
        } finally {
            lifetime.readLock().unlock();
        }
    }

    /** The number of keys; -1 when this map was closed meanwhile. */
    /** The map file's length in bytes, 0 when it is gone (dropped meanwhile). */
    long fileLength() {
        return files.mapFile().toFile().length();
    }

    long size() {
        lifetime.readLock().lock();
        try {
            return closed ? -1 : map.longSize();
        } finally {
            lifetime.readLock().unlock();
        }
    }

    /**
     * Makes every write to this map completed before the call durable: forces the map file's
     * dirty pages to the device ({@link FileChannel#force}{@code (false)}, i.e. {@code fdatasync}:
     * on Linux it writes back the pages Chronicle dirtied through its {@code MAP_SHARED} mappings
     * of the file, every segment tier included, and the file's length when a tier lengthened it).
     *
     * <p>Group commit: nothing to do when no write completed since the last force started; else
     * one caller at a time forces, the others queue, and a caller that gets its turn returns at
     * once if the force it waited for started after its writes. So concurrent writers of one
     * partition share forces: at most two forces per caller's wait, however many callers.
     * Returns false when the map was closed meanwhile (a close syncs the file itself; a drop
     * deleted it).
     */
    boolean sync() {
        long target = written.get();
        if (synced >= target) {
            return true;
        }
        lifetime.readLock().lock();
        try {
            if (closed) {
                return false;
            }
            synchronized (forcing) {
                if (synced >= target) {
                    return true; // the force this caller waited for covered its writes
                }
                long covering = written.get(); // every write counted here is in the mapped pages
                try {
                    if (syncChannel == null) {
                        syncChannel = FileChannel.open(files.mapFile(), StandardOpenOption.WRITE);
                    }
                    syncChannel.force(false);
                } catch (IOException e) {
                    throw new UncheckedIOException("cannot sync " + files.mapFile() + " (partition " + files.partition()
                            + "): the writes since its last sync are not known to be durable", e);
                }
                forces.incrementAndGet();
                synced = covering;
                return true;
            }
        } finally {
            lifetime.readLock().unlock();
        }
    }

    /** Completed writes, and the forces {@link #sync} made: for tests of group commit. */
    long writes() {
        return written.get();
    }

    long forces() {
        return forces.get();
    }

    /** The count of writes the last completed force covers. */
    long syncedThrough() {
        return synced;
    }

    /** Closes the channel {@link #sync} kept; called holding the write side of the lifetime lock. */
    private void closeSyncChannel() {
        synchronized (forcing) {
            if (syncChannel != null) {
                try {
                    syncChannel.close();
                } catch (IOException e) {
                    LOG.debug("Closing the sync channel of {} failed: {}", files.mapFile(), e.toString());
                }
                syncChannel = null;
            }
        }
    }

    /**
     * Closes the map and marks it clean in its manifest. Waits for running operations until
     * {@code deadline} ({@link System#nanoTime}); returns false when the map could not be closed
     * cleanly in time (then its manifest stays {@code OPEN} and the next start recovers it, which
     * loses nothing). Idempotent; never throws, so that a stop always completes.
     */
    boolean close(long deadline) {
        if (!lockForClose(deadline)) {
            LOG.warn("Partition {} ({}) is still in use; left open, the next start recovers it",
                    files.partition(), files.mapFile());
            return false;
        }
        try {
            if (closed) {
                return true;
            }
            closed = true;
            closeSyncChannel();
            try {
                map.close();
            } catch (RuntimeException | InternalError e) {
                LOG.warn("Closing partition {} ({}) failed, the next start recovers it: {}", files.partition(),
                        files.mapFile(), e.toString());
                return false;
            }
            try {
                files.syncMapFile();
                files.writeManifest(manifest.closedCleanly(files.mapFileLength()));
                return true;
            } catch (UncheckedIOException e) {
                LOG.warn("Partition {} ({}) closed, but not marked clean (the next start recovers it): {}",
                        files.partition(), files.mapFile(), e.getCause() == null ? e : e.getCause());
                return false;
            }
        } finally {
            lifetime.writeLock().unlock();
        }
    }

    /**
     * Lets go of the map as the death of the process would: unmaps it (its pages stay in the
     * operating system's cache, as after a kill) without syncing it or marking it clean, so the
     * next open recovers it. For crash tests.
     */
    void abandonAsACrashWould() {
        lifetime.writeLock().lock();
        try {
            if (!closed) {
                closed = true;
                closeSyncChannel();
                map.close();
            }
        } finally {
            lifetime.writeLock().unlock();
        }
    }

    private boolean lockForClose(long deadline) {
        try {
            return lifetime.writeLock().tryLock(Math.max(0, deadline - System.nanoTime()), TimeUnit.NANOSECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return lifetime.writeLock().tryLock();
        }
    }

    /** Closes the map and deletes its files; a crash half-way is finished at the next start. */
    void drop() {
        lifetime.writeLock().lock();
        try {
            if (!closed) {
                closed = true;
                closeSyncChannel();
                files.writeManifest(manifest.withState(Manifest.State.DROPPING));
                map.close();
            }
            files.deleteAll();
        } finally {
            lifetime.writeLock().unlock();
        }
    }

    private boolean isUnbacked() {
        return growthFailures.get() != backedAfter;
    }

    /**
     * Allocates every block of the map file without changing a byte ({@code fallocate} mode 0:
     * a hole reads as zeros and stays zeros), so that no write through the mapping can fault.
     * Returns true when the file has no hole left from before this call.
     */
    private synchronized boolean allocateBlocks() {
        long failures = growthFailures.get();
        if (failures == backedAfter) {
            return true;
        }
        if (LINUX) {
            long length = 0;
            try (RandomAccessFile file = new RandomAccessFile(files.mapFile().toFile(), "rw")) {
                length = file.length();
                PosixFallocate.fallocate(file.getFD(), 0, length);
            } catch (IOException | RuntimeException e) {
                if (floor.usableNow() < floor.floor() + length) {
                    return false; // perhaps for lack of space (the hole may be the whole file): refused until there is
                }
                // room for the whole file above the floor, so not for lack of space (a file system
                // without fallocate?): nothing to wait for
                LOG.warn("Cannot allocate the blocks of {} ({}); writes go on", files.mapFile(), e.toString());
            }
        } // elsewhere Chronicle allocates nothing itself either: nothing more to do
        backedAfter = failures;
        return true;
    }

    /** Chronicle could not add a tier for lack of space; the file may now have a hole. */
    private StorageFullException couldNotGrow(Bytes key, RuntimeException cause) {
        growthFailures.incrementAndGet();
        return new StorageFullException("disk full: partition " + files.partition() + " ("
                + files.mapFile().getFileName() + ") could not grow to take key " + shortened(key) + ": "
                + floor.describe(floor.usableNow()), cause);
    }

    /** A key for a one-line message: keys may be long. */
    private static String shortened(Bytes key) {
        String text = key.toString();
        return text.length() <= 80 ? text : text.substring(0, 72) + "… (" + key.length() + " bytes)";
    }

    /** A fault on the mapped file (SIGBUS): a page the file system could not allocate. */
    private StorageFullException faulted(String what, InternalError cause) {
        growthFailures.incrementAndGet();
        return new StorageFullException("disk full: could not " + what + " in partition " + files.partition() + " ("
                + files.mapFile().getFileName() + "), a page of its file could not be allocated: "
                + floor.describe(floor.usableNow()), cause);
    }

    private static boolean mentionsSpace(Throwable failure) {
        for (Throwable t = failure; t != null; t = t.getCause()) {
            if (t instanceof IOException) {
                return true; // Chronicle's growth does no I/O but lengthening and allocating the file
            }
        }
        return false;
    }

    private static void closeQuietly(ChronicleMap<byte[], byte[]> map, Exception failure) {
        try {
            map.close();
        } catch (RuntimeException e) {
            failure.addSuppressed(e);
        }
    }

    private List<Versioned> decode(Bytes key, byte[] stored) {
        try {
            return StoredValues.decode(stored);
        } catch (RuntimeException e) {
            throw new CorruptDataException(files.mapFile(), "the stored value of key " + key + " in partition "
                    + files.partition() + " cannot be read: " + e.getMessage(), e);
        }
    }

    /** One line: Chronicle's own message spans many lines and dumps the map's internals. */
    private StorageFullException full(Bytes key, IllegalStateException cause) {
        return new StorageFullException("partition " + files.partition() + " is full (" + files.mapFile().getFileName()
                + ", sized for " + manifest.entries() + " entries, no segment tier left) and cannot take key "
                + shortened(key)
                + ": raise chronicle." + entriesKey + " (or chronicle." + ChronicleSettings.MAX_BLOAT_FACTOR
                + ") for new partitions; reads go on", cause);
    }

    private StorageFullException tooLarge(Bytes key, List<Versioned> versions, IllegalArgumentException cause) {
        long bytes = versions == null ? -1 : StoredValues.encode(versions).length;
        return new StorageFullException("partition " + files.partition() + " (" + files.mapFile().getFileName() + ", "
                + manifest.segments() + " segment(s)) cannot store the " + bytes + " bytes of key " + shortened(key)
                + " in one segment tier: raise chronicle." + ChronicleSettings.MAX_ENTRY_SIZE
                + " for new partitions; reads go on", cause);
    }

    /** What happened inside Chronicle's compute. */
    private static final class Outcome {
        List<Versioned> result;
        RuntimeException callerFailure;
    }
}
