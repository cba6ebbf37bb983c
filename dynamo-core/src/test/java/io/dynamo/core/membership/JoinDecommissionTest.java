package io.dynamo.core.membership;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.dynamo.api.Bytes;
import io.dynamo.api.Context;
import io.dynamo.api.DynamoStore;
import io.dynamo.api.QuorumException;
import io.dynamo.api.ReadResult;
import io.dynamo.api.RequestOptions;
import io.dynamo.core.cluster.InProcessCluster;
import io.dynamo.core.ring.Ring;
import io.dynamo.spi.causality.CausalityScheme;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.SplittableRandom;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Join and decommission on a simulated cluster under a writing and reading client: every
 * acknowledged write stays readable during the move and at R=N afterwards, and the data is
 * where the new ring says.
 */
class JoinDecommissionTest {
    private static final int PARTITIONS = 64;
    private static final MembershipSettings SETTINGS = MembershipSettings.DEFAULT
            .withSettleDelay(Duration.ofSeconds(3))
            .withStream(25, 64 * 1024); // small batches and a throttle: the move takes a while under load

    /** A client that writes fresh keys and reads back earlier ones, recording what was acknowledged. */
    private static final class Load {
        final Map<Bytes, Bytes> acknowledged = new LinkedHashMap<>();
        final List<Bytes> keys = new ArrayList<>();
        final SplittableRandom random = new SplittableRandom(5);
        final DynamoStore client;
        final InProcessCluster cluster;
        int writes;
        int failedWrites;
        int readsDuringMove;
        int next;

        Load(InProcessCluster cluster, DynamoStore client) {
            this.cluster = cluster;
            this.client = client;
        }

        void step() {
            Bytes key = Bytes.utf8("key-" + next);
            Bytes value = Bytes.utf8("value-" + next++);
            writes++;
            try {
                client.put(key, value, Context.EMPTY);
                acknowledged.put(key, value);
                keys.add(key);
            } catch (QuorumException e) {
                failedWrites++;
            }
            if (!keys.isEmpty()) {
                Bytes earlier = keys.get(random.nextInt(keys.size()));
                ReadResult read = client.get(earlier);
                assertEquals(List.of(acknowledged.get(earlier)), read.values(), "read of " + earlier + " under load");
                readsDuringMove++;
            }
            cluster.network().runFor(Duration.ofMillis(20));
        }

        /** Steps until {@code done}, at most {@code limit} of virtual time; returns the steps. */
        int until(BooleanSupplier done, Duration limit) {
            long end = cluster.network().currentTimeMillis() + limit.toMillis();
            int steps = 0;
            while (!done.getAsBoolean()) {
                assertTrue(cluster.network().currentTimeMillis() < end, "not settled within " + limit);
                step();
                steps++;
            }
            return steps;
        }
    }

    private static Ring ringOf(InProcessCluster cluster, String id) {
        return cluster.node(id).membership().orElseThrow().view().ring();
    }

    /** Each acknowledged key is stored by every replica the ring of {@code via} names. */
    private static void assertPlacement(InProcessCluster cluster, String via, Map<Bytes, Bytes> acknowledged) {
        Ring ring = ringOf(cluster, via);
        for (Bytes key : acknowledged.keySet()) {
            int partition = ring.partitionOf(key);
            for (String replica : ring.preferenceList(partition, 3)) {
                assertTrue(!cluster.storage(replica).get(partition, key).isEmpty(), replica + " lacks " + key);
            }
        }
    }

