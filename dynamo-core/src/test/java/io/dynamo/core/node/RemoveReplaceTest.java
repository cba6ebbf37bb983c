package io.dynamo.core.node;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.dynamo.api.Bytes;
import io.dynamo.api.Context;
import io.dynamo.api.DynamoException;
import io.dynamo.api.DynamoStore;
import io.dynamo.api.RequestOptions;
import io.dynamo.core.cluster.InProcessCluster;
import io.dynamo.core.membership.GossipState;
import io.dynamo.core.membership.MemberInfo;
import io.dynamo.core.membership.MemberState;
import io.dynamo.core.membership.MembershipSettings;
import io.dynamo.core.membership.MoveProgress;
import io.dynamo.core.membership.RingState;
import io.dynamo.core.messages.ErrorCode;
import io.dynamo.core.messages.Message;
import io.dynamo.core.messages.MessageCodec;
import io.dynamo.core.ring.Ring;
import io.dynamo.spi.transport.Role;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.Test;

/**
 * Forced removal and replacement of a dead node on a simulated cluster (local transport): the
 * admin requests propose ring changes every node accepts; the surviving replicas stream the dead
 * node's partitions to their new owners; afterwards every acknowledged key is on the N replicas
 * of the new ring and readable at R=N, and no live node dropped a partition. A client cannot send
 * the requests, a live node cannot be removed or replaced, and a gossiped replacement that does
 * not follow the documented step is refused.
 */
class RemoveReplaceTest {
    private static final int PARTITIONS = 32;
    private static final MembershipSettings SETTINGS = MembershipSettings.DEFAULT
            .withSettleDelay(Duration.ofSeconds(2))
            .withStream(25, 0);

    @Test
    void aDeadNodeIsRemovedByForceThenAnotherIsReplacedAndEveryKeyEndsOnNReplicas() {
        try (InProcessCluster cluster = InProcessCluster.builder().nodes(4).seed(41).partitions(PARTITIONS)
                .gossip(SETTINGS, 2).build()) {
            cluster.network().runFor(Duration.ofSeconds(3));
            Map<Bytes, Bytes> acknowledged = new LinkedHashMap<>();
            writeKeys(cluster, "before", 200, acknowledged);
            Map<String, Set<Integer>> heldBefore = held(cluster, List.of("node-1", "node-2", "node-3"));

            // a live node is neither removed nor replaced; a client may not even ask
            assertRefused(answer(cluster, "node-1", Role.ADMIN, new Message.RemoveNode("node-4")), "is up");
            assertForbidden(answer(cluster, "node-1", Role.CLIENT, new Message.RemoveNode("node-4")));
            assertForbidden(answer(cluster, "node-1", Role.CLIENT, new Message.ReplaceNode("node-4", "node-5")));

            cluster.crash("node-4");
            await(cluster, () -> !availability(cluster, "node-1").get("node-4"), Duration.ofSeconds(120));
            assertInstanceOf(Message.Ack.class, answer(cluster, "node-1", Role.ADMIN, new Message.RemoveNode("node-4")));
            writeKeys(cluster, "during-removal", 20, acknowledged); // a write may fail its quorum; only acknowledged ones count
            await(cluster, () -> cluster.settled() && !ringOf(cluster, "node-1").isMember("node-4"), Duration.ofSeconds(120));
            Ring removed = ringOf(cluster, "node-1");
            assertEquals(List.of("node-1", "node-2", "node-3"), removed.members());
            for (String id : removed.members()) {
                assertEquals(removed, ringOf(cluster, id), id + "'s ring");
            }
            cluster.network().runFor(SETTINGS.settleDelay().multipliedBy(3));
            assertPlacement(cluster, removed, acknowledged);
            assertReadableAtRn(cluster, removed.members(), acknowledged);
            assertNothingDropped(heldBefore, held(cluster, List.of("node-1", "node-2", "node-3")));

            // node-3's disk is gone: node-5 waits as a standby and takes its place
            writeKeys(cluster, "before-replace", 50, acknowledged);
            Map<String, Set<Integer>> heldBeforeReplace = held(cluster, List.of("node-1", "node-2"));
            cluster.crash("node-3");
            cluster.standby("node-5");
            await(cluster, () -> cluster.node("node-1").membership().orElseThrow().state().members().containsKey("node-5")
                    && !availability(cluster, "node-1").get("node-3"), Duration.ofSeconds(120));
            cluster.network().runFor(Duration.ofSeconds(5));
            assertFalse(ringOf(cluster, "node-1").isMember("node-5"), "a standby does not propose its own join");
            assertEquals(MemberState.JOINING, cluster.node("node-5").membership().orElseThrow().self().state());
            assertRefused(answer(cluster, "node-1", Role.ADMIN, new Message.ReplaceNode("node-2", "node-5")), "is up");
            assertRefused(answer(cluster, "node-1", Role.ADMIN, new Message.ReplaceNode("node-3", "node-9")),
                    "not a joining node");

            assertInstanceOf(Message.Ack.class,
                    answer(cluster, "node-2", Role.ADMIN, new Message.ReplaceNode("node-3", "node-5")));
            writeKeys(cluster, "during-replace", 20, acknowledged);
            await(cluster, () -> cluster.settled() && ringOf(cluster, "node-1").isMember("node-5"), Duration.ofSeconds(120));
            Ring replaced = ringOf(cluster, "node-1");
            assertEquals(List.of("node-1", "node-2", "node-5"), replaced.members());
            assertEquals(removed.partitionsOwnedBy("node-3"), replaced.partitionsOwnedBy("node-5"));
            cluster.network().runFor(Duration.ofSeconds(3));
            assertEquals(MemberState.UP, cluster.node("node-5").membership().orElseThrow().self().state());
            cluster.network().runFor(SETTINGS.settleDelay().multipliedBy(3));
            assertPlacement(cluster, replaced, acknowledged);
            assertReadableAtRn(cluster, replaced.members(), acknowledged);
            assertNothingDropped(heldBeforeReplace, held(cluster, List.of("node-1", "node-2")));
        }
    }

