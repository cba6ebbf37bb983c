package io.dynamo.core.cluster;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.dynamo.api.Bytes;
import io.dynamo.api.Context;
import io.dynamo.api.DynamoStore;
import io.dynamo.api.InvalidArgumentException;
import io.dynamo.api.ReadResult;
import io.dynamo.api.RequestOptions;
import io.dynamo.api.UnknownStoreException;
import io.dynamo.core.antientropy.RoundReport;
import io.dynamo.core.coordination.RequestLimits;
import io.dynamo.core.coordination.VersionLimits;
import io.dynamo.core.resolution.LastWriteWinsResolverFactory;
import io.dynamo.core.resolution.SetUnionResolverFactory;
import io.dynamo.core.resolution.VectorClockResolverFactory;
import io.dynamo.spi.storage.StorageEngine;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/**
 * Two stores beside the default one on one simulated cluster: {@code carts} (N=3, set-union) and
 * {@code sessions} (N=1, last writer wins), each by its own rules, its data apart.
 */
class StoresTest {
    private static final Bytes KEY = Bytes.utf8("user-1");

    private static InProcessCluster cluster(long seed) {
        return InProcessCluster.builder().nodes(4).seed(seed)
                .store("carts", 3, 2, 2, new SetUnionResolverFactory())
                .store("sessions", 1, 1, 1, new LastWriteWinsResolverFactory())
                .build();
    }

    @Test
    void eachStoreResolvesConcurrentWritesByItsOwnResolver() {
        try (InProcessCluster cluster = cluster(41)) {
            DynamoStore carts = cluster.client("client").store("carts");
            DynamoStore sessions = cluster.client("client").store("sessions");
            Context cart = carts.put(KEY, Bytes.utf8("milk"), Context.EMPTY);
            Context session = sessions.put(KEY, Bytes.utf8("s0"), Context.EMPTY);

            // two writes from one context through two coordinators: concurrent
            cluster.store("node-1", "carts").put(KEY, Bytes.utf8("milk\neggs"), cart);
            cluster.store("node-3", "carts").put(KEY, Bytes.utf8("bread\nmilk"), cart);
            cluster.store("node-1", "sessions").put(KEY, Bytes.utf8("s1"), session);
            cluster.network().runFor(Duration.ofMillis(5));
            cluster.store("node-3", "sessions").put(KEY, Bytes.utf8("s2"), session);

            ReadResult cartRead = carts.get(KEY, RequestOptions.quorum(3));
            assertEquals(List.of(Bytes.utf8("bread\neggs\nmilk")), cartRead.values(), "set union of the siblings");
            ReadResult sessionRead = sessions.get(KEY);
            assertEquals(List.of(Bytes.utf8("s2")), sessionRead.values(), "the last writer wins");
            assertFalse(sessionRead.hasConflict());
            assertEquals(List.of(), cluster.client("client").get(KEY).values(), "the default store never saw the key");
        }
    }

    @Test
    void aStoreKeepsItsDataApartAndItsOwnNumberOfReplicas() {
        try (InProcessCluster cluster = cluster(42)) {
            io.dynamo.core.client.DynamoClient client = cluster.client("client");
            for (int i = 0; i < 20; i++) {
                Bytes key = Bytes.utf8("key-" + i);
                client.store("carts").put(key, Bytes.utf8("cart-" + i), Context.EMPTY);
                client.store("sessions").put(key, Bytes.utf8("session-" + i), Context.EMPTY);
            }
            cluster.network().runFor(Duration.ofMillis(100));
            for (int i = 0; i < 20; i++) {
                Bytes key = Bytes.utf8("key-" + i);
                int partition = cluster.ring().partitionOf(key);
                assertEquals(3, holders(cluster, "carts", partition, key), "carts copies of " + key);
                assertEquals(1, holders(cluster, "sessions", partition, key), "sessions copies of " + key);
                assertEquals(0, holders(cluster, "default", partition, key), "default copies of " + key);
                assertEquals(List.of(Bytes.utf8("session-" + i)), client.store("sessions").get(key).values());
                assertEquals(List.of(Bytes.utf8("cart-" + i)), cluster.store("node-2", "carts").get(key).values());
            }
        }
    }

