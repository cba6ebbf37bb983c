package io.dynamo.core.membership;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.dynamo.core.cluster.InProcessCluster;
import io.dynamo.core.messages.ErrorCode;
import io.dynamo.core.messages.Message;
import io.dynamo.core.messages.MessageCodec;
import io.dynamo.core.store.CatalogEntry;
import io.dynamo.core.store.RecordingStoreLifecycle;
import io.dynamo.core.store.RecordingStoreLifecycle.Call;
import io.dynamo.core.store.StoreCatalog;
import io.dynamo.spi.transport.Endpoint;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Predicate;
import org.junit.jupiter.api.Test;

/**
 * A store created at run time through one node reaches every node by gossip and is opened there;
 * a drop reaches every node; a node that was down learns both when it comes back; the catalog
 * survives a full restart; a catalog a peer gossips is checked before it is taken.
 */
class StoreCatalogGossipTest {
    private static final Duration LIMIT = Duration.ofSeconds(30);
    private static final Map<String, String> CARTS = Map.of("n", "2", "resolver", "set-union", "storage", "chronicle");

    private final Map<String, RecordingStoreLifecycle> lifecycles = new ConcurrentHashMap<>();

    private InProcessCluster cluster(int nodes, long seed) {
        InProcessCluster cluster = InProcessCluster.builder().nodes(nodes).seed(seed).partitions(16)
                .gossip(MembershipSettings.DEFAULT.withGossipInterval(Duration.ofSeconds(1)), 1)
                .storeLifecycles(id -> lifecycles.computeIfAbsent(id, k -> new RecordingStoreLifecycle()))
                .build();
        cluster.network().runFor(Duration.ofSeconds(3));
        return cluster;
    }

    @Test
    void aCreatedStoreReachesEveryNodeAndIsOpenedThereThenADropDoesToo() {
        try (InProcessCluster cluster = cluster(4, 11)) {
            CatalogEntry created = membership(cluster, "node-2").createStore("carts", CARTS);
            assertEquals(1, created.version());
            assertEquals("node-2", created.origin());
            awaitEverywhere(cluster, catalog -> catalog.entry("carts").equals(java.util.Optional.of(created)),
                    "carts created");
            awaitLifecycles(cluster, lifecycle -> created.equals(lifecycle.open().get("carts")), "carts opened");
            for (String id : cluster.nodeIds()) {
                assertEquals(List.of(new Call("open", "carts", 1)), lifecycles.get(id).calls(), id);
            }

            membership(cluster, "node-4").dropStore("carts");
            awaitEverywhere(cluster, catalog -> catalog.entry("carts").map(CatalogEntry::dropped).orElse(false),
                    "carts dropped");
            awaitLifecycles(cluster, lifecycle -> lifecycle.open().isEmpty(), "carts closed");
            for (String id : cluster.nodeIds()) {
                assertEquals(List.of(new Call("open", "carts", 1), new Call("drop", "carts", 0)),
                        lifecycles.get(id).calls(), id);
            }
        }
    }

    @Test
    void aNodeThatWasDownLearnsTheCreatesAndDropsItMissed() {
        try (InProcessCluster cluster = cluster(3, 12)) {
            membership(cluster, "node-1").createStore("old", Map.of("n", "3"));
            awaitLifecycles(cluster, lifecycle -> lifecycle.open().containsKey("old"), "old opened");
            cluster.crash("node-3");

            membership(cluster, "node-1").createStore("carts", CARTS);
            membership(cluster, "node-2").createStore("brief", Map.of());
            membership(cluster, "node-2").dropStore("brief");
            membership(cluster, "node-2").dropStore("old");
            cluster.network().runFor(Duration.ofSeconds(5));
            assertFalse(lifecycles.get("node-3").open().containsKey("carts"));

            cluster.restart("node-3");
            StoreCatalog expected = membership(cluster, "node-1").stores();
            assertTrue(cluster.network().runUntil(() -> membership(cluster, "node-3").stores().equals(expected), LIMIT),
                    "node-3 learned the catalog: " + membership(cluster, "node-3").stores());
            RecordingStoreLifecycle node3 = lifecycles.get("node-3");
            assertEquals(java.util.Set.of("carts"), node3.open().keySet());
            // at its start it opened what it had saved (old, opened before the crash too), then took what it
            // missed (by name): carts created, old dropped; brief, created and dropped while it was down, never opened
            assertEquals(List.of(new Call("open", "old", 1), new Call("open", "old", 1), new Call("open", "carts", 1),
                    new Call("drop", "old", 0)), node3.calls());
        }
    }

