package io.dynamo.storage.chronicle;

import io.dynamo.api.codec.MalformedDataException;
import io.dynamo.spi.storage.CorruptDataException;
import io.dynamo.spi.storage.StorageEngine;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.zip.CRC32C;

/**
 * The files of one partition under the engine's directory: {@code partition-<id>.cmap} (the
 * Chronicle Map) and {@code partition-<id>.manifest} beside it ({@code hints.*} for
 * {@link StorageEngine#HINTS_PARTITION}). Writes manifests atomically (temporary file, fsync,
 * rename, fsync of the directory) and checks a map file against its manifest without ever handing
 * it to Chronicle.
 */
record PartitionFiles(Path directory, int partition, Path mapFile, Path manifestFile) {
    static final String MAP_SUFFIX = ".cmap";
    static final String MANIFEST_SUFFIX = ".manifest";
    static final String TEMP_SUFFIX = ".tmp";
    private static final Pattern NAME = Pattern.compile("(?:partition-(\\d{1,10})|hints)\\.(cmap|manifest)");
    /** Chronicle's header: an 8-byte hash, a 4-byte length word, then the header text. */
    private static final int HEADER_PREFIX = 12;
    private static final int MAX_HEADER_LENGTH = 1 << 20;

    static PartitionFiles of(Path directory, int partition) {
        if (partition < 0) {
            throw new IllegalArgumentException("partition must be non-negative, was " + partition);
        }
        String base = partition == StorageEngine.HINTS_PARTITION ? "hints" : "partition-" + partition;
        return new PartitionFiles(
                directory, partition, directory.resolve(base + MAP_SUFFIX), directory.resolve(base + MANIFEST_SUFFIX));
    }

    /** The partition a file of ours belongs to, if {@code fileName} is one. */
    static Optional<Integer> partitionOf(String fileName) {
        Matcher m = NAME.matcher(fileName);
        if (!m.matches()) {
            return Optional.empty();
        }
        if (m.group(1) == null) {
            return Optional.of(StorageEngine.HINTS_PARTITION);
        }
        long id = Long.parseLong(m.group(1));
        return id > Integer.MAX_VALUE ? Optional.empty() : Optional.of((int) id);
    }

    /** The manifest, or empty when there is none. */
    Optional<Manifest> readManifest() {
        byte[] bytes;
        try {
            bytes = Files.readAllBytes(manifestFile);
        } catch (NoSuchFileException e) {
            return Optional.empty();
        } catch (IOException e) {
            throw new CorruptDataException(manifestFile, "cannot read manifest: " + e, e);
        }
        try {
            Manifest manifest = Manifest.fromBytes(bytes);
            if (manifest.partition() != partition) {
                throw new MalformedDataException("manifest is for partition " + manifest.partition());
            }
            return Optional.of(manifest);
        } catch (RuntimeException e) {
            throw new CorruptDataException(manifestFile, "invalid manifest: " + e.getMessage(), e);
        }
    }

    void writeManifest(Manifest manifest) {
        Path temp = manifestFile.resolveSibling(manifestFile.getFileName() + TEMP_SUFFIX);
        try {
            try (FileChannel channel = FileChannel.open(temp, StandardOpenOption.CREATE, StandardOpenOption.WRITE,
                    StandardOpenOption.TRUNCATE_EXISTING)) {
                ByteBuffer buffer = ByteBuffer.wrap(manifest.toBytes());
                while (buffer.hasRemaining()) {
                    channel.write(buffer);
                }
                channel.force(true);
            }
            Files.move(temp, manifestFile, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
            syncDirectory();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write " + manifestFile, e);
        }
    }

    /**
     * Checks the map file against its manifest: present, long enough (exactly as long as at the
     * last clean close, when it was closed cleanly), and Chronicle's header byte-identical to
     * the one recorded at creation. Reads the file, never writes it.
     */
    void validate(Manifest manifest) {
        long length;
        try {
            length = Files.size(mapFile);
        } catch (NoSuchFileException e) {
            throw new CorruptDataException(mapFile, "map file is missing but its manifest " + manifestFile
                    + " exists (state " + manifest.state() + ")", e);
        } catch (IOException e) {
            throw new CorruptDataException(mapFile, "cannot read: " + e, e);
        }
        if (manifest.state() == Manifest.State.CLEAN && length != manifest.cleanLength()) {
            throw new CorruptDataException(mapFile, "length " + length + " differs from " + manifest.cleanLength()
                    + " recorded at the last clean close (truncated or overwritten?)", null);
        }
        if (length < manifest.initialLength()) {
            throw new CorruptDataException(mapFile, "length " + length + " is shorter than its length at creation "
                    + manifest.initialLength() + " (truncated?)", null);
        }
        int checksum = headerChecksum(manifest.headerLength());
        if (checksum != manifest.headerChecksum()) {
            throw new CorruptDataException(mapFile, String.format(
                    "Chronicle header (first %d bytes) checksum %08x differs from %08x recorded at creation "
                            + "(overwritten?)", manifest.headerLength(), checksum, manifest.headerChecksum()), null);
        }
    }

    /** The length of Chronicle's header in a freshly created map file. */
    int readHeaderLength() {
        try (FileChannel channel = FileChannel.open(mapFile, StandardOpenOption.READ)) {
            ByteBuffer word = ByteBuffer.allocate(4).order(java.nio.ByteOrder.LITTLE_ENDIAN);
            if (channel.read(word, 8) != 4) {
                throw new CorruptDataException(mapFile, "too short for a Chronicle header", null);
            }
            int textLength = word.getInt(0) & 0x3FFFFFFF;
            if (textLength <= 0 || textLength > MAX_HEADER_LENGTH || HEADER_PREFIX + textLength > channel.size()) {
                throw new CorruptDataException(mapFile, "unexpected Chronicle header length " + textLength, null);
            }
            return HEADER_PREFIX + textLength;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + mapFile, e);
        }
    }

    /** CRC32C of the first {@code length} bytes of the map file. */
    int headerChecksum(int length) {
        try (FileChannel channel = FileChannel.open(mapFile, StandardOpenOption.READ)) {
            ByteBuffer header = ByteBuffer.allocate(length);
            while (header.hasRemaining()) {
                if (channel.read(header) < 0) {
                    throw new CorruptDataException(mapFile, "shorter than its " + length + "-byte header", null);
                }
            }
            CRC32C crc = new CRC32C();
            crc.update(header.flip());
            return (int) crc.getValue();
        } catch (IOException e) {
            throw new CorruptDataException(mapFile, "cannot read: " + e, e);
        }
    }

    /** Makes writes through Chronicle's memory mapping durable on disk. */
    void syncMapFile() {
        try (FileChannel channel = FileChannel.open(mapFile, StandardOpenOption.WRITE)) {
            channel.force(true);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot sync " + mapFile, e);
        }
    }

    long mapFileLength() {
        try {
            return Files.size(mapFile);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read the length of " + mapFile, e);
        }
    }

    void deleteAll() {
        try {
            Files.deleteIfExists(mapFile);
            Files.deleteIfExists(manifestFile);
            syncDirectory();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot delete the files of partition " + partition + " in " + directory, e);
        }
    }

    private void syncDirectory() throws IOException {
        try (FileChannel dir = FileChannel.open(directory, StandardOpenOption.READ)) {
            dir.force(true);
        }
    }
}
