package io.dynamo.storage.chronicle;

import static java.util.Objects.requireNonNull;

import io.dynamo.api.Bytes;
import io.dynamo.api.Versioned;
import io.dynamo.spi.storage.CorruptDataException;
import io.dynamo.spi.storage.StorageEngine;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.BiConsumer;
import java.util.function.UnaryOperator;
import net.openhft.chronicle.hash.ChronicleHashCorruption;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The {@code chronicle} storage engine: one persisted Chronicle Map per partition under one
 * directory, each with a manifest the engine checks before Chronicle ever sees the file.
 *
 * <p>At start the engine locks the directory, validates every partition's files (so a damaged
 * file stops the node at once, naming it), then opens each map — or recovers it when its
 * manifest says the process died with it open. New partitions are created by {@link #prepare}
 * (the node prepares every partition it replicates before it serves) or on their first write;
 * both are refused below the free-space floor ({@link FreeSpaceFloor}).
 * See the module README for the on-disk layout and the recovery rules.
 */
final class ChronicleStorageEngine implements StorageEngine {
    private static final Logger LOG = LoggerFactory.getLogger(ChronicleStorageEngine.class);

    /** How long a stop waits for operations still running on a partition before leaving it to recovery. */
    static final long CLOSE_WAIT_NANOS = 5_000_000_000L;

    private final ChronicleSettings settings;
    private final DirectoryLock lock;
    private final FreeSpaceFloor floor;
    private final ConcurrentHashMap<Integer, PartitionMap> partitions;
    /** Per reading thread, the array values are read into (see {@link PartitionMap#get}). */
    private final ThreadLocal<byte[]> readBuffers = new ThreadLocal<>();
    private volatile boolean closed;

    private ChronicleStorageEngine(ChronicleSettings settings, DirectoryLock lock, FreeSpaceFloor floor,
            Map<Integer, PartitionMap> opened) {
        this.settings = settings;
        this.lock = lock;
        this.floor = floor;
        this.partitions = new ConcurrentHashMap<>(opened);
    }

    /**
     * Locks the directory, validates and opens every partition found in it. Maps left open by a
     * process that died are recovered, summarised in one log line; if opening fails part-way,
     * the maps already opened are closed (marked clean) before the failure is thrown.
     */
    static ChronicleStorageEngine open(ChronicleSettings settings) {
        Path directory = settings.directory();
        try {
            Files.createDirectories(directory);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot create storage directory " + directory, e);
        }
        DirectoryLock lock = DirectoryLock.acquire(directory);
        Map<Integer, PartitionMap> opened = new TreeMap<>();
        try {
            FreeSpaceFloor floor = FreeSpaceFloor.of(directory, settings.minFreeSpace());
            Map<PartitionFiles, Manifest> found = validateAll(directory);
            long start = System.nanoTime();
            Recovery recovery = new Recovery();
            for (Map.Entry<PartitionFiles, Manifest> e : found.entrySet()) {
                PartitionFiles files = e.getKey();
                if (e.getValue().state() != Manifest.State.CLEAN) {
                    recovery.maps++;
                    LOG.debug("Recovering {}: the process stopped without closing it", files.mapFile());
                }
                opened.put(files.partition(), PartitionMap.open(files, e.getValue(),
                        settings.entriesKeyFor(files.partition()), floor, recovery));
            }
            long millis = (System.nanoTime() - start) / 1_000_000;
            if (recovery.maps == 0) {
                LOG.info("Opened {} partition map(s) in {} in {} ms", opened.size(), directory, millis);
            } else {
                LOG.info("Opened {} partition map(s) in {} in {} ms, {} of them recovered: the last process stopped "
                        + "without closing them{}", opened.size(), directory, millis, recovery.maps, recovery.summary());
            }
            return new ChronicleStorageEngine(settings, lock, floor, opened);
        } catch (RuntimeException | Error e) {
            long deadline = System.nanoTime() + CLOSE_WAIT_NANOS;
            for (PartitionMap map : opened.values()) {
                map.close(deadline);
            }
            lock.close();
            throw e;
        }
    }

    /**
     * What Chronicle reports while recovering maps. After a kill it finds and repairs the state a
     * write in progress left ("wrong lowest free chunk", segment counters): expected, so counted and
     * summarised instead of logged one ERROR at a time; the details are at DEBUG.
     */
    private static final class Recovery implements ChronicleHashCorruption.Listener {
        int maps;
        int corrections;
        String first;

        @Override
        public void onCorruption(ChronicleHashCorruption corruption) {
            corrections++;
            if (first == null) {
                first = corruption.message();
            }
            LOG.debug("Recovery of segment {}: {}", corruption.segmentIndex(), corruption.message(),
                    corruption.exception());
        }

        String summary() {
            return corrections == 0 ? "" : "; Chronicle corrected " + corrections + " inconsistenc"
                    + (corrections == 1 ? "y" : "ies") + " left by writes in progress (first: " + first + ")";
        }
    }

    /**
     * Checks every partition's files against their manifests before any is opened; finishes
     * what a crash interrupted while creating or dropping a partition (neither holds
     * acknowledged data). Reads map files, never writes them.
     */
    private static Map<PartitionFiles, Manifest> validateAll(Path directory) {
        Set<Integer> ids = new TreeSet<>();
        try (DirectoryStream<Path> listing = Files.newDirectoryStream(directory)) {
            for (Path path : listing) {
                String name = path.getFileName().toString();
                if (name.endsWith(PartitionFiles.MANIFEST_SUFFIX + PartitionFiles.TEMP_SUFFIX)) {
                    Files.delete(path); // a manifest write interrupted before its atomic rename
                } else {
                    PartitionFiles.partitionOf(name).ifPresent(ids::add);
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot list storage directory " + directory, e);
        }
        Map<PartitionFiles, Manifest> valid = new TreeMap<>((a, b) -> Integer.compare(a.partition(), b.partition()));
        for (int id : ids) {
            PartitionFiles files = PartitionFiles.of(directory, id);
            Optional<Manifest> manifest = files.readManifest();
            if (manifest.isEmpty()) {
                throw new CorruptDataException(files.mapFile(), "has no manifest " + files.manifestFile()
                        + "; refusing to open a map file that cannot be checked", null);
            }
            switch (manifest.get().state()) {
                case CREATING, DROPPING -> {
                    LOG.info("Removing partition {} ({}): interrupted while {}", id, files.mapFile(),
                            manifest.get().state() == Manifest.State.CREATING ? "being created" : "being dropped");
                    files.deleteAll();
                }
                case OPEN, CLEAN -> {
                    files.validate(manifest.get());
                    valid.put(files, manifest.get());
                }
            }
        }
        return valid;
    }

    @Override
    public List<Versioned> get(int partition, Bytes key) {
        requireNonNull(key, "key is null");
        while (true) {
            PartitionMap map = existing(partition);
            if (map == null) {
                return List.of();
            }
            List<Versioned> versions = map.get(key, readBuffers);
            if (versions != null) {
                return versions;
            }
            Thread.onSpinWait(); // dropped meanwhile
        }
    }

    @Override
    public List<Versioned> update(int partition, Bytes key, UnaryOperator<List<Versioned>> update) {
        requireNonNull(key, "key is null");
        requireNonNull(update, "update is null");
        checkOpen();
        floor.check();
        while (true) {
            List<Versioned> versions = openOrCreate(partition).update(key, update);
            if (versions != null) {
                return versions;
            }
            Thread.onSpinWait(); // dropped or closed meanwhile
        }
    }

    @Override
    public void prepare(int partition) {
        checkPartition(partition);
        openOrCreate(partition);
    }

    private PartitionMap openOrCreate(int partition) {
        checkOpen();
        return partitions.computeIfAbsent(partition, id -> {
            checkOpen();
            return PartitionMap.create(PartitionFiles.of(settings.directory(), id), settings, settings.entriesKeyFor(id),
                    floor);
        });
    }

    @Override
    public void forEach(int partition, BiConsumer<Bytes, List<Versioned>> action) {
        requireNonNull(action, "action is null");
        PartitionMap map = existing(partition);
        if (map != null && !map.forEach(action)) {
            checkOpen(); // a partition dropped before the scan started is simply empty
        }
    }

    @Override
    public void forEach(int partition, BiConsumer<Bytes, List<Versioned>> action,
            BiConsumer<Bytes, RuntimeException> unreadable) {
        requireNonNull(action, "action is null");
        requireNonNull(unreadable, "unreadable is null");
        PartitionMap map = existing(partition);
        if (map != null && !map.forEach(action, unreadable)) {
            checkOpen();
        }
    }

    /**
     * Copies the unreadable bytes to {@link #QUARANTINE_PARTITION} first, then removes them
     * (only if they did not change meanwhile): a crash between the two leaves a copy, never none.
     */
    @Override
    public boolean quarantine(int partition, Bytes key) {
        requireNonNull(key, "key is null");
        PartitionMap map = existing(partition);
        byte[] stored = map == null ? null : map.unreadableBytes(key);
        if (stored == null) {
            return false;
        }
        update(QUARANTINE_PARTITION, StorageEngine.quarantineKey(partition, key), kept -> StorageEngine.quarantined(stored));
        boolean removed = map.remove(key, stored);
        if (removed) {
            LOG.warn("Quarantined the unreadable value of key {} in partition {} ({}): its {} bytes are kept in {}", key,
                    partition, map.files().mapFile(), stored.length, PartitionFiles.of(settings.directory(),
                            QUARANTINE_PARTITION).mapFile());
        }
        return removed;
    }

    @Override
    public Set<Integer> partitions() {
        checkOpen();
        Set<Integer> result = new HashSet<>();
        partitions.forEach((id, map) -> {
            if (map.size() > 0) {
                result.add(id);
            }
        });
        return Set.copyOf(result);
    }

    @Override
    public long size(int partition) {
        PartitionMap map = existing(partition);
        return map == null ? 0 : Math.max(0, map.size());
    }

    /** The length of every open partition's map file (sparse: what is allocated may be less). */
    @Override
    public long bytesUsed() {
        long bytes = 0;
        for (PartitionMap map : partitions.values()) {
            bytes += map.fileLength();
        }
        return bytes;
    }

    @Override
    public void dropPartition(int partition) {
        checkPartition(partition);
        checkOpen();
        partitions.computeIfPresent(partition, (id, map) -> {
            map.drop();
            return null;
        });
        LOG.debug("Dropped partition {}", partition);
    }

    /** Syncs every partition written since its last sync (see {@link #sync}). */
    @Override
    public void flush() {
        checkOpen();
        partitions.values().forEach(PartitionMap::sync);
    }

    /** True: {@link #sync} forces a partition's map file to the device. */
    @Override
    public boolean canSync() {
        return true;
    }

    /**
     * Forces the partition's map file to the device ({@code fdatasync}), with group commit:
     * concurrent callers for one partition share one force, and a partition with no write since
     * its last force costs two volatile reads. See {@link PartitionMap#sync}.
     */
    @Override
    public void sync(int partition) {
        PartitionMap map = existing(partition);
        if (map != null && !map.sync()) {
            checkOpen(); // dropped meanwhile: nothing left to make durable; closed: the close synced it
        }
    }

    /** The partition's map, for tests of its group commit; null when absent. */
    PartitionMap partitionMap(int partition) {
        return partitions.get(partition);
    }

    /**
     * Closes every map, marking it clean. Bounded: waits at most {@link #CLOSE_WAIT_NANOS} in all
     * for operations still running; a map that cannot be closed in time, or whose close fails
     * (e.g. no space left for its manifest), is left {@code OPEN} and recovered at the next start.
     * Never throws: a stop must complete.
     */
    @Override
    public synchronized void close() {
        if (closed) {
            return;
        }
        closed = true;
        long deadline = System.nanoTime() + CLOSE_WAIT_NANOS;
        int total = 0;
        int leftOpen = 0;
        for (Integer id : new ArrayList<>(partitions.keySet())) {
            PartitionMap map = partitions.remove(id);
            if (map != null) {
                total++;
                leftOpen += map.close(deadline) ? 0 : 1;
            }
        }
        lock.close();
        if (leftOpen > 0) {
            LOG.warn("Closed {} partition map(s) in {}; {} could not be marked clean and will be recovered at the "
                    + "next start", total, settings.directory(), leftOpen);
        } else {
            LOG.debug("Closed {} partition map(s) in {}", total, settings.directory());
        }
    }

    /**
     * Lets go of every map and the directory lock as the death of the process would: nothing
     * synced, no map marked clean (see {@link PartitionMap#abandonAsACrashWould()}), so that a
     * crash test can open the directory again in this process and recover it.
     */
    synchronized void abandonAsACrashWould() {
        if (closed) {
            return;
        }
        closed = true;
        for (Integer id : new ArrayList<>(partitions.keySet())) {
            PartitionMap map = partitions.remove(id);
            if (map != null) {
                map.abandonAsACrashWould();
            }
        }
        lock.close();
    }

    /** The directory this engine keeps its files in. */
    Path directory() {
        return settings.directory();
    }

    private PartitionMap existing(int partition) {
        checkPartition(partition);
        checkOpen();
        return partitions.get(partition);
    }

    private void checkOpen() {
        if (closed) {
            throw new IllegalStateException("chronicle storage engine on " + settings.directory() + " is closed");
        }
    }

    private static void checkPartition(int partition) {
        if (partition < 0) {
            throw new IllegalArgumentException("partition must be non-negative, was " + partition);
        }
    }
}
