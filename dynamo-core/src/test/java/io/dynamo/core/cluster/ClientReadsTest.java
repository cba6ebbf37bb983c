package io.dynamo.core.cluster;

import static io.dynamo.api.Bytes.utf8;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.dynamo.api.Bytes;
import io.dynamo.api.Context;
import io.dynamo.api.ReadResult;
import io.dynamo.api.RequestOptions;
import io.dynamo.core.client.DynamoClient;
import io.dynamo.core.transport.local.NetworkEvent;
import io.dynamo.spi.partition.Partitioner;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.function.Function;
import org.junit.jupiter.api.Test;

/** Reads coordinated by the client: R replicas asked directly, the nodes' answer, repair and fallbacks. */
class ClientReadsTest {
    private static final Bytes KEY = utf8("client-read");

    /** A 5-node cluster at N=3, R=2, W=2: not every node replicates every key. */
    private static InProcessCluster cluster(long seed) {
        return InProcessCluster.builder().nodes(5).replication(3, 2, 2).seed(seed).build();
    }

    private static DynamoClient coordinatingClient(InProcessCluster cluster, Partitioner partitioner) {
        return coordinatingClient(cluster, name -> partitioner);
    }

    private static DynamoClient coordinatingClient(InProcessCluster cluster, Function<String, Partitioner> partitioners) {
        DynamoClient client = cluster.client("reader", builder -> builder.coordinateReads(partitioners));
        client.get(utf8("any key")); // the first read goes through a node while the routing table comes
        cluster.network().runFor(Duration.ofMillis(100));
        return client;
    }

    private static List<NetworkEvent> requestsFrom(InProcessCluster cluster, String sender, int since) {
        List<NetworkEvent> history = cluster.network().history();
        return history.subList(since, history.size()).stream()
                .filter(e -> e.from().equals(sender) && e.kind() == NetworkEvent.Kind.REQUEST)
                .toList();
    }

    @Test
    void aReadAsksRReplicasOfTheKeyDirectly() {
        try (InProcessCluster cluster = cluster(51)) {
            cluster.client("writer").put(KEY, utf8("v"), Context.EMPTY);
            DynamoClient client = coordinatingClient(cluster, cluster.ring().partitioner());
            Set<String> owners = Set.copyOf(cluster.ring().preferenceList(KEY, 3));

            int since = cluster.network().history().size();
            ReadResult read = client.get(KEY);

            assertEquals(List.of(utf8("v")), read.values());
            List<NetworkEvent> asked = requestsFrom(cluster, "reader", since);
            assertEquals(2, asked.size(), "R=2 replicas asked, no node in between: " + asked);
            assertTrue(asked.stream().allMatch(e -> owners.contains(e.to())), "only replicas of the key: " + asked);
            assertEquals(2, asked.stream().map(NetworkEvent::to).distinct().count());
        }
    }

    @Test
    void writesGoToAnOwnerOfTheKeySoThatNoNodeForwardsThem() {
        try (InProcessCluster cluster = cluster(58)) {
            DynamoClient client = coordinatingClient(cluster, cluster.ring().partitioner());
            for (int i = 0; i < 10; i++) {
                Bytes key = utf8("written-" + i);
                Set<String> owners = Set.copyOf(cluster.ring().preferenceList(key, 3));

                int since = cluster.network().history().size();
                client.put(key, utf8("v" + i), Context.EMPTY);

                List<NetworkEvent> sent = requestsFrom(cluster, "reader", since);
                assertEquals(1, sent.size(), "one request per write: " + sent);
                assertTrue(owners.contains(sent.get(0).to()), "write " + i + " went to a node that is not an owner: " + sent);
                assertEquals(List.of(utf8("v" + i)), cluster.client("plain").get(key).values());
            }
        }
    }

    @Test
    void anOwnerThatFailsAWriteIsAvoidedByTheNextWrites() {
        try (InProcessCluster cluster = cluster(59)) {
            List<String> owners = cluster.ring().preferenceList(KEY, 3);
            DynamoClient client = coordinatingClient(cluster, cluster.ring().partitioner());
            cluster.crash(owners.get(1));

            int since = cluster.network().history().size();
            // the owner written to first rotates: within N writes one of them tries the crashed owner
            for (int i = 0; i < 3; i++) {
                client.put(KEY, utf8("v" + i), Context.EMPTY);
            }
            assertTrue(requestsFrom(cluster, "reader", since).stream().anyMatch(e -> e.to().equals(owners.get(1))));

            int afterFailure = cluster.network().history().size();
            for (int i = 0; i < 3; i++) {
                client.put(KEY, utf8("w" + i), Context.EMPTY);
            }
            List<NetworkEvent> sent = requestsFrom(cluster, "reader", afterFailure);
            assertEquals(3, sent.size(), "each write taken by the first owner asked: " + sent);
            assertTrue(sent.stream().noneMatch(e -> e.to().equals(owners.get(1))), "the failed owner is suspected: " + sent);
        }
    }

