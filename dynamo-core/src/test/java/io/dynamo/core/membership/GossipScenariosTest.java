package io.dynamo.core.membership;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.dynamo.core.cluster.InProcessCluster;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Gossip dissemination and phi-accrual failure detection on a simulated 20-node cluster. */
class GossipScenariosTest {
    private static final Duration INTERVAL = Duration.ofSeconds(1);
    private static final int NODES = 20;

    private static InProcessCluster twentyNodes(long seed) {
        return InProcessCluster.builder().nodes(NODES).seed(seed).partitions(64)
                .gossip(MembershipSettings.DEFAULT.withGossipInterval(INTERVAL), 1).build();
    }

    private static Membership membership(InProcessCluster cluster, String id) {
        return cluster.node(id).membership().orElseThrow();
    }

    private static PhiAccrualFailureDetector detector(InProcessCluster cluster, String id) {
        return (PhiAccrualFailureDetector) cluster.node(id).failureDetector();
    }

    private static boolean everyoneKnowsEveryone(InProcessCluster cluster) {
        for (String id : cluster.nodeIds()) {
            if (membership(cluster, id).state().members().size() < NODES) {
                return false;
            }
        }
        return true;
    }

    @Test
    void everyNodeKnowsEveryMemberWithinLogarithmicRounds() {
        int bound = (int) Math.ceil(3 * Math.log(NODES) / Math.log(2)) + 2; // 3·log2(n) + 2 = 15
        for (long seed : List.of(1L, 2L, 3L)) {
            try (InProcessCluster cluster = twentyNodes(seed)) {
                // at the start every node knows itself only (and the seed's address)
                assertEquals(1, membership(cluster, "node-5").state().members().size());
                int rounds = 0;
                while (!everyoneKnowsEveryone(cluster)) {
                    cluster.network().runFor(INTERVAL);
                    rounds++;
                    assertTrue(rounds <= bound, "seed " + seed + ": not converged after " + rounds + " rounds");
                }
                System.out.printf("gossip, %d nodes, seed %d: every node knew every member after %d rounds (bound %d)%n",
                        NODES, seed, rounds, bound);
            }
        }
    }

    @Test
    void aCrashedNodeIsMarkedDownEverywhereWithinTheDetectionTimeAndUpAfterRestart() {
        try (InProcessCluster cluster = twentyNodes(7)) {
            cluster.network().runFor(Duration.ofSeconds(60)); // converge and learn heartbeat intervals
            String victim = "node-13";
            List<String> observers = cluster.nodeIds().stream().filter(id -> !id.equals(victim)).toList();
            for (String observer : observers) {
                assertTrue(detector(cluster, observer).isAvailable(victim), observer + " suspects " + victim + " before the crash");
            }
            long crashedAt = cluster.network().currentTimeMillis();
            cluster.crash(victim);
            // Phi reaches the threshold after threshold·ln(10)·(mean interval) of silence from the
            // last heartbeat an observer got (which may still travel for a few rounds after the
            // crash): each observer must mark the victim down by then. Overall, with intervals of
            // at most two gossip rounds, that is within threshold·ln(10)·2·interval + 3·log2(n) rounds.
            double threshold = MembershipSettings.DEFAULT.phiThreshold();
            long overall = (long) (threshold * Math.log(10) * 2 * INTERVAL.toMillis()
                    + 3 * Math.log(NODES) / Math.log(2) * INTERVAL.toMillis());
            Map<String, Long> downAt = new HashMap<>();
            while (downAt.size() < observers.size()) {
                cluster.network().runFor(Duration.ofMillis(100));
                long now = cluster.network().currentTimeMillis();
                for (String observer : observers) {
                    PhiAccrualFailureDetector seen = detector(cluster, observer);
                    if (!downAt.containsKey(observer) && !seen.isAvailable(victim)) {
                        downAt.put(observer, now);
                        assertTrue(now <= seen.lastHeartbeatMillis(victim) + seen.detectionMillis(victim) + 100,
                                observer + " marked " + victim + " down late");
                    }
                    assertTrue(downAt.containsKey(observer) || now - crashedAt <= overall,
                            observer + " still thinks " + victim + " is up after " + (now - crashedAt) + " ms");
                }
            }
            long slowest = downAt.values().stream().mapToLong(t -> t - crashedAt).max().orElseThrow();
            long fastest = downAt.values().stream().mapToLong(t -> t - crashedAt).min().orElseThrow();
            System.out.printf("phi %.1f, gossip every %s: %s marked down by all %d others %d to %d ms after its crash "
                    + "(bound %d ms; node-1's mean heartbeat interval %.0f ms)%n", threshold, INTERVAL, victim,
                    observers.size(), fastest, slowest, overall, detector(cluster, "node-1").meanIntervalMillis(victim));

            cluster.restart(victim);
            long restartedAt = cluster.network().currentTimeMillis();
            boolean upEverywhere = cluster.network().runUntil(
                    () -> observers.stream().allMatch(o -> detector(cluster, o).isAvailable(victim)), Duration.ofSeconds(30));
            assertTrue(upEverywhere, victim + " not marked up everywhere 30 s after its restart");
            System.out.printf("%s marked up by all others %d ms after its restart%n", victim,
                    cluster.network().currentTimeMillis() - restartedAt);
            assertFalse(membership(cluster, victim).state().members().isEmpty());
        }
    }
}
