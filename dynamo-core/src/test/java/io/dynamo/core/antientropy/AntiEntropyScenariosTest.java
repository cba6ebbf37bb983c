package io.dynamo.core.antientropy;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.dynamo.api.Bytes;
import io.dynamo.api.Context;
import io.dynamo.api.DynamoException;
import io.dynamo.api.DynamoStore;
import io.dynamo.api.RequestOptions;
import io.dynamo.api.Versioned;
import io.dynamo.core.cluster.InProcessCluster;
import io.dynamo.core.ring.Ring;
import io.dynamo.spi.causality.CausalityScheme;
import io.dynamo.spi.storage.StorageEngine;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/** The anti-entropy scenarios of the issue, on simulated in-process clusters. */
class AntiEntropyScenariosTest {
    private static final AntiEntropySettings SETTINGS = AntiEntropySettings.DEFAULT.withInterval(Duration.ZERO)
            .withTreeDepth(6);

    @ParameterizedTest(name = "{0}")
    @MethodSource("io.dynamo.core.cluster.Schemes#both")
    void afterAPartitionAndLostHintsEveryReplicaConvergesExchangingOnlyTheKeysThatDiffered(CausalityScheme causality) {
        try (InProcessCluster cluster = InProcessCluster.builder().causality(causality).nodes(5).seed(21).antiEntropy(SETTINGS).build()) {
            Ring ring = cluster.ring();
            DynamoStore store = cluster.store("node-1");
            List<Bytes> keys = new ArrayList<>();
            for (int i = 0; i < 1000; i++) { // in sync before the partition
                Bytes key = Bytes.utf8("before-" + i);
                store.put(key, Bytes.utf8("v" + i), Context.EMPTY);
                keys.add(key);
            }
            cluster.network().partition(List.of(List.of("node-1", "node-2", "node-3"), List.of("node-4", "node-5")));
            int acknowledged = 0;
            for (int i = 0; i < 500; i++) {
                Bytes key = Bytes.utf8(i % 5 == 0 ? "before-" + i : "during-" + i); // some overwrite, most are new
                try {
                    store.put(key, Bytes.utf8("w" + i), store.get(key).context());
                    acknowledged++;
                } catch (DynamoException e) {
                    // a write may fail while the coordinator learns who is unreachable; it is not counted
                }
                if (!keys.contains(key)) {
                    keys.add(key);
                }
            }
            assertTrue(acknowledged > 400, "acknowledged " + acknowledged);
            for (String id : cluster.nodeIds()) {
                cluster.storage(id).dropPartition(StorageEngine.HINTS_PARTITION);
            }
            cluster.network().heal();

            long differingKeys = 0;
            long missingCopies = 0;
            for (Bytes key : keys) {
                List<Set<Versioned>> held = new ArrayList<>();
                Set<Versioned> union = new HashSet<>();
                for (String replica : ring.preferenceList(key, 3)) {
                    Set<Versioned> versions = Set.copyOf(cluster.storage(replica).get(ring.partitionOf(key), key));
                    held.add(versions);
                    union.addAll(versions);
                }
                Set<Versioned> latest = Set.copyOf(io.dynamo.core.coordination.Siblings.reduce(new ArrayList<>(union)));
                long missing = held.stream().filter(h -> !h.equals(latest)).count();
                differingKeys += missing > 0 ? 1 : 0;
                missingCopies += missing;
            }
            assertTrue(differingKeys > 100, "the partition left replicas apart: " + differingKeys);

            RoundReport total = RoundReport.EMPTY;
            for (String id : cluster.nodeIds()) {
                total = total.plus(cluster.network().await(cluster.node(id).repair(Optional.empty()), Duration.ofHours(1)));
            }

            for (Bytes key : keys) {
                Set<Versioned> first = null;
                for (String replica : ring.preferenceList(key, 3)) {
                    Set<Versioned> versions = Set.copyOf(cluster.storage(replica).get(ring.partitionOf(key), key));
                    assertFalse(versions.isEmpty(), replica + " lacks " + key);
                    if (first == null) {
                        first = versions;
                    }
                    assertEquals(first, versions, replica + " for " + key);
                }
            }
            assertEquals(0, total.failedExchanges());
            assertEquals(total.keysDiffering(), total.keysSent(), "every differing key exchanged, no other");
            assertTrue(total.keysDiffering() >= differingKeys && total.keysDiffering() <= missingCopies,
                    total.keysDiffering() + " keys exchanged for " + differingKeys + " differing keys, " + missingCopies
                            + " missing copies");
            System.out.printf("partition of a 5-node cluster, %d keys, %d differing (%d missing copies): %s%n",
                    keys.size(), differingKeys, missingCopies, total);

            RoundReport again = RoundReport.EMPTY;
            for (String id : cluster.nodeIds()) {
                again = again.plus(cluster.network().await(cluster.node(id).repair(Optional.empty()), Duration.ofHours(1)));
            }
            assertEquals(0, again.keysDiffering(), "in sync: " + again);
            assertEquals(again.exchanges(), again.treeNodesExchanged(), "in sync: one root per exchange");
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("io.dynamo.core.cluster.Schemes#both")
    void aKeyDeletedWhileAReplicaWasDownDoesNotComeBackAndItsTombstoneIsCollectedOnlyOnceThatReplicaHoldsIt(CausalityScheme causality) {
        AntiEntropySettings periodic = SETTINGS.withInterval(Duration.ofSeconds(2));
        periodic = new AntiEntropySettings(periodic.interval(), periodic.treeDepth(), periodic.maxBytesPerSecond(),
                periodic.maxKeysPerMessage(), periodic.maxDigestsPerMessage(), periodic.maxNodesPerMessage(),
                Duration.ofSeconds(2), true);
        try (InProcessCluster cluster = InProcessCluster.builder().causality(causality).seed(22).antiEntropy(periodic).build()) {
            Ring ring = cluster.ring();
            DynamoStore client = cluster.client("client");
            Bytes key = Bytes.utf8("doomed");
            client.put(key, Bytes.utf8("old"), Context.EMPTY);
            cluster.network().runFor(Duration.ofSeconds(1));
            int partition = ring.partitionOf(key);
            List<String> replicas = ring.preferenceList(key, 3);
            String owner = replicas.get(0);
            String returning = replicas.get(2);
            String other = replicas.get(1);
            for (String r : replicas) {
                assertEquals(1, cluster.storage(r).get(partition, key).size(), r + " holds the value");
            }

            cluster.crash(returning);
            client.delete(key, client.get(key).context());
            for (String id : cluster.nodeIds()) {
                cluster.storage(id).dropPartition(StorageEngine.HINTS_PARTITION);
            }
            // far longer than any grace period: 30 rounds among the other two
            cluster.network().runFor(Duration.ofSeconds(60));
            for (String r : List.of(owner, other)) {
                List<Versioned> held = cluster.storage(r).get(partition, key);
                assertTrue(held.size() == 1 && held.get(0).tombstone(), r + " still holds the tombstone: " + held);
            }
            assertFalse(cluster.storage(returning).get(partition, key).get(0).tombstone(), "returns with the old value");

            cluster.restart(returning);
            boolean[] returningHeldTombstone = {false};
            boolean[] resurrectable = {false};
            boolean collected = cluster.network().runUntil(() -> {
                boolean anyTombstone = false;
                boolean anyValue = false;
                boolean anyHeld = false;
                for (String r : replicas) {
                    for (Versioned v : cluster.storage(r).get(partition, key)) {
                        anyHeld = true;
                        anyTombstone |= v.tombstone();
                        anyValue |= !v.tombstone();
                        if (r.equals(returning) && v.tombstone()) {
                            returningHeldTombstone[0] = true;
                        }
                    }
                }
                resurrectable[0] |= anyValue && !anyTombstone; // the old value with nothing left to stop it
                return !anyHeld;
            }, Duration.ofSeconds(60));

            assertTrue(collected, "the tombstone was collected everywhere");
            assertTrue(returningHeldTombstone[0], "only after the returning replica held it");
            assertFalse(resurrectable[0], "at no moment could the old value come back");
            assertFalse(client.get(key, RequestOptions.quorum(3)).found());
            cluster.network().runFor(Duration.ofSeconds(20));
            for (String r : replicas) {
                assertTrue(cluster.storage(r).get(partition, key).isEmpty(), r + " does not bring it back");
            }
        }
    }
}
