package io.dynamo.storage.chronicle;

import static io.dynamo.storage.chronicle.EngineFixtures.engine;
import static io.dynamo.storage.chronicle.EngineFixtures.manifestFile;
import static io.dynamo.storage.chronicle.EngineFixtures.mapFile;
import static io.dynamo.storage.chronicle.EngineFixtures.put;
import static io.dynamo.storage.chronicle.EngineFixtures.version;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.dynamo.api.Bytes;
import io.dynamo.api.DynamoException;
import io.dynamo.api.VectorClock;
import io.dynamo.api.Versioned;
import io.dynamo.spi.ConfigException;
import io.dynamo.spi.PluginConfig;
import io.dynamo.spi.storage.CorruptDataException;
import io.dynamo.spi.storage.StorageEngine;
import io.dynamo.spi.storage.StorageFullException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

@Timeout(value = 60, unit = TimeUnit.SECONDS)
class ChronicleStorageEngineTest {
    @TempDir
    Path dataDirectory;

    @Test
    void readsOnOneThreadOfValuesOfEqualAndOtherLengthsKeepEveryEarlierResultIntact() {
        try (StorageEngine engine = engine(dataDirectory)) {
            put(engine, 0, "a", version("n", 1, "0123456789"));
            put(engine, 0, "b", version("n", 1, "abcdefghij")); // same stored length as a
            put(engine, 0, "c", version("n", 1, "a longer value than the other two"));
            List<Versioned> a = engine.get(0, Bytes.utf8("a"));
            List<Versioned> b = engine.get(0, Bytes.utf8("b"));
            List<Versioned> c = engine.get(0, Bytes.utf8("c"));
            List<Versioned> bAgain = engine.get(0, Bytes.utf8("b"));
            assertEquals(List.of(version("n", 1, "0123456789")), a);
            assertEquals(List.of(version("n", 1, "abcdefghij")), b);
            assertEquals(List.of(version("n", 1, "a longer value than the other two")), c);
            assertEquals(b, bAgain);
            assertEquals(List.of(), engine.get(0, Bytes.utf8("missing")));
            assertEquals(List.of(version("n", 1, "0123456789")), engine.get(0, Bytes.utf8("a")));
        }
    }

    @Test
    void aFullPartitionRefusesWritesNamingTheSettingAndKeepsServingReads() {
        PluginConfig tiny = PluginConfig.empty("chronicle")
                .with("entries-per-partition", "200")
                .with("max-bloat-factor", "1");
        try (StorageEngine engine = engine(dataDirectory, tiny)) {
            int acknowledged = 0;
            StorageFullException full = null;
            for (int i = 0; i < 100_000 && full == null; i++) {
                try {
                    put(engine, 4, "key-" + i, version("n", i + 1, "value-" + i));
                    acknowledged++;
                } catch (StorageFullException e) {
                    full = e;
                }
            }
            assertTrue(full != null, "a map sized for 200 entries took 100,000");
            assertTrue(full.getMessage().contains("chronicle.entries-per-partition"), full.getMessage());
            assertTrue(full.getMessage().contains("key-" + acknowledged), full.getMessage());
            assertTrue(full.getMessage().contains(mapFile(dataDirectory, 4).getFileName().toString()), full.getMessage());
            assertFalse(full.getMessage().contains("\n"), "one line: " + full.getMessage());
            assertTrue(full.getMessage().length() < 300, "short: " + full.getMessage());

            assertEquals(acknowledged, engine.size(4));
            for (int i = 0; i < acknowledged; i++) {
                assertEquals(List.of(version("n", i + 1, "value-" + i)), engine.get(4, Bytes.utf8("key-" + i)));
            }
            assertEquals(List.of(), engine.get(4, Bytes.utf8("key-" + acknowledged)));
            put(engine, 5, "elsewhere", version("n", 1, "other partitions still take writes"));
            assertEquals(1, engine.size(5));
        }
    }

    @Test
    void bytesUsedIsTheLengthOfThePartitionFiles() throws java.io.IOException {
        try (StorageEngine engine = engine(dataDirectory, EngineFixtures.smallConfig())) {
            assertEquals(0, engine.bytesUsed(), "no partition opened yet");
            put(engine, 0, "a", version("n", 1, "value"));
            put(engine, 3, "b", version("n", 1, "value"));
            long files = java.nio.file.Files.size(EngineFixtures.mapFile(dataDirectory, 0))
                    + java.nio.file.Files.size(EngineFixtures.mapFile(dataDirectory, 3));
            assertEquals(files, engine.bytesUsed());
        }
    }

    @Test
    void aFullHintsPartitionNamesItsOwnSetting() {
        PluginConfig tiny = PluginConfig.empty("chronicle").with("hints-entries", "100").with("max-bloat-factor", "1");
        try (StorageEngine engine = engine(dataDirectory, tiny)) {
            StorageFullException full = assertThrows(StorageFullException.class, () -> {
                for (int i = 0; i < 100_000; i++) {
                    put(engine, StorageEngine.HINTS_PARTITION, "hint-" + i, version("n", 1, "hinted write " + i));
                }
            });
            assertTrue(full.getMessage().contains("chronicle.hints-entries"), full.getMessage());
        }
    }