    @Test
    void aFullRestartKeepsTheCatalogAndReopensItsStores() {
        try (InProcessCluster cluster = cluster(3, 13)) {
            membership(cluster, "node-1").createStore("carts", CARTS);
            membership(cluster, "node-1").createStore("gone", Map.of());
            membership(cluster, "node-1").dropStore("gone");
            StoreCatalog expected = membership(cluster, "node-1").stores();
            awaitEverywhere(cluster, expected::equals, "the catalog everywhere");
            for (String id : cluster.nodeIds()) {
                cluster.crash(id);
            }
            for (String id : cluster.nodeIds()) {
                lifecycles.put(id, new RecordingStoreLifecycle());
                cluster.restart(id);
                // from its own disk, before any gossip
                assertEquals(expected, membership(cluster, id).stores(), id);
                assertEquals(List.of(new Call("open", "carts", 1), new Call("drop", "gone", 0)), lifecycles.get(id).calls(),
                        id + " at start: opens what is live, finishes every drop");
            }
        }
    }

    @Test
    void aGossipedEntryWhoseSettingsMakeNoStoreIsNotTakenAndTheRestIs() {
        try (InProcessCluster cluster = cluster(3, 14)) {
            GossipState state = membership(cluster, "node-2").state();
            StoreCatalog forged = StoreCatalog.of(List.of(
                    CatalogEntry.live("good", Map.of("n", "2"), 1, "node-2"),
                    CatalogEntry.live("bad", Map.of("color", "red"), 1, "node-2"),
                    CatalogEntry.live("worse", Map.of("n", "0"), 1, "node-2")));
            membership(cluster, "node-1").onGossip(new Message.Gossip(state.withStores(forged)));
            awaitEverywhere(cluster, catalog -> catalog.entry("good").isPresent(), "good spread");
            cluster.network().runFor(Duration.ofSeconds(5));
            for (String id : cluster.nodeIds()) {
                assertEquals(java.util.Set.of("good"), membership(cluster, id).stores().entries().keySet(), id);
            }
            // a forged newer version of a store with bad settings does not replace the good one
            StoreCatalog newer = StoreCatalog.of(List.of(CatalogEntry.live("good", Map.of("r", "-2"), 9, "node-2")));
            membership(cluster, "node-1").onGossip(new Message.Gossip(state.withStores(newer)));
            assertEquals(1, membership(cluster, "node-1").stores().entry("good").orElseThrow().version());
        }
    }

    @Test
    void aMalformedCatalogInGossipIsRefusedWhole() {
        try (InProcessCluster cluster = cluster(3, 15)) {
            GossipState state = membership(cluster, "node-2").state();
            StoreCatalog catalog = StoreCatalog.of(List.of(CatalogEntry.live("zzzzz", Map.of("n", "2"), 1, "node-2")));
            byte[] bytes = MessageCodec.encode(new Message.Gossip(state.withStores(catalog)));
            String text = new String(bytes, StandardCharsets.ISO_8859_1).replace("zzzzz", "ZZ ZZ");
            byte[] malformed = text.getBytes(StandardCharsets.ISO_8859_1);
            byte[] answer = cluster.network().await(cluster.network().transport("node-2")
                    .request(new Endpoint("node-1"), malformed, LIMIT), LIMIT);
            Message decoded = MessageCodec.decode(answer);
            assertInstanceOf(Message.Error.class, decoded);
            assertEquals(ErrorCode.MALFORMED, ((Message.Error) decoded).code());
            cluster.network().runFor(Duration.ofSeconds(5));
            for (String id : cluster.nodeIds()) {
                assertEquals(StoreCatalog.EMPTY, membership(cluster, id).stores(), id);
            }
        }
    }

    private void awaitEverywhere(InProcessCluster cluster, Predicate<StoreCatalog> condition, String what) {
        assertTrue(cluster.network().runUntil(() -> cluster.nodeIds().stream()
                .allMatch(id -> condition.test(membership(cluster, id).stores())), LIMIT), what + " on every node");
    }

    private void awaitLifecycles(InProcessCluster cluster, Predicate<RecordingStoreLifecycle> condition, String what) {
        assertTrue(cluster.network().runUntil(() -> cluster.nodeIds().stream()
                .allMatch(id -> condition.test(lifecycles.get(id))), LIMIT), what + " on every node");
    }

    private static Membership membership(InProcessCluster cluster, String id) {
        return cluster.node(id).membership().orElseThrow();
    }
}
