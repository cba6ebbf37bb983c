package io.dynamo.bench.ring;

import io.dynamo.api.Bytes;
import io.dynamo.core.config.NodePluginContext;
import io.dynamo.core.ring.Ring;
import io.dynamo.partitioner.md5.Md5Plugin;
import io.dynamo.spi.PluginConfig;
import io.dynamo.spi.partition.Partitioner;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;

/**
 * Preference-list lookup (N = 3) on a ring of 100 nodes and Q = 4096 partitions: from a
 * partition already known, from key bytes through the {@code md5} partitioner plugin, and, for
 * comparison, a walk of the ring without the ring's precomputed lists.
 *
 * <p>{@code history}: {@code created} is a fresh round-robin ring; {@code changed} reached 100
 * nodes through joins and leaves, so walks meet repeated owners.
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@State(Scope.Thread)
public class PreferenceListBenchmark {
    private static final int NODES = 100;
    private static final int PARTITIONS = 4096;
    private static final int N = 3;
    private static final int KEYS = 1024;

    @Param({"created", "changed"})
    public String history;

    private Ring ring;
    private String[] owners;
    private Bytes[] keys;
    private int[] partitions;
    private int next;

    @Setup
    public void setUp() {
        Partitioner md5 = md5Plugin();
        List<String> ids = new ArrayList<>();
        for (int i = 0; i < NODES; i++) {
            ids.add(String.format("node-%03d", i));
        }
        if (history.equals("created")) {
            ring = Ring.create(ids, PARTITIONS, md5);
        } else {
            ring = Ring.create(ids.subList(0, 90), PARTITIONS, md5);
            for (String id : ids.subList(90, 100)) {
                ring = ring.withMember(id);
            }
            ring = ring.withMember("extra-1").withMember("extra-2").withoutMember("node-007").withoutMember("node-050");
        }
        owners = ring.assignment().toArray(String[]::new);
        Random random = new Random(42);
        keys = new Bytes[KEYS];
        partitions = new int[KEYS];
        for (int i = 0; i < KEYS; i++) {
            byte[] key = new byte[16];
            random.nextBytes(key);
            keys[i] = Bytes.of(key);
            partitions[i] = ring.partitionOf(keys[i]);
        }
    }

    private int nextIndex() {
        next = (next + 1) & (KEYS - 1);
        return next;
    }

    @Benchmark
    public List<String> fromPartition() {
        return ring.preferenceList(partitions[nextIndex()], N);
    }

    @Benchmark
    public List<String> fromKeyBytesMd5() {
        return ring.preferenceList(keys[nextIndex()], N);
    }

    @Benchmark
    public int partitionOfKeyBytesMd5() {
        return ring.partitionOf(keys[nextIndex()]);
    }

    /** Sloppy-quorum stand-ins: N + 2 nodes, still within the precomputed depth. */
    @Benchmark
    public List<String> fromPartitionNPlus2() {
        return ring.preferenceList(partitions[nextIndex()], N + 2);
    }

    /** Beyond the precomputed depth the ring walks: the cost the precomputation saves. */
    @Benchmark
    public List<String> fromPartitionBeyondPrecomputedDepth() {
        return ring.preferenceList(partitions[nextIndex()], Ring.PRECOMPUTED_DEPTH + 1);
    }

    /** Every member in preference order, as a coordinator looking for stand-ins asks. */
    @Benchmark
    public List<String> fromPartitionAllMembers() {
        return ring.preferenceList(partitions[nextIndex()], NODES);
    }

    /** The same lookup done by walking the assignment, as a ring without precomputation would. */
    @Benchmark
    public List<String> walkWithoutPrecomputation() {
        int p = partitions[nextIndex()];
        String[] chosen = new String[N];
        int found = 0;
        while (found < N) {
            String node = owners[p];
            boolean seen = false;
            for (int i = 0; i < found; i++) {
                seen |= chosen[i].equals(node);
            }
            if (!seen) {
                chosen[found++] = node;
            }
            p = (p + 1) & (PARTITIONS - 1);
        }
        return List.of(chosen);
    }

    private static Partitioner md5Plugin() {
        return new Md5Plugin().partitioners().get(0).create(PluginConfig.empty("md5"),
                new NodePluginContext("bench", Path.of(System.getProperty("java.io.tmpdir"))));
    }
}
