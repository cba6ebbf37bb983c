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
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.List;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import java.util.function.UnaryOperator;
import java.util.stream.Stream;
import net.openhft.chronicle.map.ChronicleMap;
import net.openhft.chronicle.map.ChronicleMapBuilder;
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
 * Put and get of 16-byte keys and 100-byte values through the {@code chronicle} storage engine,
 * and through a raw persisted Chronicle Map {@code byte[] → byte[]} sized alike, in the same
 * run. The engine's extra work: encoding the versions with their clock, the CRC32C, the
 * read-modify-write under Chronicle's per-key lock, decoding on read.
 *
 * <pre>java -jar dynamo-bench/target/benchmarks.jar ChronicleStorageBenchmark -f 1 -wi 2 -i 3 -r 2s</pre>
 *
 * <p>JMH's forked JVM does not get the jar manifest's {@code Add-Opens}/{@code Add-Exports}, so
 * the flags Chronicle needs are given here; on Java 23+ also pass {@code -jvmArgsAppend
 * "--enable-native-access=ALL-UNNAMED --sun-misc-unsafe-memory-access=allow"}.
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
@State(Scope.Thread)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
public class ChronicleStorageBenchmark {
    private static final int PARTITION = 0;

    @Param("200000")
    int keys;

    private Path directory;
    private StorageEngine engine;
    private ChronicleMap<byte[], byte[]> raw;
    private Bytes[] engineKeys;
    private byte[][] rawKeys;
    private byte[] rawValue;
    private UnaryOperator<List<Versioned>> engineWrite;
    private int next;

    @Setup(Level.Trial)
    public void setUp() throws IOException {
        directory = Files.createTempDirectory("dynamo-storage-bench");
        Random random = new Random(42);
        engineKeys = new Bytes[keys];
        rawKeys = new byte[keys][];
        for (int i = 0; i < keys; i++) {
            rawKeys[i] = new byte[16];
            random.nextBytes(rawKeys[i]);
            engineKeys[i] = Bytes.of(rawKeys[i]);
        }
        rawValue = new byte[100];
        random.nextBytes(rawValue);
        List<Versioned> versions = List.of(
                Versioned.of(VectorClock.EMPTY.increment("node-1", 1_700_000_000_000L), Bytes.of(rawValue)));
        engineWrite = current -> versions;

        StorageEngineFactory factory = new ChroniclePlugin().storageEngines().get(0);
        PluginConfig config = PluginConfig.empty("chronicle")
                .with("entries-per-partition", Integer.toString(keys * 2))
                .with("average-key-size", "16")
                .with("average-value-size", "130");
        engine = factory.create(config, new NodePluginContext("bench", directory.resolve("engine")));
        raw = ChronicleMapBuilder.of(byte[].class, byte[].class)
                .entries(keys * 2L)
                .averageKeySize(16)
                .averageValueSize(100)
                .createPersistedTo(directory.resolve("raw.cmap").toFile());
        for (int i = 0; i < keys; i++) {
            engine.update(PARTITION, engineKeys[i], engineWrite);
            raw.put(rawKeys[i], rawValue);
        }
    }

    @TearDown(Level.Trial)
    public void tearDown() throws IOException {
        engine.close();
        raw.close();
        try (Stream<Path> files = Files.walk(directory)) {
            for (Path p : files.sorted(Comparator.reverseOrder()).toList()) {
                Files.delete(p);
            }
        }
    }

    private int nextIndex() {
        int i = next;
        next = i + 1 == keys ? 0 : i + 1;
        return i;
    }

    @Benchmark
    public List<Versioned> engineGet() {
        return engine.get(PARTITION, engineKeys[nextIndex()]);
    }

    @Benchmark
    public byte[] rawGet() {
        return raw.get(rawKeys[nextIndex()]);
    }

    /** An overwrite: the engine's put is a read-modify-write of the key's versions. */
    @Benchmark
    public List<Versioned> enginePut() {
        return engine.update(PARTITION, engineKeys[nextIndex()], engineWrite);
    }

    @Benchmark
    public byte[] rawPut() {
        return raw.put(rawKeys[nextIndex()], rawValue);
    }
}
