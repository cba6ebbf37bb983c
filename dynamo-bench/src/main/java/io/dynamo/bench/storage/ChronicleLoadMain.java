package io.dynamo.bench.storage;

import io.dynamo.api.Bytes;
import io.dynamo.api.VectorClock;
import io.dynamo.api.Versioned;
import io.dynamo.core.config.NodePluginContext;
import io.dynamo.spi.PluginConfig;
import io.dynamo.spi.storage.StorageEngine;
import io.dynamo.spi.storage.StorageEngineFactory;
import io.dynamo.storage.chronicle.ChroniclePlugin;
import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryUsage;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Random;
import java.util.stream.Stream;

/**
 * Loads N keys (16-byte keys, 100-byte values) into the {@code chronicle} engine spread over
 * Q partitions, then reports file bytes per key, the JVM heap in use, and the time to close
 * and reopen. Not a JMH benchmark: one long run.
 *
 * <pre>java -Xmx256m -cp dynamo-bench/target/benchmarks.jar io.dynamo.bench.storage.ChronicleLoadMain \
 *     [keys=2000000] [partitions=256] [directory=a new temporary directory]</pre>
 *
 * The directory is left in place when given, deleted otherwise.
 */
public final class ChronicleLoadMain {
    private ChronicleLoadMain() {}

    public static void main(String[] args) throws IOException {
        long keys = args.length > 0 ? Long.parseLong(args[0].replace("_", "")) : 2_000_000;
        int partitions = args.length > 1 ? Integer.parseInt(args[1]) : 256;
        boolean temporary = args.length <= 2;
        Path dataDirectory = temporary ? Files.createTempDirectory("dynamo-load") : Path.of(args[2]);
        long perPartition = (long) Math.ceil(keys * 1.1 / partitions);
        PluginConfig config = PluginConfig.empty("chronicle")
                .with("entries-per-partition", Long.toString(perPartition))
                .with("average-key-size", "16")
                .with("average-value-size", "130");
        StorageEngineFactory factory = new ChroniclePlugin().storageEngines().get(0);
        NodePluginContext context = new NodePluginContext("bench", dataDirectory);

        byte[] value = new byte[100];
        new Random(42).nextBytes(value);
        List<Versioned> versions =
                List.of(Versioned.of(VectorClock.EMPTY.increment("node-1", 1_700_000_000_000L), Bytes.of(value)));
        System.out.printf("loading %,d keys into %d partitions (%,d entries each) under %s%n",
                keys, partitions, perPartition, dataDirectory);

        long start = System.nanoTime();
        StorageEngine engine = factory.create(config, context);
        ByteBuffer key = ByteBuffer.allocate(16);
        for (long i = 0; i < keys; i++) {
            key.clear();
            key.putLong(i * 0x9E3779B97F4A7C15L).putLong(i);
            int partition = (int) Math.floorMod(i * 31, (long) partitions);
            engine.update(partition, Bytes.of(key.array()), current -> versions);
            if ((i + 1) % 1_000_000 == 0) {
                System.out.printf("  %,d keys, %.1f s%n", i + 1, (System.nanoTime() - start) / 1e9);
            }
        }
        double loadSeconds = (System.nanoTime() - start) / 1e9;
        System.out.printf("load: %.1f s, %,.0f puts/s%n", loadSeconds, keys / loadSeconds);
        System.out.printf("heap used after load (after GC): %.1f MiB%n", heapUsedMiB());

        long closeStart = System.nanoTime();
        engine.close();
        double closeMs = (System.nanoTime() - closeStart) / 1e6;
        long fileBytes = 0;
        try (Stream<Path> files = Files.walk(dataDirectory)) {
            for (Path p : files.filter(Files::isRegularFile).toList()) {
                fileBytes += Files.size(p);
            }
        }
        System.out.printf("files: %,d bytes = %.1f bytes per key (close %.0f ms)%n", fileBytes, (double) fileBytes / keys,
                closeMs);

        long reopenStart = System.nanoTime();
        engine = factory.create(config, context);
        double reopenMs = (System.nanoTime() - reopenStart) / 1e6;
        long found = 0;
        for (int p = 0; p < partitions; p++) {
            found += engine.size(p);
        }
        System.out.printf("reopen: %.0f ms, %,d keys found%n", reopenMs, found);
        System.out.printf("heap used after reopen (after GC): %.1f MiB%n", heapUsedMiB());
        engine.close();
        if (temporary) {
            try (Stream<Path> files = Files.walk(dataDirectory)) {
                for (Path p : files.sorted(java.util.Comparator.reverseOrder()).toList()) {
                    Files.delete(p);
                }
            }
        }
    }

    private static double heapUsedMiB() {
        System.gc();
        MemoryUsage heap = ManagementFactory.getMemoryMXBean().getHeapMemoryUsage();
        return heap.getUsed() / (1024.0 * 1024.0);
    }
}