    private static void assertReadableAtRn(InProcessCluster cluster, List<String> via, Map<Bytes, Bytes> acknowledged) {
        int i = 0;
        for (Map.Entry<Bytes, Bytes> write : acknowledged.entrySet()) {
            DynamoStore store = cluster.store(via.get(i++ % via.size()));
            assertEquals(List.of(write.getValue()), store.get(write.getKey(), RequestOptions.quorum(3)).values(),
                    "R=N read of " + write.getKey());
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("io.dynamo.core.cluster.Schemes#both")
    void aFourthNodeJoinsAndIsDecommissionedUnderLoad(CausalityScheme causality) {
        try (InProcessCluster cluster = InProcessCluster.builder().causality(causality).nodes(3).seed(31).partitions(PARTITIONS)
                .gossip(SETTINGS, 1).build()) {
            Load load = new Load(cluster, cluster.client("client"));
            for (int i = 0; i < 300; i++) {
                load.step();
            }

            cluster.join("node-4");
            long joinStarted = cluster.network().currentTimeMillis();
            int steps = load.until(() -> cluster.settled() && ringOf(cluster, "node-1").isMember("node-4"),
                    Duration.ofSeconds(120));
            Ring joined = ringOf(cluster, "node-1");
            MoveProgress progress = cluster.node("node-4").membership().orElseThrow().self().progress();
            System.out.printf("join: %d ms virtual, %d client steps during it, %d partitions (%d keys) streamed into "
                    + "node-4, %d writes (%d failed), %d acknowledged keys; partitions per node %s%n",
                    cluster.network().currentTimeMillis() - joinStarted, steps, progress.partitionsTotal(),
                    progress.keysStreamed(), load.writes, load.failedWrites, load.acknowledged.size(),
                    joined.partitionCounts());
            assertEquals(PARTITIONS / 4, joined.partitionsOwnedBy("node-4").size(), "node-4 owns a quarter of the partitions");
            for (String id : List.of("node-1", "node-2", "node-3", "node-4")) {
                assertEquals(joined, ringOf(cluster, id), id + "'s ring");
                assertEquals(MemberState.UP, cluster.node(id).membership().orElseThrow().self().state());
            }
            assertPlacement(cluster, "node-1", load.acknowledged);
            assertReadableAtRn(cluster, List.of("node-1", "node-2", "node-3", "node-4"), load.acknowledged);

            for (int i = 0; i < 100; i++) {
                load.step();
            }
            cluster.decommission("node-4", "node-2");
            long leaveStarted = cluster.network().currentTimeMillis();
            steps = load.until(() -> cluster.settled() && !ringOf(cluster, "node-1").isMember("node-4"),
                    Duration.ofSeconds(120));
            Ring left = ringOf(cluster, "node-1");
            System.out.printf("decommission: %d ms virtual, %d client steps during it, %d acknowledged keys; partitions "
                    + "per node %s%n", cluster.network().currentTimeMillis() - leaveStarted, steps,
                    load.acknowledged.size(), left.partitionCounts());
            assertEquals(List.of("node-1", "node-2", "node-3"), left.members());
            cluster.network().runFor(Duration.ofSeconds(3));
            assertEquals(MemberState.LEFT, cluster.node("node-4").membership().orElseThrow().self().state());
            assertPlacement(cluster, "node-1", load.acknowledged);
            assertReadableAtRn(cluster, List.of("node-1", "node-2", "node-3"), load.acknowledged);
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("io.dynamo.core.cluster.Schemes#both")
    void aJoinResumesAfterTheJoiningNodeCrashesMidStream(CausalityScheme causality) {
        try (InProcessCluster cluster = InProcessCluster.builder().causality(causality).nodes(3).seed(32).partitions(PARTITIONS)
                .gossip(SETTINGS.withStream(10, 4 * 1024), 1).build()) {
            Load load = new Load(cluster, cluster.client("client"));
            for (int i = 0; i < 400; i++) {
                load.step();
            }
            cluster.join("node-4");
            Membership joining = cluster.node("node-4").membership().orElseThrow();
            load.until(() -> joining.self().progress().partitionsDone() >= 5, Duration.ofSeconds(120));
            MoveProgress before = joining.self().progress();
            assertTrue(before.partitionsDone() < before.partitionsTotal(), "crash before the move completed");
            cluster.crash("node-4");
            cluster.network().runFor(Duration.ofSeconds(5));
            cluster.restart("node-4");
            Membership restarted = cluster.node("node-4").membership().orElseThrow();
            cluster.network().runFor(Duration.ofMillis(10));
            MoveProgress resumed = restarted.self().progress();
            assertTrue(resumed.partitionsDone() >= before.partitionsDone(),
                    "resumed at " + resumed + ", had " + before);
            load.until(() -> cluster.settled() && ringOf(cluster, "node-1").isMember("node-4"), Duration.ofSeconds(120));
            System.out.printf("join resumed after a crash: %s before, %s on restart, %s at the end%n", before, resumed,
                    restarted.self().progress());
            assertPlacement(cluster, "node-1", load.acknowledged);
            assertReadableAtRn(cluster, List.of("node-1", "node-2", "node-3", "node-4"), load.acknowledged);
        }
    }

    /** The data partitions each node holds keys of. */
    private static Map<String, Set<Integer>> held(InProcessCluster cluster, List<String> ids) {
        Map<String, Set<Integer>> held = new TreeMap<>();
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

    @ParameterizedTest(name = "{0}")
    @MethodSource("io.dynamo.core.cluster.Schemes#both")
    void oldReplicasDropTheirCopiesOnlyOnceTheMoveHasCompleted(CausalityScheme causality) {
        List<String> old = List.of("node-1", "node-2", "node-3");
        try (InProcessCluster cluster = InProcessCluster.builder().causality(causality).nodes(3).seed(33).partitions(PARTITIONS)
                .gossip(SETTINGS.withStream(10, 4 * 1024), 1).build()) {
            Load load = new Load(cluster, cluster.client("client"));
            for (int i = 0; i < 300; i++) {
                load.step();
            }
            Map<String, Set<Integer>> before = held(cluster, old);
            cluster.join("node-4");
            Membership joining = cluster.node("node-4").membership().orElseThrow();
            load.until(() -> joining.self().progress().partitionsDone() >= 5, Duration.ofSeconds(120));

            // the new replica stops mid-move: it has confirmed only part of its partitions, so nothing may go
            cluster.crash("node-4");
            cluster.network().runFor(SETTINGS.settleDelay().multipliedBy(10));
            held(cluster, old).forEach((id, partitions) -> assertTrue(partitions.containsAll(before.get(id)),
                    id + " dropped a partition before the move completed: had " + before.get(id) + ", has " + partitions));

            cluster.restart("node-4");
            load.until(() -> cluster.settled() && ringOf(cluster, "node-1").isMember("node-4"), Duration.ofSeconds(120));
            cluster.network().runFor(SETTINGS.settleDelay().plusSeconds(2));
            Ring joined = ringOf(cluster, "node-1");
            int lost = 0;
            int givenAway = 0;
            for (Map.Entry<String, Set<Integer>> node : held(cluster, List.of("node-1", "node-2", "node-3", "node-4"))
                    .entrySet()) {
                for (int partition : node.getValue()) {
                    assertTrue(joined.preferenceList(partition, 3).contains(node.getKey()),
                            node.getKey() + " still holds partition " + partition + ", which it no longer replicates");
                }
                for (int partition : before.getOrDefault(node.getKey(), Set.of())) {
                    lost += node.getValue().contains(partition) ? 0 : 1;
                    givenAway += joined.preferenceList(partition, 3).contains(node.getKey()) ? 0 : 1;
                }
            }
            System.out.printf("join: old replicas dropped %d partition copies after the move completed%n", lost);
            assertTrue(givenAway > 0, "the join took replicas away from the old nodes");
            assertEquals(givenAway, lost, "exactly the copies the new ring took away were dropped");
            assertPlacement(cluster, "node-1", load.acknowledged);
            assertReadableAtRn(cluster, List.of("node-1", "node-2", "node-3", "node-4"), load.acknowledged);

            cluster.decommission("node-4", "node-2");
            load.until(() -> cluster.settled() && !ringOf(cluster, "node-1").isMember("node-4"), Duration.ofSeconds(120));
            cluster.network().runFor(SETTINGS.settleDelay().plusSeconds(2));
            assertEquals(Set.of(), held(cluster, List.of("node-4")).get("node-4"), "a decommissioned node keeps no data");
            assertPlacement(cluster, "node-1", load.acknowledged);
            assertReadableAtRn(cluster, old, load.acknowledged);
        }
    }
}