    /** Sibling limits and the largest value are a store's own: {@code tight} refuses what the default store takes. */
    @Test
    void siblingLimitsAndTheLargestValueAreAStoresOwn() {
        try (InProcessCluster cluster = InProcessCluster.builder().nodes(3).seed(44)
                .versionLimits(new VersionLimits(2, 2, VersionLimits.DEFAULT_MAX_CLOCK_SKEW))
                .limits(new RequestLimits(RequestLimits.DEFAULT.maxKeySize(), 100))
                .store("tight", 3, 2, 2, new VectorClockResolverFactory())
                .versionLimits(VersionLimits.DEFAULT)
                .limits(RequestLimits.DEFAULT)
                .build()) {
            io.dynamo.core.client.DynamoClient client = cluster.client("client");
            DynamoStore tight = client.store("tight");
            for (DynamoStore store : List.of(tight, (DynamoStore) client)) {
                store.put(KEY, Bytes.utf8("a"), Context.EMPTY); // blind writes: each one a sibling
                store.put(KEY, Bytes.utf8("b"), Context.EMPTY);
            }

            InvalidArgumentException siblings = assertThrows(InvalidArgumentException.class,
                    () -> tight.put(KEY, Bytes.utf8("c"), Context.EMPTY));
            assertTrue(siblings.getMessage().contains("max-siblings=2"), siblings.getMessage());
            client.put(KEY, Bytes.utf8("c"), Context.EMPTY);
            assertEquals(3, client.get(KEY).values().size(), "the default store keeps its limit of 100");
            assertEquals(2, tight.get(KEY).values().size(), "the refused write stored nothing");

            Bytes large = Bytes.of(new byte[101]);
            InvalidArgumentException value = assertThrows(InvalidArgumentException.class,
                    () -> tight.put(Bytes.utf8("large"), large, Context.EMPTY));
            assertTrue(value.getMessage().contains("100"), value.getMessage());
            client.put(Bytes.utf8("large"), large, Context.EMPTY);
            assertEquals(List.of(large), client.get(Bytes.utf8("large")).values());
        }
    }

    @Test
    void anUnknownStoreIsAClearErrorListingTheStores() {
        try (InProcessCluster cluster = cluster(43)) {
            DynamoStore unknown = cluster.client("client").store("carst");

            UnknownStoreException e = assertThrows(UnknownStoreException.class, () -> unknown.get(KEY));

            assertTrue(e.getMessage().contains("'carst'") && e.getMessage().contains("default, carts, sessions"),
                    e.getMessage());
            assertThrows(UnknownStoreException.class, () -> unknown.put(KEY, Bytes.utf8("v"), Context.EMPTY));
            UnknownStoreException embedded = assertThrows(UnknownStoreException.class,
                    () -> cluster.node("node-1").store("carst"));
            assertTrue(embedded.getMessage().contains("default, carts, sessions"), embedded.getMessage());
            assertThrows(io.dynamo.api.InvalidArgumentException.class, () -> cluster.client("client").store("Carts"));
        }
    }

    @Test
    void hintedHandoffRepairsAWriteAStoreMissed() {
        try (InProcessCluster cluster = cluster(44)) {
            DynamoStore carts = cluster.client("client").store("carts");
            cluster.crash("node-2");
            for (int i = 0; i < 20; i++) {
                carts.put(Bytes.utf8("key-" + i), Bytes.utf8("v-" + i), Context.EMPTY);
            }
            long cartHints = 0;
            for (String id : List.of("node-1", "node-3", "node-4")) {
                cartHints += cluster.storage(id, "carts").size(StorageEngine.HINTS_PARTITION);
                assertEquals(0, cluster.storage(id).size(StorageEngine.HINTS_PARTITION), "no hint in the default store");
            }
            assertTrue(cartHints > 0, "writes for node-2 were hinted in the carts store");

            cluster.restart("node-2");
            assertTrue(cluster.awaitHandoff(Duration.ofSeconds(10)), "every hint delivered");

            int onNode2 = 0;
            for (int i = 0; i < 20; i++) {
                Bytes key = Bytes.utf8("key-" + i);
                int partition = cluster.ring().partitionOf(key);
                if (cluster.ring().preferenceList(partition, 3).contains("node-2")) {
                    assertFalse(cluster.storage("node-2", "carts").get(partition, key).isEmpty(), "node-2 lacks " + key);
                    onNode2++;
                }
            }
            assertTrue(onNode2 > 0, "node-2 replicates some of the keys");
        }
    }

