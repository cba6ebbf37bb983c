package io.dynamo.core.cluster;

import static io.dynamo.api.Bytes.utf8;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.dynamo.api.Bytes;
import io.dynamo.api.Context;
import io.dynamo.api.ReadResult;
import io.dynamo.api.RequestOptions;
import io.dynamo.core.causality.DottedVersionVectors;
import io.dynamo.core.client.DynamoClient;
import io.dynamo.core.config.ReplicationConfig;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.Test;

/**
 * Many clients read-modify-writing one key at once, through every coordinator: the writes that
 * raced become siblings, and one write with the merged context must still replace them all.
 */
class HotKeyTest {
    private static final Bytes KEY = utf8("hot");
    private static final int CLIENTS = 12;
    private static final int UPDATES_PER_CLIENT = 40;

    @Test
    void aMergedWriteReplacesEverySiblingAfterHeavyContention() {
        try (InProcessCluster cluster = InProcessCluster.builder().seed(51)
                .maxClockEntries(ReplicationConfig.DEFAULT_MAX_CLOCK_ENTRIES).build()) {
            ReadResult raced = contend(cluster);
            assertTrue(raced.context().clock().size() > 10, "the race used writer slots beyond 10 entries: "
                    + raced.context().clock());

            DynamoClient client = cluster.client("resolver");
            client.put(KEY, utf8("merged"), client.get(KEY).context());

            assertEquals(List.of(utf8("merged")), client.get(KEY, RequestOptions.quorum(3)).values());
        }
    }

    @Test
    void withTenEntriesTheRaceLeavesSiblingsNoWriteCanReplace() {
        // Dynamo's truncation size: the merged write drops the oldest slots, so it no longer
        // dominates the versions that carry them (why the default is larger)
        try (InProcessCluster cluster = InProcessCluster.builder().seed(51).maxClockEntries(10).build()) {
            contend(cluster);
            DynamoClient client = cluster.client("resolver");
            client.put(KEY, utf8("merged"), client.get(KEY).context());

            assertTrue(client.get(KEY, RequestOptions.quorum(3)).values().size() > 1);
        }
    }

    @Test
    void underDottedVersionVectorsTheMergedWriteReplacesEverySiblingWhateverTheClockLimit() {
        // the limit that left siblings for good above bounds nothing here: no slots, one entry per coordinator
        try (InProcessCluster cluster = InProcessCluster.builder().seed(51).maxClockEntries(10)
                .causality(new DottedVersionVectors()).build()) {
            ReadResult raced = contend(cluster);
            assertTrue(raced.versions().size() <= CLIENTS, "at most one sibling per write outstanding at once: "
                    + raced.versions().size());
            for (var version : raced.versions()) {
                assertTrue(version.clock().dot().isPresent(), "every sibling carries its dot: " + version);
                assertTrue(version.clock().entries().size() <= 3, "one entry per coordinator: " + version.clock());
            }

            DynamoClient client = cluster.client("resolver");
            client.put(KEY, utf8("merged"), client.get(KEY).context());

            assertEquals(List.of(utf8("merged")), client.get(KEY, RequestOptions.quorum(3)).values());
        }
    }

    /** Every client updates the key in a loop, all at once; returns a read of the result. */
    private static ReadResult contend(InProcessCluster cluster) {
        List<CompletableFuture<Void>> loops = new ArrayList<>();
        for (int c = 0; c < CLIENTS; c++) {
            loops.add(update(cluster.client("client-" + c), "client-" + c, UPDATES_PER_CLIENT));
        }
        cluster.network().await(CompletableFuture.allOf(loops.toArray(CompletableFuture[]::new)), Duration.ofMinutes(10));
        ReadResult raced = cluster.client("reader").get(KEY);
        assertTrue(raced.versions().size() > 1, "the race left siblings");
        return raced;
    }

    private static CompletableFuture<Void> update(DynamoClient client, String name, int remaining) {
        if (remaining == 0) {
            return CompletableFuture.completedFuture(null);
        }
        return client.getAsync(KEY, RequestOptions.DEFAULT)
                .thenCompose(read -> client.putAsync(KEY, utf8(name + "-" + remaining), read.context(), RequestOptions.DEFAULT))
                .handle((context, failure) -> null) // a failed update is simply the next one's turn
                .thenCompose(ignored -> update(client, name, remaining - 1));
    }
}
