package io.dynamo.core.membership;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.dynamo.api.Bytes;
import io.dynamo.api.Context;
import io.dynamo.api.DynamoStore;
import io.dynamo.api.RequestOptions;
import io.dynamo.core.cluster.InProcessCluster;
import io.dynamo.core.messages.Message;
import io.dynamo.core.ring.Ring;
import io.dynamo.spi.transport.Endpoint;
import java.time.Duration;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;

/**
 * A gossiped ring is taken only if it follows from the node's by the join and removal steps, and
 * a node drops a partition only once its new replicas confirm they hold it: a forged ring changes
 * nothing, and even one that passes the checks makes nobody drop data nobody received.
 */
class PoisonedGossipTest {
    private static final int PARTITIONS = 64;
    private static final int KEYS = 200;
    private static final MembershipSettings SETTINGS = MembershipSettings.DEFAULT.withSettleDelay(Duration.ofSeconds(2));

    @Test
    void aRingOwnedByAStrangerIsRefusedAndNothingIsDropped() {
        try (InProcessCluster cluster = cluster()) {
            writeKeys(cluster);
            Map<String, Set<Integer>> before = partitionsPerNode(cluster);
            GossipState honest = membership(cluster, "node-1").state();

            RingState poisoned = RingState.settled(honest.ring().version() + 1_000, Collections.nCopies(PARTITIONS, "ghost"));
            membership(cluster, "node-1").onGossip(new Message.Gossip(new GossipState(withGhost(honest), poisoned)));
            cluster.network().runFor(Duration.ofSeconds(30));

            for (String id : cluster.nodeIds()) {
                assertEquals(honest.ring(), membership(cluster, id).state().ring(), id + "'s ring");
            }
            assertEquals(before, partitionsPerNode(cluster));
            assertEveryKeyReadable(cluster);
        }
    }

    @Test
    void aPlausibleRingWhoseNewOwnerNeverConfirmsMakesNobodyDropAnything() {
        try (InProcessCluster cluster = cluster()) {
            writeKeys(cluster);
            Map<String, Set<Integer>> before = partitionsPerNode(cluster);
            GossipState honest = membership(cluster, "node-1").state();

            // exactly what a join of "ghost" would settle to: it passes the ring checks
            Ring withGhost = cluster.ring().withMember("ghost");
            RingState forged = RingState.settled(honest.ring().version() + 2, withGhost.assignment());
            membership(cluster, "node-1").onGossip(new Message.Gossip(new GossipState(withGhost(honest), forged)));
            cluster.network().runFor(Duration.ofSeconds(30));

            for (String id : cluster.nodeIds()) {
                assertEquals(forged, membership(cluster, id).state().ring(), id + " took the plausible ring");
            }
            // each node replicates fewer partitions in that ring, yet keeps every copy: ghost confirmed none
            assertEquals(before, partitionsPerNode(cluster));
            Ring original = Ring.fromAssignment(honest.ring().current(), withGhost.partitioner());
            for (int k = 0; k < KEYS; k++) {
                Bytes key = key(k);
                int partition = original.partitionOf(key);
                for (String replica : original.preferenceList(partition, 3)) {
                    assertTrue(!cluster.storage(replica).get(partition, key).isEmpty(), replica + " lost " + key);
                }
            }
        }
    }

    private static InProcessCluster cluster() {
        InProcessCluster cluster = InProcessCluster.builder().nodes(3).seed(41).partitions(PARTITIONS)
                .gossip(SETTINGS, 1).build();
        cluster.network().runFor(Duration.ofSeconds(5));
        return cluster;
    }

    private static void writeKeys(InProcessCluster cluster) {
        DynamoStore client = cluster.client("client");
        for (int k = 0; k < KEYS; k++) {
            client.put(key(k), Bytes.utf8("value-" + k), Context.EMPTY, RequestOptions.quorum(3));
        }
    }

    private static void assertEveryKeyReadable(InProcessCluster cluster) {
        DynamoStore client = cluster.store("node-2");
        for (int k = 0; k < KEYS; k++) {
            assertEquals(List.of(Bytes.utf8("value-" + k)), client.get(key(k), RequestOptions.quorum(3)).values());
        }
    }

    private static Map<String, Set<Integer>> partitionsPerNode(InProcessCluster cluster) {
        Map<String, Set<Integer>> partitions = new HashMap<>();
        for (String id : cluster.nodeIds()) {
            Set<Integer> data = new TreeSet<>();
            for (int p : cluster.storage(id).partitions()) {
                if (p < PARTITIONS) {
                    data.add(p);
                }
            }
            partitions.put(id, data);
        }
        return partitions;
    }

    private static Membership membership(InProcessCluster cluster, String id) {
        return cluster.node(id).membership().orElseThrow();
    }

    /** The members of {@code state} and a stranger, "ghost", that says it is up. */
    private static Map<String, MemberInfo> withGhost(GossipState state) {
        Map<String, MemberInfo> members = new HashMap<>(state.members());
        members.put("ghost", new MemberInfo("ghost", new Endpoint("ghost"), 1, 1_000_000, MemberState.UP, MoveProgress.NONE));
        return members;
    }

    private static Bytes key(int k) {
        return Bytes.utf8("key-" + k);
    }
}
