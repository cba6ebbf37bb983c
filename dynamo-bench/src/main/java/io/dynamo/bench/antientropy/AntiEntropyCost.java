package io.dynamo.bench.antientropy;

import io.dynamo.api.Bytes;
import io.dynamo.api.VectorClock;
import io.dynamo.api.Versioned;
import io.dynamo.core.antientropy.AntiEntropy;
import io.dynamo.core.antientropy.AntiEntropySettings;
import io.dynamo.core.antientropy.PartitionTrees;
import io.dynamo.core.antientropy.RoundReport;
import io.dynamo.core.coordination.ClusterView;
import io.dynamo.core.coordination.ReplicaStore;
import io.dynamo.core.messages.Message;
import io.dynamo.core.messages.MessageCodec;
import io.dynamo.core.ring.Ring;
import io.dynamo.core.storage.MemoryStorageEngine;
import io.dynamo.core.transport.local.LocalNetwork;
import io.dynamo.spi.partition.Partitioner;
import io.dynamo.spi.transport.Endpoint;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Random;
import java.util.concurrent.CompletableFuture;

/**
 * The cost of anti-entropy between two replicas of one partition holding {@code --keys} keys
 * (memory engine): building a tree from a scan, keeping it current on writes, confirming two
 * replicas are in sync, and repairing {@code --divergence} of the keys. The replicas talk
 * directly (every message encoded and decoded, no network), so the figures are the protocol's
 * CPU and bytes, without network latency or the rate limit.
 *
 * <pre>
 * java -Xmx6g -cp dynamo-bench/target/dynamo-bench-*.jar io.dynamo.bench.antientropy.AntiEntropyCost \
 *     [--keys 1000000] [--depth 16] [--divergence 0.01] [--value-size 100] [--seed 1]
 * </pre>
 */
public final class AntiEntropyCost {
    private static final int PARTITION = 0;

    private AntiEntropyCost() {}

    private record Replica(MemoryStorageEngine engine, PartitionTrees trees, ReplicaStore store, AntiEntropy antiEntropy) {}

    public static void main(String[] args) {
        int keys = 1_000_000;
        int depth = 16;
        double divergence = 0.01;
        int valueSize = 100;
        long seed = 1;
        for (int i = 0; i < args.length; i += 2) {
            String value = i + 1 < args.length ? args[i + 1] : "";
            switch (args[i]) {
                case "--keys" -> keys = Integer.parseInt(value);
                case "--depth" -> depth = Integer.parseInt(value);
                case "--divergence" -> divergence = Double.parseDouble(value);
                case "--value-size" -> valueSize = Integer.parseInt(value);
                case "--seed" -> seed = Long.parseLong(value);
                default -> throw new IllegalArgumentException("unknown option " + args[i]
                        + "; options: --keys, --depth, --divergence, --value-size, --seed");
            }
        }
        AntiEntropySettings settings = AntiEntropySettings.DEFAULT.withInterval(Duration.ZERO).withTreeDepth(depth)
                .withMaxBytesPerSecond(0);
        try (LocalNetwork network = LocalNetwork.simulated(seed)) {
            Replica[] replicas = new Replica[2];
            String[] ids = {"a", "b"};
            ClusterView view = new ClusterView(Ring.create(List.of(ids), 2, onePartition()),
                    Map.of("a", new Endpoint("a"), "b", new Endpoint("b")));
            for (int r = 0; r < 2; r++) {
                MemoryStorageEngine engine = new MemoryStorageEngine();
                PartitionTrees trees = new PartitionTrees(engine, depth);
                ReplicaStore store = new ReplicaStore(engine, trees);
                AntiEntropy antiEntropy = new AntiEntropy(ids[r], () -> view, 2, store, trees,
                        (to, request, timeout) -> deliver(replicas[to.equals("a") ? 0 : 1], request),
                        network.scheduler(ids[r]), Runnable::run, settings);
                replicas[r] = new Replica(engine, trees, store, antiEntropy);
            }
            Random random = new Random(seed);
            byte[] value = new byte[valueSize];
            long start = System.nanoTime();
            for (int i = 0; i < keys; i++) {
                random.nextBytes(value);
                List<Versioned> versions = List.of(Versioned.of(VectorClock.EMPTY.increment("a", 1_000_000L + i), Bytes.of(value)));
                Bytes key = Bytes.utf8("key-" + i);
                replicas[0].engine().update(PARTITION, key, stored -> versions);
                replicas[1].engine().update(PARTITION, key, stored -> versions);
            }
            System.out.printf("loaded %,d keys into both replicas in %.1f s%n", keys, seconds(start));

            start = System.nanoTime();
            replicas[0].trees().tree(PARTITION);
            System.out.printf("tree of depth %d built from a scan of %,d keys: %.2f s%n", depth, keys, seconds(start));
            replicas[1].trees().tree(PARTITION);

            report("in sync, confirm", replicas[0]);

            int changed = (int) Math.round(keys * divergence);
            start = System.nanoTime();
            for (int i = 0; i < changed; i++) {
                int k = random.nextInt(keys); // may repeat: counts the keys that really differ below
                Bytes key = Bytes.utf8("key-" + k);
                random.nextBytes(value);
                Replica target = replicas[i % 2];
                List<Versioned> current = target.store().read(PARTITION, key);
                target.store().merge(PARTITION, key, List.of(Versioned.of(
                        current.get(0).clock().increment(i % 2 == 0 ? "a" : "b", 2_000_000L + i), Bytes.of(value))));
            }
            double writeSeconds = seconds(start);
            System.out.printf("%,d writes kept the trees current: %.2f us per write (read + merge + tree update)%n",
                    changed, writeSeconds * 1e6 / Math.max(1, changed));

            report(String.format("%.2f%% divergence, repair", divergence * 100), replicas[0]);
            report("after repair, confirm", replicas[0]);
        }
    }

    private static void report(String what, Replica initiator) {
        long start = System.nanoTime();
        RoundReport report = initiator.antiEntropy().repair(Optional.of(PARTITION)).join();
        System.out.printf("%-28s %8.3f s  bytes=%,d  tree-nodes=%,d  keys-compared=%,d  keys-differing=%,d  keys-sent=%,d%n",
                what, seconds(start), report.bytesSent(), report.treeNodesExchanged(), report.keysCompared(),
                report.keysDiffering(), report.keysSent());
    }

    private static CompletableFuture<Message.Response> deliver(Replica to, Message.Request request) {
        Message.Request decoded = (Message.Request) MessageCodec.decode(MessageCodec.encode(request));
        return to.antiEntropy().handle(decoded).orElseThrow()
                .thenApply(answer -> (Message.Response) MessageCodec.decode(MessageCodec.encode(answer)));
    }

    private static double seconds(long startNanos) {
        return (System.nanoTime() - startNanos) / 1e9;
    }

    /** Every key in partition 0: the benchmark is about one partition. */
    private static Partitioner onePartition() {
        return Partitioner.of64Bits(key -> 0);
    }
}
