package io.dynamo.storage.chronicle;

import static java.util.Objects.requireNonNull;

import io.dynamo.spi.storage.StorageFullException;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.FileStore;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The free-space floor ({@code chronicle.min-free-space}): writes and partition creation are
 * refused while the file system holding the engine's directory has less usable space, so that
 * the disk never fills under a memory-mapped map (whose growth would then fault) and the log and
 * manifests keep room. The usable space is read at most every {@link #REFRESH_NANOS} (one
 * {@code statfs}); a write in between costs a clock read and a volatile read. Within
 * {@link #NEAR_FACTOR} times the floor it is read at every write instead: a map's growth takes
 * megabytes at once, so a reading 100 ms old could let the disk fill before the floor is seen.
 * Nothing is latched: once space returns, the next reading lets writes through again.
 */
final class FreeSpaceFloor {
    /** How old a reading of the usable space may be. */
    static final long REFRESH_NANOS = 100_000_000L;
    /** Below this many times the floor, every check reads the usable space afresh. */
    static final int NEAR_FACTOR = 4;
    private static final int MIB_SHIFT = 20;

    private final Path directory;
    private final FileStore store;
    private final long floor;
    private final AtomicLong readAt = new AtomicLong();
    private volatile long usable;

    private FreeSpaceFloor(Path directory, FileStore store, long floor) {
        this.directory = directory;
        this.store = store;
        this.floor = floor;
    }

    static FreeSpaceFloor of(Path directory, long floor) {
        requireNonNull(directory, "directory is null");
        try {
            FreeSpaceFloor result = new FreeSpaceFloor(directory, Files.getFileStore(directory), floor);
            result.refresh(System.nanoTime());
            return result;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read the file system of " + directory, e);
        }
    }

    /** Throws {@link StorageFullException} when the last reading is below the floor. */
    void check() {
        long now = System.nanoTime();
        long last = readAt.get();
        boolean near = usable < floor * NEAR_FACTOR;
        if ((near || now - last >= REFRESH_NANOS) && readAt.compareAndSet(last, now)) {
            refresh(now);
        }
        long free = usable;
        if (free < floor) {
            throw belowFloor(free);
        }
    }

    /** The usable bytes now (a fresh reading, which the next {@link #check} also uses). */
    long usableNow() {
        long now = System.nanoTime();
        readAt.set(now);
        refresh(now);
        return usable;
    }

    long floor() {
        return floor;
    }

    Path directory() {
        return directory;
    }

    private void refresh(long now) {
        try {
            usable = store.getUsableSpace();
            readAt.set(now);
        } catch (IOException e) {
            // keep the last reading: a file system that cannot be asked is no reason to refuse
        }
    }

    private StorageFullException belowFloor(long free) {
        return new StorageFullException("disk full: " + (free >> MIB_SHIFT) + " MiB free on " + directory
                + ", below chronicle." + ChronicleSettings.MIN_FREE_SPACE + " (" + (floor >> MIB_SHIFT) + " MiB)", null);
    }

    /** One line for a write Chronicle could not complete for lack of space. */
    String describe(long free) {
        return (free >> MIB_SHIFT) + " MiB free on " + directory + ", chronicle." + ChronicleSettings.MIN_FREE_SPACE
                + " is " + (floor >> MIB_SHIFT) + " MiB";
    }
}