    @Test
    void aGossipedReplacementThatIsNotTheDocumentedStepIsRefused() {
        try (InProcessCluster cluster = InProcessCluster.builder().nodes(3).seed(42).partitions(PARTITIONS)
                .gossip(SETTINGS, 1).build()) {
            cluster.network().runFor(Duration.ofSeconds(3));
            DynamoNode node = cluster.node("node-1");
            GossipState before = node.membership().orElseThrow().state();
            Ring ring = cluster.ring();
            // a stranger that says it is up takes node-3's partitions and one of node-1's
            MemberInfo stranger = new MemberInfo("ghost", new io.dynamo.spi.transport.Endpoint("ghost"), 1, 1,
                    MemberState.UP, MoveProgress.NONE);
            List<String> forged = new java.util.ArrayList<>(ring.withReplacement("node-3", "ghost").assignment());
            forged.set(ring.partitionsOwnedBy("node-1").get(0), "ghost");
            Map<String, MemberInfo> members = new java.util.TreeMap<>(before.members());
            members.put("ghost", stranger);
            for (RingState poisoned : List.of(
                    new RingState(before.ring().version() + 1, before.ring().current(),
                            ring.withReplacement("node-3", "ghost").assignment()),
                    new RingState(before.ring().version() + 1, before.ring().current(), forged),
                    RingState.settled(before.ring().version() + 2, forged))) {
                Message answer = answer(cluster, "node-1", Role.PEER, new Message.Gossip(new GossipState(members, poisoned)));
                assertInstanceOf(Message.GossipAck.class, answer);
                assertEquals(before.ring(), node.membership().orElseThrow().state().ring(), "took " + poisoned);
            }
        }
    }

