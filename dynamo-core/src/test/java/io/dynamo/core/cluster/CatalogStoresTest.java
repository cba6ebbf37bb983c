package io.dynamo.core.cluster;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.dynamo.api.Bytes;
import io.dynamo.api.Context;
import io.dynamo.api.RequestOptions;
import io.dynamo.api.UnknownStoreException;
import io.dynamo.core.client.DynamoClient;
import io.dynamo.core.membership.Membership;
import io.dynamo.core.membership.MembershipSettings;
import io.dynamo.core.ring.Ring;
import io.dynamo.spi.storage.StorageEngine;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * Stores of the run-time catalog on a simulated gossip cluster: created through one node, open
 * and usable through every node by their own resolver; dropped, unknown everywhere with their
 * engines closed; reopened with their data by a restarted node; received by a node that joins.
 */
class CatalogStoresTest {
    private static final Duration LIMIT = Duration.ofSeconds(60);
    private static final Bytes KEY = Bytes.utf8("cart-1");

    private static InProcessCluster cluster(int nodes, long seed) {
        InProcessCluster cluster = InProcessCluster.builder().nodes(nodes).seed(seed).partitions(16)
                .gossip(MembershipSettings.DEFAULT.withGossipInterval(Duration.ofSeconds(1))
                        .withSettleDelay(Duration.ofSeconds(2)).withStream(25, 0), 1)
                .build();
        cluster.network().runFor(Duration.ofSeconds(3));
        return cluster;
    }

    @Test
    void aCreatedStoreServesThroughEveryNodeByItsResolverAndADropEndsItEverywhere() {
        try (InProcessCluster cluster = cluster(3, 61)) {
            membership(cluster, "node-1").createStore("carts", Map.of("resolver", "set-union"));
            awaitOpenEverywhere(cluster, "carts", true);

            // two writes from one context through two coordinators: concurrent, merged by union
            Context cart = cluster.store("node-1", "carts").put(KEY, Bytes.utf8("milk"), Context.EMPTY);
            cluster.store("node-2", "carts").put(KEY, Bytes.utf8("milk\neggs"), cart);
            cluster.store("node-3", "carts").put(KEY, Bytes.utf8("bread\nmilk"), cart);
            DynamoClient client = cluster.client("client");
            assertEquals(List.of(Bytes.utf8("bread\neggs\nmilk")),
                    client.store("carts").get(KEY, RequestOptions.quorum(3)).values(), "set union of the siblings");
            assertEquals(List.of(), client.get(KEY).values(), "the default store never saw the key");

            List<StorageEngine> engines = cluster.nodeIds().stream()
                    .map(id -> cluster.catalogStore(id, "carts").orElseThrow().engine()).toList();
            membership(cluster, "node-2").dropStore("carts");
            awaitOpenEverywhere(cluster, "carts", false);
            for (String id : cluster.nodeIds()) {
                UnknownStoreException refused = assertThrows(UnknownStoreException.class,
                        () -> cluster.store(id, "carts").get(KEY), id);
                assertTrue(refused.getMessage().contains("no store 'carts'"), refused.getMessage());
                assertTrue(cluster.catalogStore(id, "carts").isEmpty(), id + " forgot the store's data");
            }
            assertThrows(UnknownStoreException.class, () -> client.store("carts").put(KEY, Bytes.utf8("x"), Context.EMPTY));
            for (StorageEngine engine : engines) {
                assertThrows(IllegalStateException.class, () -> engine.get(0, KEY), "the engine is closed");
            }
        }
    }

    @Test
    void aRestartedNodeOpensTheCatalogsStoreAgainWithItsData() {
        try (InProcessCluster cluster = cluster(3, 62)) {
            membership(cluster, "node-1").createStore("carts", Map.of("resolver", "set-union"));
            awaitOpenEverywhere(cluster, "carts", true);
            cluster.client("client").store("carts").put(KEY, Bytes.utf8("milk"), Context.EMPTY,
                    RequestOptions.quorum(3));
            int partition = cluster.ring().partitionOf(KEY);

            cluster.crash("node-2");
            cluster.restart("node-2");
            assertTrue(cluster.network().runUntil(() -> cluster.node("node-2").storeNames().contains("carts"), LIMIT),
                    "node-2 opened carts from its saved catalog");
            StorageEngine engine = cluster.node("node-2").storeRuntime("carts").engine();
            assertEquals(1, engine.get(partition, KEY).size(), "node-2's copy of the key is still there");
            assertEquals(List.of(Bytes.utf8("milk")), cluster.store("node-2", "carts").get(KEY).values());
        }
    }

    @Test
    void aNodeJoiningAfterTheCreateReceivesTheStoresPartitions() {
        try (InProcessCluster cluster = cluster(3, 63)) {
            membership(cluster, "node-1").createStore("carts", Map.of("resolver", "set-union", "n", "2", "r", "1",
                    "w", "2"));
            awaitOpenEverywhere(cluster, "carts", true);
            DynamoClient client = cluster.client("client");
            for (int i = 0; i < 40; i++) {
                client.store("carts").put(Bytes.utf8("key-" + i), Bytes.utf8("cart-" + i), Context.EMPTY);
            }

            cluster.join("node-4");
            assertTrue(cluster.network().runUntil(() -> cluster.settled() && ringOf(cluster).isMember("node-4"),
                    Duration.ofMinutes(2)), "node-4 joined");
            assertTrue(cluster.node("node-4").storeNames().contains("carts"), "node-4 opened carts");
            Ring ring = ringOf(cluster);
            StorageEngine node4 = cluster.node("node-4").storeRuntime("carts").engine();
            int received = 0;
            for (int i = 0; i < 40; i++) {
                Bytes key = Bytes.utf8("key-" + i);
                int partition = ring.partitionOf(key);
                if (ring.preferenceList(partition, 2).contains("node-4")) {
                    assertEquals(1, node4.get(partition, key).size(), "node-4 received " + key);
                    received++;
                }
            }
            assertTrue(received > 0, "node-4 replicates some keys of carts");
        }
    }

    private static void awaitOpenEverywhere(InProcessCluster cluster, String store, boolean open) {
        assertTrue(cluster.network().runUntil(() -> cluster.nodeIds().stream()
                .allMatch(id -> cluster.node(id).storeNames().contains(store) == open), LIMIT),
                store + (open ? " open" : " dropped") + " on every node");
    }

    private static Membership membership(InProcessCluster cluster, String id) {
        return cluster.node(id).membership().orElseThrow();
    }

    private static Ring ringOf(InProcessCluster cluster) {
        return cluster.node("node-1").membership().orElseThrow().view().ring();
    }
}
