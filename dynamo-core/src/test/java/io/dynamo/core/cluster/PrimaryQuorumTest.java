package io.dynamo.core.cluster;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.dynamo.api.Bytes;
import io.dynamo.api.Context;
import io.dynamo.api.DynamoStore;
import io.dynamo.api.InvalidArgumentException;
import io.dynamo.api.PrimaryQuorumException;
import io.dynamo.api.RequestOptions;
import io.dynamo.core.metrics.QuorumFailureCause;
import java.util.List;
import org.junit.jupiter.api.Test;

/** pr/pw: primaries that must answer, stand-ins not counted; the store default and the per-request value. */
class PrimaryQuorumTest {
    private static final Bytes KEY = Bytes.utf8("cart-17");

    @Test
    void pwOfThreeFailsWhileAPrimaryIsDownAndAWriteWithoutPwStillSucceedsThroughAStandIn() {
        try (InProcessCluster cluster = InProcessCluster.builder().nodes(4).seed(151).build()) {
            List<String> owners = cluster.ring().preferenceList(KEY, 3);
            DynamoStore coordinator = cluster.store(owners.get(0));
            cluster.crash(owners.get(2));

            for (int attempt = 0; attempt < 2; attempt++) { // before and after the detector suspects it
                PrimaryQuorumException refused = assertThrows(PrimaryQuorumException.class,
                        () -> coordinator.put(KEY, Bytes.utf8("v"), Context.EMPTY, RequestOptions.primaries(3)));
                assertEquals("put", refused.operation());
                assertEquals(3, refused.required());
                assertEquals(2, refused.answered(), refused.getMessage());
                assertTrue(refused.getMessage().contains("pw=3"), refused.getMessage());
                assertEquals(QuorumFailureCause.PRIMARIES, QuorumFailureCause.of(refused));
            }
            double counted = cluster.node(owners.get(0)).metrics().registry().find("dynamo.quorum.failures")
                    .tag("operation", "put").tag("cause", "primaries").counter().count();
            assertEquals(2, counted, "both failures counted with the cause primaries");
            // a client hears the same through the wire
            DynamoStore client = cluster.client("client");
            PrimaryQuorumException overTheWire = assertThrows(PrimaryQuorumException.class,
                    () -> client.put(KEY, Bytes.utf8("v"), Context.EMPTY, RequestOptions.primaries(3)));
            assertEquals(3, overTheWire.required());

            // the default store keeps writing: W=2 met by the other primary and a stand-in holding a hint
            Context written = coordinator.put(KEY, Bytes.utf8("w"), Context.EMPTY);
            client.put(Bytes.utf8("other"), Bytes.utf8("x"), Context.EMPTY);
            coordinator.put(KEY, Bytes.utf8("w2"), written, RequestOptions.primaries(2));
            assertTrue(cluster.network().runUntil(() -> cluster.hintCount() > 0, java.time.Duration.ofSeconds(1)),
                    "a stand-in holds the down primary's copy");
            assertTrue(coordinator.get(KEY).values().contains(Bytes.utf8("w2")));
        }
    }

    @Test
    void prOfThreeFailsWhileAPrimaryIsDownAndPrOfTwoReads() {
        try (InProcessCluster cluster = InProcessCluster.builder().nodes(4).seed(152).build()) {
            List<String> owners = cluster.ring().preferenceList(KEY, 3);
            DynamoStore coordinator = cluster.store(owners.get(0));
            coordinator.put(KEY, Bytes.utf8("v"), Context.EMPTY);
            cluster.crash(owners.get(1));
            PrimaryQuorumException refused = assertThrows(PrimaryQuorumException.class,
                    () -> coordinator.get(KEY, RequestOptions.primaries(3)));
            assertEquals("get", refused.operation());
            assertTrue(refused.getMessage().contains("pr=3"), refused.getMessage());
            // a client that coordinates its own reads sends a read with pr to a node
            DynamoStore client = cluster.client("client", b -> b.coordinateReads(cluster.ring().partitioner()));
            assertThrows(PrimaryQuorumException.class, () -> client.get(KEY, RequestOptions.primaries(3)));
            assertEquals(List.of(Bytes.utf8("v")), coordinator.get(KEY, RequestOptions.primaries(2)).values());
            assertEquals(List.of(Bytes.utf8("v")), client.get(KEY).values());
        }
    }

    @Test
    void theStoreDefaultAppliesToEveryRequestThatSetsNone() {
        try (InProcessCluster cluster = InProcessCluster.builder().nodes(4).seed(153).primaries(0, 3).build()) {
            List<String> owners = cluster.ring().preferenceList(KEY, 3);
            DynamoStore coordinator = cluster.store(owners.get(0));
            coordinator.put(KEY, Bytes.utf8("all three"), Context.EMPTY);
            cluster.crash(owners.get(1));
            assertThrows(PrimaryQuorumException.class, () -> coordinator.put(KEY, Bytes.utf8("v"), Context.EMPTY));
            // a request's own pw replaces the default
            coordinator.put(KEY, Bytes.utf8("v"), Context.EMPTY, RequestOptions.primaries(2));
            // reads have no default pr here
            assertTrue(coordinator.get(KEY).found());
        }
    }

    @Test
    void prOrPwAboveNOrNegativeIsRefusedNamingIt() {
        try (InProcessCluster cluster = InProcessCluster.builder().seed(154).build()) {
            DynamoStore node = cluster.store("node-1");
            InvalidArgumentException pw = assertThrows(InvalidArgumentException.class,
                    () -> node.put(KEY, Bytes.utf8("v"), Context.EMPTY, RequestOptions.primaries(4)));
            assertEquals("pw=4 is more than N=3 (a key has N primary replicas)", pw.getMessage());
            InvalidArgumentException pr = assertThrows(InvalidArgumentException.class,
                    () -> cluster.client("c").get(KEY, RequestOptions.primaries(4)));
            assertTrue(pr.getMessage().startsWith("pr=4 is more than N=3"), pr.getMessage());
            assertThrows(InvalidArgumentException.class, () -> RequestOptions.primaries(-1));
            assertThrows(InvalidArgumentException.class, () -> RequestOptions.primaries(256));
        }
    }
}