    @Test
    void anEntryTooLargeForItsMapNamesMaxEntrySize() {
        PluginConfig config = EngineFixtures.smallConfig().with("max-entry-size", "4k");
        try (StorageEngine engine = engine(dataDirectory, config)) {
            Versioned large = Versioned.of(VectorClock.EMPTY.increment("n", 1), Bytes.of(new byte[8 << 20]));
            StorageFullException e = assertThrows(StorageFullException.class,
                    () -> engine.update(0, Bytes.utf8("big"), current -> List.of(large)));
            assertTrue(e.getMessage().contains("chronicle.max-entry-size"), e.getMessage());
            assertEquals(List.of(), engine.get(0, Bytes.utf8("big")));
            put(engine, 0, "small", version("n", 1, "fits"));
            assertEquals(1, engine.size(0));
        }
    }

    @Test
    void aSecondEngineOnTheSameDirectoryFailsAtOnce() {
        try (StorageEngine first = engine(dataDirectory)) {
            put(first, 0, "k", version("n", 1, "v"));
            DynamoException e = assertThrows(DynamoException.class, () -> engine(dataDirectory));
            assertTrue(e.getMessage().contains("already open in this process"), e.getMessage());
            assertTrue(e.getMessage().contains(dataDirectory.resolve("chronicle").toString()), e.getMessage());
            assertEquals(List.of(version("n", 1, "v")), first.get(0, Bytes.utf8("k")), "the first engine is unaffected");
        }
        try (StorageEngine again = engine(dataDirectory)) {
            assertEquals(1, again.size(0), "the lock is released on close");
        }
    }

    @Test
    void badConfigValuesNameTheirKey() {
        for (String[] bad : new String[][] {
            {"entries-per-partition", "0"}, {"entries-per-partition", "many"}, {"hints-entries", "-1"},
            {"average-key-size", "0"}, {"average-value-size", "x"}, {"max-bloat-factor", "0.5"},
            {"max-bloat-factor", "5000"}, {"max-entry-size", "0"}, {"min-free-space", "100k"},
            {"min-free-space", "0"}, {"min-free-space", "lots"}
        }) {
            PluginConfig config = PluginConfig.empty("chronicle").with(bad[0], bad[1]);
            ConfigException e = assertThrows(ConfigException.class, () -> engine(dataDirectory, config), bad[0]);
            assertEquals("chronicle." + bad[0], e.key());
        }
    }

    @Test
    void theDirectoryKeyPlacesTheFiles() throws Exception {
        Path elsewhere = dataDirectory.resolve("elsewhere");
        try (StorageEngine engine = engine(dataDirectory, EngineFixtures.smallConfig().with("directory", elsewhere.toString()))) {
            put(engine, 3, "k", version("n", 1, "v"));
        }
        assertTrue(Files.exists(elsewhere.resolve("partition-3.cmap")));
        assertTrue(Files.exists(elsewhere.resolve("partition-3.manifest")));
        assertFalse(Files.exists(dataDirectory.resolve("chronicle")));
    }

    @Test
    void dropPartitionDeletesItsFiles() {
        try (StorageEngine engine = engine(dataDirectory)) {
            put(engine, 7, "k", version("n", 1, "v"));
            assertTrue(Files.exists(mapFile(dataDirectory, 7)));
            engine.dropPartition(7);
            assertFalse(Files.exists(mapFile(dataDirectory, 7)));
            assertFalse(Files.exists(manifestFile(dataDirectory, 7)));
        }
    }

    @Test
    void readsDoNotCreateFiles() {
        try (StorageEngine engine = engine(dataDirectory)) {
            assertEquals(List.of(), engine.get(9, Bytes.utf8("k")));
            assertEquals(0, engine.size(9));
            engine.forEach(9, (k, v) -> { });
            assertFalse(Files.exists(mapFile(dataDirectory, 9)));
        }
    }

    @Test
    void aCreationOrDropInterruptedByACrashIsFinishedAtStart() {
        try (StorageEngine engine = engine(dataDirectory)) {
            put(engine, 1, "k", version("n", 1, "kept"));
            put(engine, 2, "k", version("n", 1, "half created"));
            put(engine, 3, "k", version("n", 1, "half dropped"));
        }
        Path directory = dataDirectory.resolve("chronicle");
        PartitionFiles creating = PartitionFiles.of(directory, 2);
        creating.writeManifest(creating.readManifest().orElseThrow().withState(Manifest.State.CREATING));
        PartitionFiles dropping = PartitionFiles.of(directory, 3);
        dropping.writeManifest(dropping.readManifest().orElseThrow().withState(Manifest.State.DROPPING));

        try (StorageEngine engine = engine(dataDirectory)) {
            assertEquals(Set.of(1), engine.partitions());
            assertFalse(Files.exists(creating.mapFile()));
            assertFalse(Files.exists(dropping.mapFile()));
            assertFalse(Files.exists(dropping.manifestFile()));
        }
    }

