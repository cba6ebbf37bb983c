package io.dynamo.storage.chronicle;

import io.dynamo.api.Bytes;
import io.dynamo.api.Versioned;
import io.dynamo.spi.PluginConfig;
import io.dynamo.spi.storage.StorageEngine;
import java.nio.file.Path;
import java.util.List;

/**
 * The child process of {@link ChronicleCrashTest}: {@code write <dataDir> <firstKey>} writes keys
 * in a loop and prints {@code ACK <n> ok} after each update returned, until it is killed;
 * {@code lock <dataDir>} tries to open the engine and prints what happened; {@code hold <dataDir>}
 * opens it (recovering what a kill left), prints {@code OPENED} and waits, closing the engine
 * from a shutdown hook on SIGTERM, as the node does.
 */
public final class CrashWriter {
    static final int PARTITIONS = 4;
    static final PluginConfig CONFIG = PluginConfig.empty("chronicle").with("entries-per-partition", "50000");

    private CrashWriter() {}

    public static void main(String[] args) {
        Path dataDirectory = Path.of(args[1]);
        if (args[0].equals("lock")) {
            try (StorageEngine engine = EngineFixtures.engine(dataDirectory, CONFIG)) {
                System.out.println("OPENED");
            } catch (RuntimeException e) {
                System.out.println("REFUSED " + e.getMessage());
                System.out.flush();
                System.exit(3);
            }
            return;
        }
        if (args[0].equals("hold")) {
            StorageEngine engine = EngineFixtures.engine(dataDirectory, CONFIG);
            Runtime.getRuntime().addShutdownHook(new Thread(engine::close, "close-engine"));
            System.out.println("OPENED");
            System.out.flush();
            while (true) {
                try {
                    Thread.sleep(Long.MAX_VALUE);
                } catch (InterruptedException e) {
                    return;
                }
            }
        }
        long first = Long.parseLong(args[2]);
        StorageEngine engine = EngineFixtures.engine(dataDirectory, CONFIG);
        System.out.println("READY");
        System.out.flush();
        for (long n = first; ; n++) {
            List<Versioned> versions = List.of(EngineFixtures.version("writer", 1, valueOf(n)));
            engine.update(partitionOf(n), keyOf(n), current -> versions);
            System.out.println("ACK " + n + " ok");
            System.out.flush();
        }
    }

    static int partitionOf(long n) {
        return n % 10 == 9 ? StorageEngine.HINTS_PARTITION : (int) (n % PARTITIONS);
    }

    static Bytes keyOf(long n) {
        return Bytes.utf8("key-" + n);
    }

    static String valueOf(long n) {
        return "value of " + n + " " + "x".repeat((int) (n % 50));
    }
}
