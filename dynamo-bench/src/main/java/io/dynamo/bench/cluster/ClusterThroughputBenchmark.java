package io.dynamo.bench.cluster;

import io.dynamo.api.Bytes;
import io.dynamo.api.Context;
import io.dynamo.core.client.DynamoClient;
import io.dynamo.core.cluster.InProcessCluster;
import io.dynamo.core.transport.local.Faults;
import io.dynamo.partitioner.md5.Md5Plugin;
import io.dynamo.spi.PluginConfig;
import io.dynamo.spi.partition.Partitioner;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;

/**
 * Put and get throughput of an in-process 3-node cluster (N = 3, R = 2, W = 2) on the
 * {@code memory} engine and the {@code md5} partitioner, over a real-time {@code local} network
 * without faults or delays, through the client library (so requests are forwarded when the chosen node
 * is not a replica, exactly as over TCP). Every benchmark thread writes its own keys with the
 * context of its previous write, so each key keeps one version.
 */
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
public class ClusterThroughputBenchmark {
    private static final int KEYS_PER_THREAD = 1024;

    /** One cluster shared by every thread. */
    @State(Scope.Benchmark)
    public static class Cluster {
        InProcessCluster cluster;
        DynamoClient client;
        final AtomicInteger threads = new AtomicInteger();

        @Setup(Level.Trial)
        public void start() {
            Partitioner md5 = new Md5Plugin().partitioners().get(0).create(PluginConfig.empty("md5"), null);
            cluster = InProcessCluster.builder().nodes(3).replication(3, 2, 2).realTime().threads(4)
                    .partitioner("md5", md5).partitions(256).timeout(Duration.ofSeconds(2)).faults(Faults.NONE).build();
            client = cluster.client("bench-client");
        }

        @TearDown(Level.Trial)
        public void stop() {
            cluster.close();
        }
    }

    /** A thread's own keys and the context of its last write of each. */
    @State(Scope.Thread)
    public static class Keys {
        Bytes[] keys;
        Context[] contexts;
        Bytes value;
        int next;

        @Setup(Level.Trial)
        public void create(Cluster shared) {
            int thread = shared.threads.getAndIncrement();
            keys = new Bytes[KEYS_PER_THREAD];
            contexts = new Context[KEYS_PER_THREAD];
            for (int i = 0; i < KEYS_PER_THREAD; i++) {
                keys[i] = Bytes.utf8("thread-" + thread + "-key-" + i);
                contexts[i] = shared.client.put(keys[i], Bytes.utf8("initial"), Context.EMPTY);
            }
            value = Bytes.of(new byte[100]);
        }
    }

    @Benchmark
    public Context put(Cluster cluster, Keys keys) {
        int i = keys.next++ & (KEYS_PER_THREAD - 1);
        Context written = cluster.client.put(keys.keys[i], keys.value, keys.contexts[i]);
        keys.contexts[i] = written;
        return written;
    }

    @Benchmark
    public Object get(Cluster cluster, Keys keys) {
        int i = keys.next++ & (KEYS_PER_THREAD - 1);
        return cluster.client.get(keys.keys[i]);
    }
}
