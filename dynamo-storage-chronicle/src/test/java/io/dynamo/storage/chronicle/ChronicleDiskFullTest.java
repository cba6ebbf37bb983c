package io.dynamo.storage.chronicle;

import static io.dynamo.storage.chronicle.EngineFixtures.engine;
import static io.dynamo.storage.chronicle.EngineFixtures.manifestFile;
import static io.dynamo.storage.chronicle.EngineFixtures.mapFile;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.dynamo.api.Bytes;
import io.dynamo.api.VectorClock;
import io.dynamo.api.Versioned;
import io.dynamo.spi.PluginConfig;
import io.dynamo.spi.storage.StorageEngine;
import io.dynamo.spi.storage.StorageFullException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * The engine on a real, small file system (a 20 MiB tmpfs this test mounts; needs root, else
 * skipped with a message): a full disk is an error, never a loss.
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class ChronicleDiskFullTest {
    private static final int DISK_MIB = 20;
    private static final int VALUE_BYTES = 1000;

    @TempDir
    Path temp;
    private SmallFileSystem disk;
    private Path dataDirectory;
    /** The next key to write: keys are never reused, refused ones included. */
    private int nextKey;

    @BeforeEach
    void mountSmallDisk() throws IOException {
        String reason = SmallFileSystem.unavailableReason();
        if (reason == null) {
            Path mountPoint = Files.createDirectory(temp.resolve("disk"));
            try {
                disk = SmallFileSystem.mount(mountPoint, DISK_MIB);
            } catch (IOException e) {
                reason = "disk-full tests cannot mount a small tmpfs (" + e.getMessage() + "); skipped";
            }
        }
        if (reason != null) {
            System.out.println(reason);
        }
        assumeTrue(reason == null, reason);
        dataDirectory = disk.path().resolve("data");
    }

    @AfterEach
    void unmount() throws IOException {
        if (disk != null) {
            disk.close();
        }
    }

    @Test
    void writesAreRefusedAtTheFloorWithOneLineReadsGoOnAndWritesResumeWhenSpaceReturns() throws IOException {
        PluginConfig config = config("4m").with("entries-per-partition", "2000").with("max-bloat-factor", "100");
        Path ballast = ballast(6);
        List<Integer> acknowledged = new ArrayList<>();
        try (StorageEngine engine = engine(dataDirectory, config)) {
            StorageFullException full = fillUntilRefused(engine, acknowledged);
            Pattern expected = Pattern.compile("disk full: \\d+ MiB free on " + Pattern.quote(
                    dataDirectory.resolve("chronicle").toString()) + ", below chronicle\\.min-free-space \\(4 MiB\\)");
            assertTrue(expected.matcher(full.getMessage()).matches(), full.getMessage());
            assertTrue(acknowledged.size() > 100, "refused after only " + acknowledged.size() + " writes");
            assertAllReadable(engine, acknowledged);

            Files.delete(ballast);
            acknowledged.add(writeOnceSpaceReturns(engine, nextKey++));
            assertAllReadable(engine, acknowledged);
        }
        assertCleanAndReadableAfterReopen(config, acknowledged, 2);
    }

    /**
     * With the floor at its minimum, a map's growth (a tier bulk as large as a new map) fails
     * inside Chronicle while the floor still lets writes through. Before the fix, Chronicle left
     * the file lengthened but unallocated, the next write faulted (InternalError) and writes were
     * lost; now each failure is a one-line disk-full error and every acknowledged write stays.
     */
    @Test
    void aMapThatCannotGrowRefusesWithOneLineAndNeverFaults() throws IOException {
        PluginConfig config = config("1m"); // default sizing: a tier bulk is ~2.4 MB, more than the floor
        List<Integer> acknowledged = new ArrayList<>();
        Path ballast;
        try (StorageEngine engine = engine(dataDirectory, config)) {
            engine.prepare(0);
            engine.prepare(1);
            long bulk = Files.size(mapFile(dataDirectory, 0));
            long usable = Files.getFileStore(disk.path()).getUsableSpace();
            // leave room for two more tiers and then 1.8 MB: above the floor, below what a third needs
            long leave = 2 * bulk + 1_800_000;
            assumeTrue(usable > leave + (1 << 20), "the small disk has too little room: " + usable);
            ballast = ballast(disk.path().resolve("ballast"), usable - leave);

            List<StorageFullException> refusals = new ArrayList<>();
            for (int attempt = 0; attempt < 50; attempt++) { // later writes must keep being refused cleanly
                refusals.add(fillUntilRefused(engine, acknowledged));
            }
            assertTrue(refusals.stream().anyMatch(e -> e.getMessage().contains("could not grow")),
                    "Chronicle's growth never failed: " + refusals.get(0).getMessage());
            for (StorageFullException e : refusals) {
                assertTrue(e.getMessage().startsWith("disk full: "), e.getMessage());
                assertFalse(e.getMessage().contains("\n"), e.getMessage());
            }
            assertAllReadable(engine, acknowledged);

            Files.delete(ballast);
            acknowledged.add(writeOnceSpaceReturns(engine, nextKey++));
            assertAllReadable(engine, acknowledged);
        }
        assertCleanAndReadableAfterReopen(config, acknowledged, 2);
    }

    @Test
    void aPartitionIsNotCreatedBelowTheFloorAndNothingIsLeftBehind() throws IOException {
        PluginConfig config = config("4m").with("entries-per-partition", "2000");
        try (StorageEngine engine = engine(dataDirectory, config)) {
            long usable = Files.getFileStore(disk.path()).getUsableSpace();
            Path ballast = ballast(disk.path().resolve("ballast"), usable - (3 << 20));
            pollUntilRefused(() -> put(engine, nextKey++)); // the floor has seen the ballast
            StorageFullException full = assertThrows(StorageFullException.class, () -> engine.prepare(7));
            assertTrue(full.getMessage().startsWith("disk full: "), full.getMessage());
            assertTrue(full.getMessage().contains("chronicle.min-free-space (4 MiB)"), full.getMessage());
            assertFalse(Files.exists(mapFile(dataDirectory, 7)));
            assertFalse(Files.exists(manifestFile(dataDirectory, 7)));

            Files.delete(ballast);
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
            while (true) {
                try {
                    engine.prepare(7);
                    break;
                } catch (StorageFullException e) {
                    assertTrue(System.nanoTime() < deadline, "space returned but creation still refused: " + e);
                    Thread.onSpinWait();
                }
            }
            assertTrue(Files.exists(mapFile(dataDirectory, 7)));
        }
    }

    private static PluginConfig config(String floor) {
        return PluginConfig.empty("chronicle").with("min-free-space", floor);
    }

    private Path ballast(int megabytes) throws IOException {
        return ballast(disk.path().resolve("ballast"), (long) megabytes << 20);
    }

    private static Path ballast(Path file, long bytes) throws IOException {
        Files.write(file, new byte[(int) Math.max(0, bytes)]); // tmpfs allocates what is written
        return file;
    }

    /** Writes new keys (two partitions) until one is refused; records each acknowledged one. */
    private StorageFullException fillUntilRefused(StorageEngine engine, List<Integer> acknowledged) {
        for (int i = 0; i < 1_000_000; i++) {
            int n = nextKey++;
            try {
                put(engine, n);
                acknowledged.add(n);
            } catch (StorageFullException e) {
                return e;
            }
        }
        throw new AssertionError("a " + DISK_MIB + " MiB disk took a million writes");
    }

    private static StorageFullException pollUntilRefused(Runnable action) {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
        while (true) {
            try {
                action.run();
            } catch (StorageFullException e) {
                return e;
            }
            assertTrue(System.nanoTime() < deadline, "never refused");
            Thread.onSpinWait();
        }
    }

    /** Polls (the floor re-reads the free space every 100 ms) until a write is taken again. */
    private static int writeOnceSpaceReturns(StorageEngine engine, int key) {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
        while (true) {
            try {
                put(engine, key);
                return key;
            } catch (StorageFullException e) {
                assertTrue(System.nanoTime() < deadline, "space returned but writes are still refused: " + e);
                Thread.onSpinWait();
            }
        }
    }

    private void assertCleanAndReadableAfterReopen(PluginConfig config, List<Integer> acknowledged, int partitions)
            throws IOException {
        for (int p = 0; p < partitions; p++) {
            Manifest manifest = PartitionFiles.of(dataDirectory.resolve("chronicle"), p).readManifest().orElseThrow();
            assertEquals(Manifest.State.CLEAN, manifest.state(), "partition " + p + " after close");
        }
        try (StorageEngine engine = engine(dataDirectory, config)) {
            assertAllReadable(engine, acknowledged);
        }
    }

    private static void assertAllReadable(StorageEngine engine, List<Integer> acknowledged) {
        List<Integer> lost = new ArrayList<>();
        for (int n : acknowledged) {
            if (!engine.get(partitionOf(n), key(n)).equals(List.of(value(n)))) {
                lost.add(n);
            }
        }
        assertEquals(List.of(), lost, "acknowledged writes lost (of " + acknowledged.size() + ")");
    }

    private static void put(StorageEngine engine, int n) {
        Versioned version = value(n);
        engine.update(partitionOf(n), key(n), current -> List.of(version));
    }

    private static int partitionOf(int n) {
        return n % 2;
    }

    private static Bytes key(int n) {
        return Bytes.utf8("key-" + n);
    }

    private static Versioned value(int n) {
        byte[] bytes = new byte[VALUE_BYTES];
        bytes[0] = (byte) n;
        bytes[1] = (byte) (n >> 8);
        bytes[2] = (byte) (n >> 16);
        return Versioned.of(VectorClock.EMPTY.increment("n", 1), Bytes.of(bytes));
    }
}
