package io.dynamo.storage.chronicle;

import static io.dynamo.storage.chronicle.EngineFixtures.engine;
import static io.dynamo.storage.chronicle.EngineFixtures.mapFile;
import static io.dynamo.storage.chronicle.EngineFixtures.put;
import static io.dynamo.storage.chronicle.EngineFixtures.sha256;
import static io.dynamo.storage.chronicle.EngineFixtures.version;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.dynamo.api.Bytes;
import io.dynamo.api.codec.VersionedCodec;
import io.dynamo.spi.storage.CorruptDataException;
import io.dynamo.spi.storage.StorageEngine;
import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import net.openhft.chronicle.map.ChronicleMap;
import net.openhft.chronicle.map.ChronicleMapBuilder;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * Damaged files stop the engine with an error naming the file, and are left exactly as found.
 * Chronicle itself would block for over a minute on some of these, or crash the JVM recovering
 * others: the timeout makes sure the engine's own checks answer first.
 */
@Timeout(value = 30, unit = TimeUnit.SECONDS)
class ChronicleCorruptionTest {
    private static final int PARTITION = 3;
    private static final int KEYS = 500;

    @TempDir
    Path dataDirectory;

    private void writeKeys() {
        try (StorageEngine engine = engine(dataDirectory)) {
            for (int i = 0; i < KEYS; i++) {
                put(engine, PARTITION, "key-" + i, version("n", i + 1, "value-" + i));
            }
            put(engine, 0, "other", version("n", 1, "another partition"));
        }
    }

    @Test
    void aTruncatedFileStopsTheStart() throws IOException {
        writeKeys();
        Path file = mapFile(dataDirectory, PARTITION);
        try (RandomAccessFile raf = new RandomAccessFile(file.toFile(), "rw")) {
            raf.setLength(raf.length() / 2);
        }
        assertRefusedUntouched(file, "length");
    }

    @Test
    void garbageAtOffsetZeroStopsTheStart() throws IOException {
        writeKeys();
        Path file = mapFile(dataDirectory, PARTITION);
        overwrite(file, 0, 4096);
        assertRefusedUntouched(file, "header");
    }

    @Test
    void aTruncatedFileOfACrashedProcessIsNotRecovered() throws IOException {
        Path crashed = crashedCopy();
        Path file = mapFile(crashed, PARTITION);
        try (RandomAccessFile raf = new RandomAccessFile(file.toFile(), "rw")) {
            raf.setLength(raf.length() / 2);
        }
        assertRefusedUntouched(crashed, file, "truncated");
    }

    @Test
    void garbageAtOffsetZeroOfACrashedProcessIsNotRecovered() throws IOException {
        // Chronicle's recovery of such a file fails obscurely; of mid-file garbage, it crashes the JVM.
        Path crashed = crashedCopy();
        Path file = mapFile(crashed, PARTITION);
        overwrite(file, 0, 4096);
        assertRefusedUntouched(crashed, file, "header");
    }

    @Test
    void aCrashedProcessesFilesAreRecoveredWhole() throws IOException {
        Path crashed = crashedCopy();
        try (StorageEngine engine = engine(crashed)) {
            assertEquals(KEYS, engine.size(PARTITION));
            for (int i = 0; i < KEYS; i++) {
                assertEquals(List.of(version("n", i + 1, "value-" + i)), engine.get(PARTITION, Bytes.utf8("key-" + i)));
            }
        }
    }

    @Test
    void aWrongFormatByteInOneValueIsAClearErrorOnRead() {
        writeKeys();
        Path file = mapFile(dataDirectory, PARTITION);
        byte[] body = VersionedCodec.encode(List.of(version("n", 8, "value-7")));
        body[0] = 7; // as a newer build might write it, checksum and all
        replaceStoredValue(file, "key-7", StoredValues.seal(body));
        String before = sha256(file);

        try (StorageEngine engine = engine(dataDirectory)) {
            CorruptDataException e = assertThrows(CorruptDataException.class,
                    () -> engine.get(PARTITION, Bytes.utf8("key-7")));
            assertEquals(file, e.file());
            assertTrue(e.getMessage().contains("unknown versions format 7"), e.getMessage());
            assertTrue(e.getMessage().contains("key-7"), e.getMessage());
            assertThrows(CorruptDataException.class, () -> engine.update(PARTITION, Bytes.utf8("key-7"), current -> List.of()),
                    "an update never overwrites what it cannot read");
            assertThrows(CorruptDataException.class, () -> engine.forEach(PARTITION, (k, v) -> { }));
            assertEquals(List.of(version("n", 9, "value-8")), engine.get(PARTITION, Bytes.utf8("key-8")));
        }
        assertEquals(before, sha256(file), "the map file was modified");
    }

