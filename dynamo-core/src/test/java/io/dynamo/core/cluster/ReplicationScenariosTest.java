package io.dynamo.core.cluster;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.dynamo.api.Bytes;
import io.dynamo.api.Causality;
import io.dynamo.api.Context;
import io.dynamo.api.DynamoStore;
import io.dynamo.api.ReadResult;
import io.dynamo.api.RequestOptions;
import io.dynamo.api.Versioned;
import io.dynamo.core.ring.Ring;
import io.dynamo.spi.causality.CausalityScheme;
import io.dynamo.spi.storage.StorageEngine;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/** The scenarios of the replication issue, on simulated in-process clusters. */
class ReplicationScenariosTest {
    private static Bytes utf8(String text) {
        return Bytes.utf8(text);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("io.dynamo.core.cluster.Schemes#both")
    void everyGetSeesTheLatestAcknowledgedPutWhenRPlusWExceedsN(CausalityScheme causality) {
        try (InProcessCluster cluster = InProcessCluster.builder().causality(causality).nodes(5).seed(11).build()) {
            List<String> ids = cluster.nodeIds();
            for (int i = 0; i < 60; i++) {
                Bytes key = utf8("key-" + (i % 7));
                DynamoStore writer = cluster.store(ids.get(i % ids.size()));
                DynamoStore reader = cluster.store(ids.get((i * 3 + 1) % ids.size()));
                Context context = reader.get(key).context();
                writer.put(key, utf8("value-" + i), context);
                ReadResult read = reader.get(key);
                assertEquals(List.of(utf8("value-" + i)), read.values(), "read after put " + i);
            }
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("io.dynamo.core.cluster.Schemes#both")
    void concurrentWritesFromOneContextBecomeSiblingsAndAMergedPutLeavesOne(CausalityScheme causality) {
        try (InProcessCluster cluster = InProcessCluster.builder().causality(causality).seed(12).build()) {
            Bytes key = utf8("cart");
            DynamoStore a = cluster.client("client-a");
            DynamoStore b = cluster.client("client-b");
            Context start = a.put(key, utf8("milk"), Context.EMPTY);
            Context seen = a.get(key).context();
            assertEquals(start, seen);

            // both write from the same context, through the same coordinator and through another
            String coordinator = cluster.ring().preferenceList(key, 3).get(0);
            cluster.store(coordinator).put(key, utf8("milk,eggs"), seen);
            cluster.store(coordinator).put(key, utf8("milk,bread"), seen);
            b.put(key, utf8("milk,tea"), seen);

            ReadResult read = a.get(key);
            assertEquals(Set.of(utf8("milk,eggs"), utf8("milk,bread"), utf8("milk,tea")), Set.copyOf(read.values()));
            assertTrue(read.hasConflict());

            b.put(key, utf8("milk,eggs,bread,tea"), read.context());
            ReadResult merged = a.get(key, RequestOptions.quorum(3));
            assertEquals(List.of(utf8("milk,eggs,bread,tea")), merged.values());
            assertFalse(merged.hasConflict());
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("io.dynamo.core.cluster.Schemes#both")
    void aPutAppliedTwiceIsReadAsOneValue(CausalityScheme causality) {
        try (InProcessCluster cluster = InProcessCluster.builder().causality(causality).seed(19).build()) {
            Bytes key = utf8("retried");
            List<String> owners = cluster.ring().preferenceList(key, 3);
            // what a client's retry does when the first coordinator's answer is lost: the same
            // put, from the same context, at another coordinator
            cluster.store(owners.get(0)).put(key, utf8("v"), Context.EMPTY);
            cluster.store(owners.get(1)).put(key, utf8("v"), Context.EMPTY);
            cluster.network().runFor(Duration.ofMillis(100));
            int partition = cluster.ring().partitionOf(key);
            assertEquals(2, cluster.storage(owners.get(2)).get(partition, key).size(), "stored as two siblings");

            ReadResult read = cluster.client("client").get(key, RequestOptions.quorum(3));

            assertEquals(List.of(utf8("v")), read.values());
            assertFalse(read.hasConflict());
            cluster.client("client").put(key, utf8("w"), read.context());
            cluster.network().runFor(Duration.ofMillis(100));
            assertEquals(List.of(utf8("w")),
                    cluster.storage(owners.get(2)).get(partition, key).stream().map(Versioned::value).toList(),
                    "a put with the read's context supersedes both");
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("io.dynamo.core.cluster.Schemes#both")
    void oneOfThreeCrashedStillServesAndCatchesUpThroughHints(CausalityScheme causality) {
        try (InProcessCluster cluster = InProcessCluster.builder().causality(causality).seed(13).build()) {
            DynamoStore client = cluster.client("client");
            cluster.crash("node-2");
            for (int i = 0; i < 20; i++) {
                Bytes key = utf8("key-" + i);
                Context context = client.get(key).context();
                client.put(key, utf8("v1-" + i), context);
                client.put(key, utf8("v2-" + i), client.get(key).context());
            }
            assertEquals(0, cluster.storage("node-2").size(0) + totalKeys(cluster.storage("node-2")));
            assertTrue(cluster.hintCount() > 0, "writes for node-2 were hinted elsewhere");

            cluster.restart("node-2");
            assertTrue(cluster.awaitHandoff(Duration.ofSeconds(10)), "every hint delivered");
            for (int i = 0; i < 20; i++) {
                Bytes key = utf8("key-" + i);
                // node-2's own copy is up to date: read it without the others
                int partition = cluster.ring().partitionOf(key);
                List<Versioned> onNode2 = cluster.storage("node-2").get(partition, key);
                assertEquals(1, onNode2.size(), "node-2 holds " + onNode2);
                assertEquals(utf8("v2-" + i), onNode2.get(0).value());
                ReadResult all = client.get(key, RequestOptions.quorum(3));
                assertEquals(List.of(utf8("v2-" + i)), all.values());
                assertFalse(all.hasConflict());
            }
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("io.dynamo.core.cluster.Schemes#both")
    void twoOfFiveCrashedStillTakeWritesThroughHintedNodes(CausalityScheme causality) {
        try (InProcessCluster cluster = InProcessCluster.builder().causality(causality).nodes(5).seed(14).build()) {
            Ring ring = cluster.ring();
            DynamoStore client = cluster.client("client");
            cluster.crash("node-2");
            cluster.crash("node-4");
            int written = 0;
            for (int i = 0; written < 15; i++) {
                Bytes key = utf8("key-" + i);
                if (!ring.preferenceList(key, 3).containsAll(List.of("node-2", "node-4"))) {
                    continue;
                }
                client.put(key, utf8("value-" + i), Context.EMPTY);
                written++;
            }
            cluster.restart("node-2");
            cluster.restart("node-4");
            assertTrue(cluster.awaitHandoff(Duration.ofSeconds(10)), "every hint delivered");
            written = 0;
            for (int i = 0; written < 15; i++) {
                Bytes key = utf8("key-" + i);
                List<String> owners = ring.preferenceList(key, 3);
                if (!owners.containsAll(List.of("node-2", "node-4"))) {
                    continue;
                }
                written++;
                for (String owner : owners) {
                    List<Versioned> stored = cluster.storage(owner).get(ring.partitionOf(key), key);
                    assertEquals(1, stored.size(), owner + " holds " + stored + " for " + key);
                    assertEquals(utf8("value-" + i), stored.get(0).value(), owner + " for " + key);
                }
            }
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("io.dynamo.core.cluster.Schemes#both")
    void deleteConcurrentWithPutGivesSiblingsAndAMergedDeleteGivesNotFound(CausalityScheme causality) {
        try (InProcessCluster cluster = InProcessCluster.builder().causality(causality).seed(15).build()) {
            Bytes key = utf8("doc");
            DynamoStore a = cluster.client("a");
            DynamoStore b = cluster.client("b");
            a.put(key, utf8("first"), Context.EMPTY);
            Context seen = a.get(key).context();
            a.delete(key, seen);
            b.put(key, utf8("second"), seen);

            ReadResult read = b.get(key);
            assertEquals(2, read.versions().size(), "siblings: " + read.versions());
            assertEquals(1, read.versions().stream().filter(Versioned::tombstone).count());
            assertEquals(List.of(utf8("second")), read.values());
            Versioned live = read.versions().stream().filter(v -> !v.tombstone()).findFirst().orElseThrow();
            Versioned dead = read.versions().stream().filter(Versioned::tombstone).findFirst().orElseThrow();
            assertEquals(Causality.CONCURRENT, live.clock().compare(dead.clock()));

            a.delete(key, read.context());
            ReadResult after = b.get(key, RequestOptions.quorum(3));
            assertFalse(after.found());
            assertEquals(1, after.versions().size());
            assertTrue(after.versions().get(0).tombstone());
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("io.dynamo.core.cluster.Schemes#both")
    void readRepairFixesAStaleReplica(CausalityScheme causality) {
        try (InProcessCluster cluster = InProcessCluster.builder().causality(causality).seed(16).build()) {
            Bytes key = utf8("repair-me");
            DynamoStore client = cluster.client("client");
            cluster.crash("node-3");
            client.put(key, utf8("old"), Context.EMPTY);
            cluster.restart("node-3");
            // deliver nothing: drop node-3's hints before they are handed off
            for (String id : cluster.nodeIds()) {
                cluster.storage(id).dropPartition(StorageEngine.HINTS_PARTITION);
            }
            int partition = cluster.ring().partitionOf(key);
            assertTrue(cluster.storage("node-3").get(partition, key).isEmpty());

            ReadResult read = client.get(key, RequestOptions.quorum(3));
            assertEquals(List.of(utf8("old")), read.values());
            cluster.network().runFor(Duration.ofSeconds(1));
            assertEquals(List.of(utf8("old")),
                    cluster.storage("node-3").get(partition, key).stream().map(Versioned::value).toList());
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("io.dynamo.core.cluster.Schemes#both")
    void hintsSurviveARestartOfTheNodeHoldingThem(CausalityScheme causality) {
        try (InProcessCluster cluster = InProcessCluster.builder().causality(causality).nodes(5).seed(17).build()) {
            Ring ring = cluster.ring();
            DynamoStore client = cluster.client("client");
            cluster.crash("node-3");
            List<Bytes> keys = new java.util.ArrayList<>();
            for (int i = 0; keys.size() < 10; i++) {
                Bytes key = utf8("key-" + i);
                if (ring.preferenceList(key, 3).contains("node-3")) {
                    client.put(key, utf8("value-" + i), Context.EMPTY);
                    keys.add(key);
                }
            }
            String holder = cluster.nodeIds().stream()
                    .filter(id -> cluster.storage(id).size(StorageEngine.HINTS_PARTITION) > 0)
                    .findFirst().orElseThrow();
            long held = cluster.storage(holder).size(StorageEngine.HINTS_PARTITION);
            cluster.crash(holder);
            cluster.restart(holder);
            assertEquals(held, cluster.node(holder).hints().size(), "hints kept across the restart");

            cluster.restart("node-3");
            assertTrue(cluster.awaitHandoff(Duration.ofSeconds(10)), "every hint delivered");
            for (Bytes key : keys) {
                List<Versioned> stored = cluster.storage("node-3").get(ring.partitionOf(key), key);
                assertEquals(1, stored.size(), "node-3 holds " + stored + " for " + key);
            }
        }
    }

    private static long totalKeys(StorageEngine engine) {
        long total = 0;
        for (int partition : engine.partitions()) {
            total += engine.size(partition);
        }
        return total;
    }
}