    @Test
    void siblingsAndTheirContextAreWhatANodeAnswers() {
        try (InProcessCluster cluster = cluster(52)) {
            List<String> owners = cluster.ring().preferenceList(KEY, 3);
            cluster.store(owners.get(0)).put(KEY, utf8("left"), Context.EMPTY);
            cluster.store(owners.get(1)).put(KEY, utf8("right"), Context.EMPTY);
            cluster.network().runFor(Duration.ofMillis(100));
            DynamoClient client = coordinatingClient(cluster, cluster.ring().partitioner());

            ReadResult viaNode = cluster.client("plain").get(KEY, new RequestOptions(3, null));
            ReadResult direct = client.get(KEY, new RequestOptions(3, null));

            assertEquals(Set.of(utf8("left"), utf8("right")), new HashSet<>(direct.values()));
            assertEquals(new HashSet<>(viaNode.values()), new HashSet<>(direct.values()));
            assertEquals(viaNode.context(), direct.context());

            Context merged = client.put(KEY, utf8("both"), direct.context());
            assertEquals(List.of(utf8("both")), client.get(KEY).values(), "the context supersedes both siblings");
            assertTrue(merged.clock().dominates(direct.context().clock()));
        }
    }

    @Test
    void aReplicaThatMissedAWriteIsRepaired() {
        try (InProcessCluster cluster = cluster(53)) {
            List<String> owners = cluster.ring().preferenceList(KEY, 3);
            DynamoClient client = coordinatingClient(cluster, cluster.ring().partitioner());
            cluster.crash(owners.get(2));
            cluster.store(owners.get(0)).put(KEY, utf8("v"), Context.EMPTY);
            cluster.restart(owners.get(2)); // before any hint reaches it

            int since = cluster.network().history().size();
            assertEquals(List.of(utf8("v")), client.get(KEY, new RequestOptions(3, null)).values());
            cluster.network().runFor(Duration.ofMillis(100));

            long toStale = requestsFrom(cluster, "reader", since).stream().filter(e -> e.to().equals(owners.get(2))).count();
            assertEquals(2, toStale, "the read, then the repair");
            assertEquals(List.of(utf8("v")), cluster.client("plain").get(KEY, new RequestOptions(3, null)).values());
        }
    }

    @Test
    void aReplicaThatFailsSendsTheReadThroughANodeAndIsAvoidedAfterwards() {
        try (InProcessCluster cluster = cluster(54)) {
            List<String> owners = cluster.ring().preferenceList(KEY, 3);
            cluster.client("writer").put(KEY, utf8("v"), Context.EMPTY);
            DynamoClient client = coordinatingClient(cluster, cluster.ring().partitioner());
            cluster.crash(owners.get(1));

            int since = cluster.network().history().size();
            // the replicas asked rotate: within N reads one of them asks the crashed owner
            for (int i = 0; i < 3; i++) {
                assertEquals(List.of(utf8("v")), client.get(KEY).values(), "read " + i);
            }
            assertEquals(1, requestsFrom(cluster, "reader", since).stream().filter(e -> e.to().equals(owners.get(1))).count());

            int afterFailure = cluster.network().history().size();
            for (int i = 0; i < 3; i++) {
                assertEquals(List.of(utf8("v")), client.get(KEY).values(), "read after the failure " + i);
            }
            List<NetworkEvent> asked = requestsFrom(cluster, "reader", afterFailure);
            assertEquals(6, asked.size(), "still two replicas per read, from the client: " + asked);
            assertTrue(asked.stream().noneMatch(e -> e.to().equals(owners.get(1))), "the failed owner is suspected");
        }
    }

    @Test
    void theClientPlacesKeysWithThePartitionerTheNodesName() {
        try (InProcessCluster cluster = cluster(56)) {
            cluster.client("writer").put(KEY, utf8("v"), Context.EMPTY);
            List<String> named = new ArrayList<>();
            DynamoClient client = coordinatingClient(cluster, name -> {
                named.add(name);
                return cluster.ring().partitioner();
            });

            int since = cluster.network().history().size();
            assertEquals(List.of(utf8("v")), client.get(KEY).values());

            assertEquals(List.of("sha256"), named, "made once, for the name the nodes gave");
            assertEquals(2, requestsFrom(cluster, "reader", since).size(), "R=2 replicas asked by the client");
        }
    }

    @Test
    void aClientThatCannotMakeTheNamedPartitionerLeavesReadsToTheNodes() {
        try (InProcessCluster cluster = cluster(57)) {
            cluster.client("writer").put(KEY, utf8("v"), Context.EMPTY);
            DynamoClient client = coordinatingClient(cluster, name -> {
                throw new IllegalArgumentException("no partitioner named " + name);
            });

            int since = cluster.network().history().size();
            assertEquals(List.of(utf8("v")), client.get(KEY).values());

            assertEquals(1, requestsFrom(cluster, "reader", since).size(), "one request, to a coordinating node");
        }
    }

    @Test
    void aClientGivenAnotherPartitionerLeavesReadsToTheNodes() {
        try (InProcessCluster cluster = cluster(55)) {
            cluster.client("writer").put(KEY, utf8("v"), Context.EMPTY);
            DynamoClient client = coordinatingClient(cluster, Partitioner.of64Bits(key -> 42L));

            int since = cluster.network().history().size();
            assertEquals(List.of(utf8("v")), client.get(KEY).values());

            assertEquals(1, requestsFrom(cluster, "reader", since).size(), "one request, to a coordinating node");
        }
    }
}
