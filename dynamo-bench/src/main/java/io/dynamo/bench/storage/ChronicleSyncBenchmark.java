package io.dynamo.bench.storage;

import io.dynamo.api.Bytes;
import io.dynamo.api.VectorClock;
import io.dynamo.api.Versioned;
import io.dynamo.core.config.NodePluginContext;
import io.dynamo.spi.PluginConfig;
import io.dynamo.spi.storage.StorageEngine;
import io.dynamo.storage.chronicle.ChroniclePlugin;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.List;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import java.util.function.UnaryOperator;
import java.util.stream.Stream;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;

/**
 * The cost of a durable write with the {@code chronicle} engine: an engine put (16-byte key,
 * 100-byte value) alone ({@code sync=none}, {@code interval}), and followed by
 * {@code sync(partition)} ({@code sync=always}: one {@code fdatasync} of the partition's map
 * file, shared by the writers waiting at the same time); and a sync with nothing written since
 * the last (the group-commit fast path). Sample time, so JMH reports p50/p99 per operation; run
 * with {@code -t 1} for one writer's cost and {@code -t 8} to see group commit share forces
 * among concurrent writers of one partition ({@code -p partitions=1}) or not
 * ({@code -p partitions=8}: each thread its own partition).
 *
 * <pre>java -jar dynamo-bench/target/benchmarks.jar 'storage.ChronicleSyncBenchmark' -f 1 -wi 3 -w 2s -i 5 -r 2s -t 1 -p directory=/data/tmp
 * java -jar dynamo-bench/target/benchmarks.jar 'storage.ChronicleSyncBenchmark.putThenSync' -f 1 -wi 3 -w 2s -i 5 -r 2s -t 8 -p partitions=1,8 -p directory=/data/tmp</pre>
 *
 * <p>The figure depends on the device far more than on the code (a disk with a volatile write
 * cache that honours flushes: milliseconds; NVMe with power-loss protection: tens of
 * microseconds; tmpfs: nothing to write): give a directory on the data disk with
 * {@code -p directory=/path}. Chronicle's JVM flags are given to the fork as in {@link ChronicleStorageBenchmark}.
 */
@Fork(jvmArgsAppend = {
    "--add-opens=java.base/java.lang=ALL-UNNAMED",
    "--add-opens=java.base/java.lang.reflect=ALL-UNNAMED",
    "--add-exports=java.base/sun.nio.ch=ALL-UNNAMED",
    "--add-exports=jdk.compiler/com.sun.tools.javac.file=ALL-UNNAMED",
    "--add-exports=java.base/jdk.internal.ref=ALL-UNNAMED",
    "-Dchronicle.analytics.disable=true",
    "-Dchronicle.announcer.disable=true",
    "-Dorg.slf4j.simpleLogger.defaultLogLevel=warn"
})
@State(Scope.Benchmark)
@BenchmarkMode(Mode.SampleTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
public class ChronicleSyncBenchmark {
    private static final int KEYS_PER_PARTITION = 20_000;

    /** How many partitions the threads write to: thread i writes partition i mod this. */
    @Param("1")
    int partitions;

    /** Where the map files go: a directory on the device to measure; empty for the system's temporary directory. */
    @Param("")
    String directory;

    private Path files;
    private StorageEngine engine;
    private UnaryOperator<List<Versioned>> write;

    @Setup(Level.Trial)
    public void setUp() throws IOException {
        files = directory.isEmpty() ? Files.createTempDirectory("dynamo-sync-bench")
                : Files.createTempDirectory(Path.of(directory), "dynamo-sync-bench");
        byte[] value = new byte[100];
        new Random(42).nextBytes(value);
        List<Versioned> versions = List.of(
                Versioned.of(VectorClock.EMPTY.increment("node-1", 1_700_000_000_000L), Bytes.of(value)));
        write = current -> versions;
        PluginConfig config = PluginConfig.empty("chronicle")
                .with("entries-per-partition", Integer.toString(KEYS_PER_PARTITION * 2))
                .with("average-key-size", "16")
                .with("average-value-size", "130");
        engine = new ChroniclePlugin().storageEngines().get(0).create(config,
                new NodePluginContext("bench", files.resolve("engine")));
        for (int partition = 0; partition < partitions; partition++) {
            engine.prepare(partition);
        }
    }

    @TearDown(Level.Trial)
    public void tearDown() throws IOException {
        engine.close();
        try (Stream<Path> walked = Files.walk(files)) {
            for (Path p : walked.sorted(Comparator.reverseOrder()).toList()) {
                Files.delete(p);
            }
        }
    }

    /** One writing thread: its partition and its own keys. */
    @State(Scope.Thread)
    public static class Writer {
        int partition;
        Bytes[] keys;
        int next;

        @Setup(Level.Trial)
        public void setUp(ChronicleSyncBenchmark shared, org.openjdk.jmh.infra.ThreadParams thread) {
            partition = thread.getThreadIndex() % shared.partitions;
            Random random = new Random(thread.getThreadIndex());
            keys = new Bytes[KEYS_PER_PARTITION / Math.max(1, thread.getThreadCount())];
            for (int i = 0; i < keys.length; i++) {
                byte[] key = new byte[16];
                random.nextBytes(key);
                keys[i] = Bytes.of(key);
            }
        }

        Bytes nextKey() {
            Bytes key = keys[next];
            next = next + 1 == keys.length ? 0 : next + 1;
            return key;
        }
    }

    /** {@code sync=none} and {@code interval}: acknowledged once in the mapped pages. */
    @Benchmark
    public List<Versioned> putOnly(Writer writer) {
        return engine.update(writer.partition, writer.nextKey(), write);
    }

    /** {@code sync=always}: acknowledged after the partition's file was forced. */
    @Benchmark
    public List<Versioned> putThenSync(Writer writer) {
        List<Versioned> written = engine.update(writer.partition, writer.nextKey(), write);
        engine.sync(writer.partition);
        return written;
    }

    /** A sync with nothing written since the last force: what a background sync of an idle partition costs. */
    @Benchmark
    public void syncOfACleanPartition(Writer writer) {
        engine.sync(writer.partition);
    }
}
