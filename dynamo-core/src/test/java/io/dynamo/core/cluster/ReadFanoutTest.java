package io.dynamo.core.cluster;

import static io.dynamo.api.Bytes.utf8;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.dynamo.api.Bytes;
import io.dynamo.api.Context;
import io.dynamo.api.ReadResult;
import io.dynamo.core.config.ReadFanout;
import io.dynamo.core.transport.local.NetworkEvent;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Which replicas a read asks: R of them with spares and a speculative retry, or all N. */
class ReadFanoutTest {
    private static final Bytes KEY = utf8("fan-out");

    @Test
    void aQuorumReadAsksOneOtherOwnerAtRTwo() {
        try (InProcessCluster cluster = InProcessCluster.builder().seed(41).build()) {
            assertEquals(1, replicaRequestsOfOneRead(cluster));
        }
    }

    @Test
    void anAllReadAsksEveryOtherOwner() {
        try (InProcessCluster cluster = InProcessCluster.builder().seed(42).reads(ReadFanout.ALL, Duration.ZERO).build()) {
            assertEquals(2, replicaRequestsOfOneRead(cluster));
        }
    }

    @Test
    void anOwnerThatRefusesIsReplacedByTheSpare() {
        try (InProcessCluster cluster = InProcessCluster.builder().seed(43).reads(ReadFanout.QUORUM, Duration.ZERO).build()) {
            List<String> owners = cluster.ring().preferenceList(KEY, 3);
            cluster.store(owners.get(0)).put(KEY, utf8("v"), Context.EMPTY);
            cluster.network().runFor(Duration.ofMillis(100));
            cluster.crash(owners.get(1)); // the owner a read asks first, not yet suspected

            int from = cluster.network().history().size();
            ReadResult read = cluster.store(owners.get(0)).get(KEY);

            assertEquals(List.of(utf8("v")), read.values());
            List<NetworkEvent> events = cluster.network().history().subList(from, cluster.network().history().size());
            assertTrue(events.stream().anyMatch(e -> e.to().equals(owners.get(1)) && e.fate() == NetworkEvent.Fate.REFUSED));
            assertTrue(events.stream().anyMatch(e -> e.to().equals(owners.get(2)) && e.kind() == NetworkEvent.Kind.REQUEST),
                    "the spare owner was asked");
        }
    }

    @Test
    void aSilentOwnerIsOvertakenByTheSpeculativeRetry() {
        assertTrue(readTimeWithSilentOwner(Duration.ofMillis(10)) < 50, "the spare answered soon after 10 ms");
        // without the retry the read waits for the silent owner's attempt to time out (half of 1 s)
        assertTrue(readTimeWithSilentOwner(Duration.ZERO) >= 500);
    }

    private static long readTimeWithSilentOwner(Duration speculativeRetry) {
        try (InProcessCluster cluster = InProcessCluster.builder().seed(44).reads(ReadFanout.QUORUM, speculativeRetry).build()) {
            List<String> owners = cluster.ring().preferenceList(KEY, 3);
            cluster.store(owners.get(0)).put(KEY, utf8("v"), Context.EMPTY);
            cluster.network().runFor(Duration.ofMillis(100));
            // messages between the coordinator and the owner it asks first are lost without an error
            cluster.network().partition(List.of(List.of(owners.get(0), owners.get(2)), List.of(owners.get(1))));

            long start = cluster.network().currentTimeMillis();
            ReadResult read = cluster.store(owners.get(0)).get(KEY);

            assertEquals(List.of(utf8("v")), read.values());
            return cluster.network().currentTimeMillis() - start;
        }
    }

    /** The requests the coordinator sends to other nodes while serving one read at R=2. */
    private static long replicaRequestsOfOneRead(InProcessCluster cluster) {
        String coordinator = cluster.ring().preferenceList(KEY, 3).get(0);
        cluster.store(coordinator).put(KEY, utf8("v"), Context.EMPTY);
        cluster.network().runFor(Duration.ofMillis(100));
        int from = cluster.network().history().size();

        assertEquals(List.of(utf8("v")), cluster.store(coordinator).get(KEY).values());
        cluster.network().runFor(Duration.ofMillis(100));

        return cluster.network().history().subList(from, cluster.network().history().size()).stream()
                .filter(e -> e.from().equals(coordinator) && e.kind() == NetworkEvent.Kind.REQUEST)
                .count();
    }
}
