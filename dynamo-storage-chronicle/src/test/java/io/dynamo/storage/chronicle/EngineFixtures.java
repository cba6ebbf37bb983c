package io.dynamo.storage.chronicle;

import io.dynamo.api.Bytes;
import io.dynamo.api.VectorClock;
import io.dynamo.api.Versioned;
import io.dynamo.spi.PluginConfig;
import io.dynamo.spi.storage.StorageEngine;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.List;

/** Shared helpers of the engine's own tests. */
final class EngineFixtures {
    private EngineFixtures() {}

    /** An engine made the way the node makes it: through the plugin's factory. */
    static StorageEngine engine(Path dataDirectory, PluginConfig config) {
        return new ChroniclePlugin().storageEngines().get(0).create(config, new TestContext(dataDirectory));
    }

    static StorageEngine engine(Path dataDirectory) {
        return engine(dataDirectory, smallConfig());
    }

    static PluginConfig smallConfig() {
        return PluginConfig.empty("chronicle").with("entries-per-partition", "2000");
    }

    static Versioned version(String node, long counter, String value) {
        return Versioned.of(VectorClock.of(new VectorClock.Entry(node, counter, 1_700_000_000_000L)), Bytes.utf8(value));
    }

    static void put(StorageEngine engine, int partition, String key, Versioned version) {
        engine.update(partition, Bytes.utf8(key), current -> List.of(version));
    }

    static Path mapFile(Path dataDirectory, int partition) {
        return PartitionFiles.of(dataDirectory.resolve("chronicle"), partition).mapFile();
    }

    static Path manifestFile(Path dataDirectory, int partition) {
        return PartitionFiles.of(dataDirectory.resolve("chronicle"), partition).manifestFile();
    }

    /** SHA-256 of a file, to show that a test left it untouched. */
    static String sha256(Path file) {
        try {
            MessageDigest digest = MessageDigest.getInstance("SHA-256");
            return HexFormat.of().formatHex(digest.digest(Files.readAllBytes(file)));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
