package io.dynamo.core.membership;

import io.dynamo.api.Bytes;
import io.dynamo.api.VectorClock;
import io.dynamo.api.Versioned;
import io.dynamo.core.cluster.InProcessCluster;
import io.dynamo.core.ring.Ring;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * A measurement, not a test (surefire does not pick it up by default): the wall time of a join
 * in a simulated cluster whose partitions are large, i.e. the cost of serving the streams.
 * {@code mvn -pl dynamo-core test -Dtest=JoinStreamCostMeasurement -Dkeys=200000 -Dbatch=50}.
 */
class JoinStreamCostMeasurement {
    @Test
    void joinOfAFourthNode() {
        int keys = Integer.getInteger("keys", 200_000);
        int batch = Integer.getInteger("batch", 50);
        try (InProcessCluster cluster = InProcessCluster.builder().nodes(3).seed(7).partitions(16)
                .gossip(MembershipSettings.DEFAULT.withSettleDelay(Duration.ofSeconds(1)).withStream(batch, 0), 1).build()) {
            // straight into the replicas' engines: loading through the coordinators would take longer than the join
            Ring ring = cluster.ring();
            for (int i = 0; i < keys; i++) {
                Bytes key = Bytes.utf8("key-" + i);
                List<Versioned> versions = List.of(Versioned.of(VectorClock.EMPTY.increment("node-1", 1),
                        Bytes.utf8("value-" + i)));
                int partition = ring.partitionOf(key);
                for (String replica : ring.preferenceList(partition, 3)) {
                    cluster.storage(replica).update(partition, key, stored -> versions);
                }
            }
            long started = System.nanoTime();
            cluster.join("node-4");
            while (!(cluster.settled() && cluster.node("node-1").membership().orElseThrow().view().ring().isMember("node-4"))) {
                cluster.network().runFor(Duration.ofMillis(100));
            }
            long elapsed = System.nanoTime() - started;
            long scans = 0;
            for (String id : List.of("node-1", "node-2", "node-3")) {
                scans += cluster.node(id).membership().orElseThrow().streamScans();
            }
            System.out.printf("join with %,d keys, batches of %d: %.2f s wall, %d partition scans by the sources, %s%n",
                    keys, batch, elapsed / 1e9, scans, cluster.node("node-4").membership().orElseThrow().self().progress());
        }
    }
}
