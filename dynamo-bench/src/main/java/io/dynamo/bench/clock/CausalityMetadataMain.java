package io.dynamo.bench.clock;

import io.dynamo.api.Bytes;
import io.dynamo.api.ReadResult;
import io.dynamo.api.RequestOptions;
import io.dynamo.api.Versioned;
import io.dynamo.core.causality.DottedVersionVectors;
import io.dynamo.core.causality.WriterSlots;
import io.dynamo.core.client.DynamoClient;
import io.dynamo.core.cluster.InProcessCluster;
import io.dynamo.core.config.ReplicationConfig;
import io.dynamo.spi.causality.CausalityScheme;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;

/**
 * The causality metadata each scheme stores per version, for the keys {@link CausalityBenchmark}
 * times: encoded clock bytes per version and clock entries (including dots), with 1, 3 and 10
 * siblings; then a hot key: 12 clients read-modify-writing one key 40 times each through every
 * coordinator of a simulated 3-node cluster, and what the key holds after the race.
 * Run: {@code java -cp dynamo-bench/target/benchmarks.jar io.dynamo.bench.clock.CausalityMetadataMain}.
 */
public final class CausalityMetadataMain {
    private CausalityMetadataMain() {}

    public static void main(String[] args) {
        System.out.printf("%-14s %9s %16s %14s%n", "scheme", "siblings", "clock bytes/ver", "entries/ver");
        for (String scheme : List.of(WriterSlots.NAME, DottedVersionVectors.NAME)) {
            for (int siblings : new int[] {1, 3, 10}) {
                List<Versioned> versions = CausalityBenchmark.sample(scheme, siblings);
                double entries = versions.stream().mapToInt(v -> v.clock().size()).average().orElse(0);
                System.out.printf("%-14s %9d %16.1f %14.1f%n", scheme, siblings, CausalityBenchmark.metadataBytes(versions),
                        entries);
            }
        }
        System.out.printf("%nhot key, 12 clients x 40 updates, max-clock-entries 50:%n");
        System.out.printf("%-14s %9s %16s %16s%n", "scheme", "siblings", "clock bytes/ver", "max entries");
        for (CausalityScheme scheme : List.of(new WriterSlots(), new DottedVersionVectors())) {
            ReadResult raced = hotKey(scheme);
            int most = raced.versions().stream().mapToInt(v -> v.clock().size()).max().orElse(0);
            System.out.printf("%-14s %9d %16.1f %16d%n", scheme, raced.versions().size(),
                    CausalityBenchmark.metadataBytes(raced.versions()), most);
        }
    }

    private static final Bytes KEY = Bytes.utf8("hot");

    private static ReadResult hotKey(CausalityScheme scheme) {
        try (InProcessCluster cluster = InProcessCluster.builder().seed(51).causality(scheme)
                .maxClockEntries(ReplicationConfig.DEFAULT_MAX_CLOCK_ENTRIES).build()) {
            List<CompletableFuture<Void>> loops = new ArrayList<>();
            for (int c = 0; c < 12; c++) {
                loops.add(update(cluster.client("client-" + c), "client-" + c, 40));
            }
            cluster.network().await(CompletableFuture.allOf(loops.toArray(CompletableFuture[]::new)), Duration.ofMinutes(10));
            return cluster.client("reader").get(KEY, RequestOptions.quorum(3));
        }
    }

    private static CompletableFuture<Void> update(DynamoClient client, String name, int remaining) {
        if (remaining == 0) {
            return CompletableFuture.completedFuture(null);
        }
        return client.getAsync(KEY, RequestOptions.DEFAULT)
                .thenCompose(read -> client.putAsync(KEY, Bytes.utf8(name + "-" + remaining), read.context(),
                        RequestOptions.DEFAULT))
                .handle((context, failure) -> null)
                .thenCompose(ignored -> update(client, name, remaining - 1));
    }
}
