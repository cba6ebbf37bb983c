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
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The {@code chronicle} storage engine: one persisted Chronicle Map per partition under one
 * directory, each with a manifest the engine checks before Chronicle ever sees the file.
 *
 * <p>At start the engine locks the directory, validates every partition's files (so a damaged
 * file stops the node at once, naming it), then opens each map — or recovers it when its
 * manifest says the process died with it open. New partitions are created on their first write.
 * See the module README for the on-disk layout and the recovery rules.
 */
final class ChronicleStorageEngine implements StorageEngine {
    private static final Logger LOG = LoggerFactory.getLogger(ChronicleStorageEngine.class);

    private final ChronicleSettings settings;
    private final DirectoryLock lock;
    private final ConcurrentHashMap<Integer, PartitionMap> partitions;
    /** Per reading thread, the array values are read into (see {@link PartitionMap#get}). */
    private final ThreadLocal<byte[]> readBuffers = new ThreadLocal<>();
    private volatile boolean closed;

    private ChronicleStorageEngine(ChronicleSettings settings, DirectoryLock lock, Map<Integer, PartitionMap> opened) {
        this.settings = settings;
        this.lock = lock;
        this.partitions = new ConcurrentHashMap<>(opened);
    }

    /** Locks the directory, validates and opens every partition found in it. */
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
            Map<PartitionFiles, Manifest> found = validateAll(directory);
            long start = System.nanoTime();
            for (Map.Entry<PartitionFiles, Manifest> e : found.entrySet()) {
                PartitionFiles files = e.getKey();
                if (e.getValue().state() != Manifest.State.CLEAN) {
                    LOG.warn("Recovering {}: the process stopped without closing it", files.mapFile());
                }
                opened.put(files.partition(),
                        PartitionMap.open(files, e.getValue(), settings.entriesKeyFor(files.partition())));
            }
            LOG.info("Opened {} partition map(s) in {} in {} ms", opened.size(), directory,
                    (System.nanoTime() - start) / 1_000_000);
            return new ChronicleStorageEngine(settings, lock, opened);
        } catch (RuntimeException e) {
            for (PartitionMap map : opened.values()) {
                try {
                    map.close();
                } catch (RuntimeException suppressed) {
                    e.addSuppressed(suppressed);
                }
            }
            lock.close();
            throw e;
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
            return PartitionMap.create(PartitionFiles.of(settings.directory(), id), settings, settings.entriesKeyFor(id));
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

    @Override
    public void flush() {
        checkOpen();
        partitions.values().forEach(PartitionMap::flush);
    }

    @Override
    public synchronized void close() {
        if (closed) {
            return;
        }
        closed = true;
        List<RuntimeException> failures = new ArrayList<>();
        for (Integer id : new ArrayList<>(partitions.keySet())) {
            partitions.computeIfPresent(id, (key, map) -> {
                try {
                    map.close();
                } catch (RuntimeException e) {
                    failures.add(e);
                }
                return null;
            });
        }
        lock.close();
        if (!failures.isEmpty()) {
            RuntimeException first = failures.get(0);
            failures.subList(1, failures.size()).forEach(first::addSuppressed);
            throw first;
        }
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
