package io.dynamo.storage.chronicle;

import static java.util.Objects.requireNonNull;

import io.dynamo.api.Bytes;
import io.dynamo.api.Versioned;
import io.dynamo.spi.storage.CorruptDataException;
import io.dynamo.spi.storage.StorageFullException;
import java.io.IOException;
import java.nio.file.Files;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.locks.ReentrantReadWriteLock;
import java.util.function.BiConsumer;
import java.util.function.UnaryOperator;
import net.openhft.chronicle.map.ChronicleMap;
import net.openhft.chronicle.map.ChronicleMapBuilder;

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
    private final PartitionFiles files;
    private final String entriesKey;
    private final ChronicleMap<byte[], byte[]> map;
    private final Manifest manifest;
    private final ReentrantReadWriteLock lifetime = new ReentrantReadWriteLock();
    private boolean closed;

    private PartitionMap(PartitionFiles files, String entriesKey, ChronicleMap<byte[], byte[]> map, Manifest manifest) {
        this.files = files;
        this.entriesKey = entriesKey;
        this.map = map;
        this.manifest = manifest;
    }

    /** Creates the files of a new partition, sized by {@code settings}. */
    static PartitionMap create(PartitionFiles files, ChronicleSettings settings, String entriesKey) {
        if (Files.exists(files.mapFile())) {
            throw new CorruptDataException(files.mapFile(), "exists without a manifest; refusing to reuse it", null);
        }
        Manifest creating = new Manifest(Manifest.State.CREATING, files.partition(),
                settings.entriesFor(files.partition()), settings.averageKeySize(), settings.averageValueSize(),
                settings.maxBloatFactor(), settings.segmentsFor(files.partition()), 0, 0, 0, 0);
        // Written first so that a crash during creation is recognised as such at the next start.
        files.writeManifest(creating);
        ChronicleMap<byte[], byte[]> map;
        try {
            map = builder(creating).createPersistedTo(files.mapFile().toFile());
        } catch (IOException e) {
            throw new CorruptDataException(files.mapFile(), "cannot create map file: " + e, e);
        }
        try {
            int headerLength = files.readHeaderLength();
            Manifest open = creating.created(headerLength, files.headerChecksum(headerLength), files.mapFileLength());
            files.writeManifest(open);
            return new PartitionMap(files, entriesKey, map, open);
        } catch (RuntimeException e) {
            map.close();
            throw e;
        }
    }

    /**
     * Opens a partition whose files passed {@link PartitionFiles#validate}: as it is after a
     * clean close, with Chronicle's recovery otherwise (the process died with the map open).
     */
    static PartitionMap open(PartitionFiles files, Manifest manifest, String entriesKey) {
        ChronicleMap<byte[], byte[]> map;
        try {
            map = manifest.state() == Manifest.State.CLEAN
                    ? builder(manifest).createPersistedTo(files.mapFile().toFile())
                    : builder(manifest).recoverPersistedTo(files.mapFile().toFile(), false);
        } catch (IOException | RuntimeException e) {
            throw new CorruptDataException(files.mapFile(), "Chronicle Map cannot "
                    + (manifest.state() == Manifest.State.CLEAN ? "open" : "recover") + " it: " + e, e);
        }
        try {
            Manifest open = manifest.withState(Manifest.State.OPEN);
            files.writeManifest(open);
            return new PartitionMap(files, entriesKey, map, open);
        } catch (RuntimeException e) {
            map.close();
            throw e;
        }
    }

    private static ChronicleMapBuilder<byte[], byte[]> builder(Manifest manifest) {
        return ChronicleMapBuilder.of(byte[].class, byte[].class)
                .name("dynamo-partition-" + manifest.partition())
                .entries(manifest.entries())
                .averageKeySize(manifest.averageKeySize())
                .averageValueSize(manifest.averageValueSize())
                .maxBloatFactor(manifest.maxBloatFactor())
                .actualSegments(manifest.segments());
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
            byte[] stored = map.getUsing(key.toByteArray(), reusable);
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
                throw full(key, e);
            } catch (IllegalArgumentException e) {
                // Chronicle: "Entry is too large: requires 8193 chunks, 4299 is maximum"
                if (outcome.callerFailure != null) {
                    throw e;
                }
                throw tooLarge(key, outcome.result, e);
            }
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
            return !closed && map.remove(key.toByteArray(), stored);
        } finally {
            lifetime.readLock().unlock();
        }
    }

    /** The number of keys; -1 when this map was closed meanwhile. */
    long size() {
        lifetime.readLock().lock();
        try {
            return closed ? -1 : map.longSize();
        } finally {
            lifetime.readLock().unlock();
        }
    }

    void flush() {
        lifetime.readLock().lock();
        try {
            if (!closed) {
                files.syncMapFile();
            }
        } finally {
            lifetime.readLock().unlock();
        }
    }

    /** Closes the map and marks it clean in its manifest. Idempotent. */
    void close() {
        lifetime.writeLock().lock();
        try {
            if (closed) {
                return;
            }
            closed = true;
            map.close();
            files.syncMapFile();
            files.writeManifest(manifest.closedCleanly(files.mapFileLength()));
        } finally {
            lifetime.writeLock().unlock();
        }
    }

    /** Closes the map and deletes its files; a crash half-way is finished at the next start. */
    void drop() {
        lifetime.writeLock().lock();
        try {
            if (!closed) {
                closed = true;
                files.writeManifest(manifest.withState(Manifest.State.DROPPING));
                map.close();
            }
            files.deleteAll();
        } finally {
            lifetime.writeLock().unlock();
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

    private StorageFullException full(Bytes key, IllegalStateException cause) {
        return new StorageFullException("partition " + files.partition() + " (" + files.mapFile() + ", sized for "
                + manifest.entries() + " entries) cannot take key " + key + ": " + cause.getMessage()
                + ". Raise chronicle." + entriesKey + " (or chronicle." + ChronicleSettings.MAX_BLOAT_FACTOR
                + ") for new partitions; this partition keeps serving reads", cause);
    }

    private StorageFullException tooLarge(Bytes key, List<Versioned> versions, IllegalArgumentException cause) {
        long bytes = versions == null ? -1 : StoredValues.encode(versions).length;
        return new StorageFullException("partition " + files.partition() + " (" + files.mapFile() + ", "
                + manifest.segments() + " segment(s)) cannot store the " + bytes + " bytes of key " + key + ": "
                + cause.getMessage() + ". Raise chronicle." + ChronicleSettings.MAX_ENTRY_SIZE
                + " for new partitions; this partition keeps serving reads", cause);
    }

    /** What happened inside Chronicle's compute. */
    private static final class Outcome {
        List<Versioned> result;
        RuntimeException callerFailure;
    }
}