    @Test
    void aMapFileWithoutItsManifestStopsTheStart() throws Exception {
        try (StorageEngine engine = engine(dataDirectory)) {
            put(engine, 1, "k", version("n", 1, "v"));
        }
        Files.delete(manifestFile(dataDirectory, 1));
        String before = EngineFixtures.sha256(mapFile(dataDirectory, 1));
        CorruptDataException e = assertThrows(CorruptDataException.class, () -> engine(dataDirectory));
        assertEquals(mapFile(dataDirectory, 1), e.file());
        assertTrue(e.getMessage().contains("no manifest"), e.getMessage());
        assertEquals(before, EngineFixtures.sha256(mapFile(dataDirectory, 1)));
    }

    @Test
    void aDamagedManifestStopsTheStartNamingIt() throws Exception {
        try (StorageEngine engine = engine(dataDirectory)) {
            put(engine, 1, "k", version("n", 1, "v"));
        }
        Path manifest = manifestFile(dataDirectory, 1);
        byte[] bytes = Files.readAllBytes(manifest);
        bytes[10] ^= 0x55;
        Files.write(manifest, bytes);
        CorruptDataException e = assertThrows(CorruptDataException.class, () -> engine(dataDirectory));
        assertEquals(manifest, e.file());
        assertTrue(e.getMessage().contains("checksum"), e.getMessage());
    }

    @Test
    void aFailedStartReleasesTheLock() throws Exception {
        try (StorageEngine engine = engine(dataDirectory)) {
            put(engine, 1, "k", version("n", 1, "v"));
        }
        Files.delete(manifestFile(dataDirectory, 1));
        assertThrows(CorruptDataException.class, () -> engine(dataDirectory));
        Files.delete(mapFile(dataDirectory, 1));
        try (StorageEngine engine = engine(dataDirectory)) {
            assertEquals(Set.of(), engine.partitions());
        }
    }

    @Test
    void belowTheFreeSpaceFloorWritesAndCreationAreRefusedAndReadsServed() {
        try (StorageEngine engine = engine(dataDirectory)) {
            put(engine, 1, "k", version("n", 1, "v"));
        }
        // a floor no disk meets: every write is refused as on a full disk
        PluginConfig unreachable = EngineFixtures.smallConfig().with("min-free-space", "1000000g");
        try (StorageEngine engine = engine(dataDirectory, unreachable)) {
            StorageFullException e = assertThrows(StorageFullException.class,
                    () -> put(engine, 1, "k2", version("n", 1, "v2")));
            String expected = "disk full: \\d+ MiB free on " + java.util.regex.Pattern.quote(
                    dataDirectory.resolve("chronicle").toString()) + ", below chronicle\\.min-free-space \\(1024000000 MiB\\)";
            assertTrue(e.getMessage().matches(expected), e.getMessage());
            assertThrows(StorageFullException.class, () -> engine.prepare(2));
            assertFalse(Files.exists(mapFile(dataDirectory, 2)));
            assertEquals(List.of(version("n", 1, "v")), engine.get(1, Bytes.utf8("k")), "reads are served");
            assertEquals(List.of(), engine.get(1, Bytes.utf8("k2")));
        }
    }

    /**
     * An engine whose start fails part-way (here Chronicle cannot lock partition 5's file, which
     * this test holds) closes the maps it had opened: the next start recovers nothing.
     */
    @Test
    void aStartThatFailsPartWayClosesWhatItOpenedSoTheNextStartIsClean() throws Exception {
        try (StorageEngine engine = engine(dataDirectory)) {
            for (int p = 0; p < 8; p++) {
                put(engine, p, "k", version("n", 1, "v" + p));
            }
        }
        try (java.nio.channels.FileChannel held = java.nio.channels.FileChannel.open(mapFile(dataDirectory, 5),
                java.nio.file.StandardOpenOption.READ, java.nio.file.StandardOpenOption.WRITE);
                java.nio.channels.FileLock ignored = held.lock()) {
            assertThrows(RuntimeException.class, () -> engine(dataDirectory));
        }
        for (int p = 0; p < 8; p++) {
            Manifest manifest = PartitionFiles.of(dataDirectory.resolve("chronicle"), p).readManifest().orElseThrow();
            assertEquals(Manifest.State.CLEAN, manifest.state(), "partition " + p + " after the failed start");
        }
        try (StorageEngine engine = engine(dataDirectory)) {
            for (int p = 0; p < 8; p++) {
                assertEquals(List.of(version("n", 1, "v" + p)), engine.get(p, Bytes.utf8("k")));
            }
        }
    }
}