    @Test
    void aScanSkipsAnUnreadableValueAndQuarantineKeepsItsBytesAside() {
        writeKeys();
        Path file = mapFile(dataDirectory, PARTITION);
        byte[] stored = StoredValues.encode(List.of(version("n", 8, "value-7")));
        stored[stored.length - 6] ^= 0x20;
        replaceStoredValue(file, "key-7", stored);
        Bytes key = Bytes.utf8("key-7");

        try (StorageEngine engine = engine(dataDirectory)) {
            List<Bytes> seen = new java.util.ArrayList<>();
            List<Bytes> unreadable = new java.util.ArrayList<>();
            engine.forEach(PARTITION, (k, v) -> seen.add(k), (k, failure) -> unreadable.add(k));
            assertEquals(KEYS - 1, seen.size(), "every other key was visited");
            assertEquals(List.of(key), unreadable);
            assertFalse(engine.quarantine(PARTITION, Bytes.utf8("key-8")), "a readable value stays");

            assertTrue(engine.quarantine(PARTITION, key));

            assertEquals(List.of(), engine.get(PARTITION, key), "the key reads as absent");
            assertEquals(Bytes.of(stored), engine.get(StorageEngine.QUARANTINE_PARTITION,
                    StorageEngine.quarantineKey(PARTITION, key)).get(0).value(), "its bytes are kept as they were");
            put(engine, PARTITION, "key-7", version("n", 8, "value-7"));
            assertEquals(List.of(version("n", 8, "value-7")), engine.get(PARTITION, key), "and it can be written again");
        }
    }

    @Test
    void aDamagedValueFailsItsChecksum() {
        writeKeys();
        Path file = mapFile(dataDirectory, PARTITION);
        byte[] stored = StoredValues.encode(List.of(version("n", 8, "value-7")));
        stored[stored.length - 6] ^= 0x20;
        replaceStoredValue(file, "key-7", stored);

        try (StorageEngine engine = engine(dataDirectory)) {
            CorruptDataException e = assertThrows(CorruptDataException.class,
                    () -> engine.get(PARTITION, Bytes.utf8("key-7")));
            assertEquals(file, e.file());
            assertTrue(e.getMessage().contains("checksum mismatch"), e.getMessage());
        }
    }

    private void assertRefusedUntouched(Path file, String reason) {
        assertRefusedUntouched(dataDirectory, file, reason);
    }

    private static void assertRefusedUntouched(Path dataDirectory, Path file, String reason) {
        String before = sha256(file);
        CorruptDataException e = assertThrows(CorruptDataException.class, () -> engine(dataDirectory));
        assertEquals(file, e.file());
        assertTrue(e.getMessage().contains(file.toString()), e.getMessage());
        assertTrue(e.getMessage().contains(reason), e.getMessage());
        assertEquals(before, sha256(file), "the damaged file was modified");
        // and the refusal is repeatable: nothing was "fixed" or deleted on the way
        assertThrows(CorruptDataException.class, () -> engine(dataDirectory));
    }

    /** A copy of the data directory taken while the engine had it open: what a crash leaves. */
    private Path crashedCopy() throws IOException {
        Path copy = dataDirectory.resolve("crashed");
        try (StorageEngine engine = engine(dataDirectory.resolve("live"))) {
            for (int i = 0; i < KEYS; i++) {
                put(engine, PARTITION, "key-" + i, version("n", i + 1, "value-" + i));
            }
            engine.flush();
            Path from = dataDirectory.resolve("live/chronicle");
            Files.createDirectories(copy.resolve("chronicle"));
            try (Stream<Path> files = Files.list(from)) {
                for (Path f : files.toList()) {
                    if (!f.getFileName().toString().equals(DirectoryLock.FILE_NAME)) {
                        Files.copy(f, copy.resolve("chronicle").resolve(f.getFileName()));
                    }
                }
            }
        }
        return copy;
    }

    private static void overwrite(Path file, long offset, int length) throws IOException {
        byte[] garbage = new byte[length];
        new Random(7).nextBytes(garbage);
        try (RandomAccessFile raf = new RandomAccessFile(file.toFile(), "rw")) {
            raf.seek(offset);
            raf.write(garbage);
        }
    }

    /** Writes {@code stored} under {@code key} with Chronicle directly, bypassing the engine. */
    private static void replaceStoredValue(Path file, String key, byte[] stored) {
        try (ChronicleMap<byte[], byte[]> raw =
                ChronicleMapBuilder.of(byte[].class, byte[].class).createPersistedTo(file.toFile())) {
            byte[] rawKey = key.getBytes(StandardCharsets.UTF_8);
            if (raw.put(rawKey, stored) == null) {
                throw new AssertionError(key + " was not in " + file);
            }
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }
}