    @Test
    void antiEntropyRepairsAStoreOfANodeThatLostItsData() {
        try (InProcessCluster cluster = cluster(45)) {
            DynamoStore carts = cluster.client("client").store("carts");
            for (int i = 0; i < 30; i++) {
                carts.put(Bytes.utf8("key-" + i), Bytes.utf8("v-" + i), Context.EMPTY);
            }
            cluster.network().runFor(Duration.ofMillis(100));
            cluster.crash("node-2");
            cluster.wipe("node-2");
            cluster.restart("node-2");

            RoundReport report = cluster.network().await(
                    cluster.node("node-2").storeRuntime("carts").antiEntropy().repair(Optional.empty()), Duration.ofHours(1));

            assertTrue(report.keysDiffering() > 0, "the exchange found what node-2 lost: " + report);
            for (int i = 0; i < 30; i++) {
                Bytes key = Bytes.utf8("key-" + i);
                int partition = cluster.ring().partitionOf(key);
                if (cluster.ring().preferenceList(partition, 3).contains("node-2")) {
                    assertEquals(List.of(Bytes.utf8("v-" + i)), cluster.storage("node-2", "carts").get(partition, key)
                            .stream().map(io.dynamo.api.Versioned::value).toList(), "node-2's copy of " + key);
                }
            }
        }
    }

    @Test
    void aJoiningNodeReceivesEveryStoresPartitionsByItsOwnN() {
        io.dynamo.core.membership.MembershipSettings gossip = io.dynamo.core.membership.MembershipSettings.DEFAULT
                .withSettleDelay(Duration.ofSeconds(2)).withStream(25, 0);
        try (InProcessCluster cluster = InProcessCluster.builder().nodes(3).seed(46).partitions(32).gossip(gossip, 1)
                .store("carts", 3, 2, 2, new SetUnionResolverFactory())
                .store("sessions", 1, 1, 1, new LastWriteWinsResolverFactory())
                .build()) {
            io.dynamo.core.client.DynamoClient client = cluster.client("client");
            for (int i = 0; i < 60; i++) {
                Bytes key = Bytes.utf8("key-" + i);
                client.put(key, Bytes.utf8("default-" + i), Context.EMPTY);
                client.store("carts").put(key, Bytes.utf8("cart-" + i), Context.EMPTY);
                client.store("sessions").put(key, Bytes.utf8("session-" + i), Context.EMPTY);
            }

            cluster.join("node-4");
            assertTrue(cluster.network().runUntil(() -> cluster.settled()
                    && ringOf(cluster).isMember("node-4"), Duration.ofMinutes(2)), "node-4 joined");
            // the old copies are dropped a settle delay after the ring settled, once their new replicas confirm
            cluster.network().runFor(Duration.ofSeconds(10));

            io.dynamo.core.ring.Ring ring = ringOf(cluster);
            int onNode4 = 0;
            for (int i = 0; i < 60; i++) {
                Bytes key = Bytes.utf8("key-" + i);
                int partition = ring.partitionOf(key);
                for (String store : List.of("default", "carts", "sessions")) {
                    List<String> replicas = ring.preferenceList(partition, store.equals("sessions") ? 1 : 3);
                    for (String id : cluster.nodeIds()) {
                        boolean holds = !cluster.storage(id, store).get(partition, key).isEmpty();
                        assertEquals(replicas.contains(id), holds, id + " holding " + key + " of " + store
                                + " (replicas " + replicas + ")");
                    }
                    onNode4 += replicas.contains("node-4") ? 1 : 0;
                }
                assertEquals(List.of(Bytes.utf8("session-" + i)), client.store("sessions").get(key).values());
                assertEquals(List.of(Bytes.utf8("cart-" + i)),
                        client.store("carts").get(key, RequestOptions.quorum(3)).values());
            }
            assertTrue(onNode4 > 0, "node-4 replicates some keys");
        }
    }

    private static io.dynamo.core.ring.Ring ringOf(InProcessCluster cluster) {
        return cluster.node("node-1").membership().orElseThrow().view().ring();
    }

    private static int holders(InProcessCluster cluster, String store, int partition, Bytes key) {
        int holders = 0;
        for (String id : cluster.nodeIds()) {
            if (!cluster.storage(id, store).get(partition, key).isEmpty()) {
                holders++;
            }
        }
        return holders;
    }
}