    private static void writeKeys(InProcessCluster cluster, String prefix, int count, Map<Bytes, Bytes> acknowledged) {
        DynamoStore store = cluster.store("node-1");
        for (int i = 0; i < count; i++) {
            Bytes key = Bytes.utf8(prefix + "-" + i);
            Bytes value = Bytes.utf8("value of " + prefix + "-" + i);
            try {
                store.put(key, value, Context.EMPTY);
                acknowledged.put(key, value);
            } catch (DynamoException e) {
                // not acknowledged: not asserted
            }
            cluster.network().runFor(Duration.ofMillis(20));
        }
    }

    private static Map<String, Boolean> availability(InProcessCluster cluster, String via) {
        return cluster.node(via).membership().orElseThrow().availability();
    }

    private static void await(InProcessCluster cluster, BooleanSupplier done, Duration limit) {
        long end = cluster.network().currentTimeMillis() + limit.toMillis();
        while (!done.getAsBoolean()) {
            assertTrue(cluster.network().currentTimeMillis() < end, "not done within " + limit + " of virtual time");
            cluster.network().runFor(Duration.ofMillis(100));
        }
    }

    private static Ring ringOf(InProcessCluster cluster, String id) {
        return cluster.node(id).membership().orElseThrow().view().ring();
    }

    /** Each acknowledged key is stored by every one of the N=3 replicas {@code ring} names. */
    private static void assertPlacement(InProcessCluster cluster, Ring ring, Map<Bytes, Bytes> acknowledged) {
        for (Bytes key : acknowledged.keySet()) {
            int partition = ring.partitionOf(key);
            List<String> replicas = ring.preferenceList(partition, 3);
            assertEquals(3, replicas.size());
            for (String replica : replicas) {
                assertTrue(cluster.isUp(replica), replica + " is a replica but down");
                assertTrue(cluster.storage(replica).get(partition, key).stream().anyMatch(v -> v.value().equals(
                        acknowledged.get(key))), replica + " lacks " + key.asUtf8());
            }
        }
    }

    private static void assertReadableAtRn(InProcessCluster cluster, List<String> via, Map<Bytes, Bytes> acknowledged) {
        int i = 0;
        for (Map.Entry<Bytes, Bytes> write : acknowledged.entrySet()) {
            DynamoStore store = cluster.store(via.get(i++ % via.size()));
            assertTrue(store.get(write.getKey(), RequestOptions.quorum(3)).values().contains(write.getValue()),
                    "R=N read of " + write.getKey().asUtf8());
        }
    }

    private static void assertNothingDropped(Map<String, Set<Integer>> before, Map<String, Set<Integer>> after) {
        before.forEach((id, partitions) -> assertTrue(after.get(id).containsAll(partitions),
                id + " dropped partitions: had " + partitions + ", has " + after.get(id)));
    }

    /** The data partitions each node holds. */
    private static Map<String, Set<Integer>> held(InProcessCluster cluster, List<String> ids) {
        Map<String, Set<Integer>> held = new java.util.TreeMap<>();
        for (String id : ids) {
            Set<Integer> partitions = new TreeSet<>();
            for (int partition : cluster.storage(id).partitions()) {
                if (partition < PARTITIONS) {
                    partitions.add(partition);
                }
            }
            held.put(id, partitions);
        }
        return held;
    }

    private static Message answer(InProcessCluster cluster, String via, Role role, Message.Request request) {
        DynamoNode node = cluster.node(via);
        return MessageCodec.decode(cluster.network().await(node.handler().handle(role, MessageCodec.encode(request)),
                Duration.ofSeconds(30)));
    }

    private static void assertForbidden(Message answer) {
        assertTrue(answer instanceof Message.Error e && e.code() == ErrorCode.FORBIDDEN, String.valueOf(answer));
    }

    private static void assertRefused(Message answer, String reason) {
        assertTrue(answer instanceof Message.Error e && e.message().contains(reason), String.valueOf(answer));
    }
}
