package io.dynamo.core.cluster;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.dynamo.api.Bytes;
import io.dynamo.api.Context;
import io.dynamo.api.DynamoStore;
import io.dynamo.api.InvalidArgumentException;
import io.dynamo.api.QuorumException;
import io.dynamo.api.RequestOptions;
import io.dynamo.api.UnavailableException;
import io.dynamo.core.coordination.RequestLimits;
import io.dynamo.core.messages.Message;
import io.dynamo.core.messages.MessageCodec;
import io.dynamo.core.transport.local.NetworkEvent;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Quorum failures, forwarding, per-request quorums, limits and client failover. */
class CoordinationTest {
    @Test
    void aQuorumFailureSaysHowManyAnsweredWithinTheTimeout() {
        try (InProcessCluster cluster = InProcessCluster.builder().seed(31).timeout(Duration.ofMillis(300)).build()) {
            Bytes key = Bytes.utf8("k");
            String coordinator = cluster.ring().preferenceList(key, 3).get(0);
            cluster.nodeIds().stream().filter(id -> !id.equals(coordinator)).forEach(cluster::crash);
            long start = cluster.network().currentTimeMillis();
            QuorumException failure = assertThrows(QuorumException.class,
                    () -> cluster.store(coordinator).put(key, Bytes.utf8("v"), Context.EMPTY));
            assertEquals("put needed 2 answers but only 1 of 3 replicas asked answered", failure.getMessage());
            assertEquals(1, failure.answered());
            assertTrue(cluster.network().currentTimeMillis() - start <= 300, "failed within the timeout");

            // the failed requests made the coordinator suspect the two others: now it asks only itself, and says so
            List<String> others = cluster.ring().preferenceList(key, 3).subList(1, 3);
            QuorumException alone = assertThrows(QuorumException.class,
                    () -> cluster.store(coordinator).put(key, Bytes.utf8("v"), Context.EMPTY));
            assertEquals("put needed 2 answers but only 1 of 1 replicas asked answered; owners " + others.get(0) + ", "
                    + others.get(1) + " were suspected down", alone.getMessage());
            // a client hears the same through the node that coordinated
            Message.Error answer = (Message.Error) MessageCodec.decode(MessageCodec.encode(Message.Error.of(alone)));
            assertEquals(alone.getMessage(), answer.toException().getMessage());

            QuorumException read = assertThrows(QuorumException.class, () -> cluster.store(coordinator).get(key));
            assertEquals("get", read.operation());
            // R = W = 1 for these requests: the coordinator's own copy is enough. The failed put
            // was applied there (a failed write may be; only acknowledged ones are promised).
            var seen = cluster.store(coordinator).get(key, RequestOptions.quorum(1));
            assertEquals(List.of(Bytes.utf8("v")), seen.values());
            cluster.store(coordinator).put(key, Bytes.utf8("w"), seen.context(), RequestOptions.quorum(1));
            assertEquals(List.of(Bytes.utf8("w")), cluster.store(coordinator).get(key, RequestOptions.quorum(1)).values());
        }
    }

    @Test
    void aRequestToANodeOutsideThePreferenceListIsForwarded() {
        try (InProcessCluster cluster = InProcessCluster.builder().nodes(5).seed(32).build()) {
            Bytes key = Bytes.utf8("forward-me");
            List<String> owners = cluster.ring().preferenceList(key, 3);
            String outsider = cluster.nodeIds().stream().filter(id -> !owners.contains(id)).findFirst().orElseThrow();
            cluster.store(outsider).put(key, Bytes.utf8("v"), Context.EMPTY);
            assertEquals(List.of(Bytes.utf8("v")), cluster.store(outsider).get(key).values());
            int partition = cluster.ring().partitionOf(key);
            assertTrue(cluster.storage(outsider).get(partition, key).isEmpty(), "the outsider stores nothing");
            for (String owner : owners) {
                assertEquals(1, cluster.storage(owner).get(partition, key).size(), owner);
            }
        }
    }

    @Test
    void quorumsAboveNAndOversizedKeysAndValuesAreRefused() {
        RequestLimits limits = new RequestLimits(8, 16);
        try (InProcessCluster cluster = InProcessCluster.builder().seed(33).limits(limits).build()) {
            DynamoStore node = cluster.store("node-1");
            DynamoStore client = cluster.client("client");
            assertThrows(InvalidArgumentException.class, () -> node.get(Bytes.utf8("k"), RequestOptions.quorum(4)));
            assertThrows(InvalidArgumentException.class, () -> client.get(Bytes.utf8("k"), RequestOptions.quorum(4)));
            assertThrows(InvalidArgumentException.class, () -> node.put(Bytes.utf8("123456789"), Bytes.EMPTY, Context.EMPTY));
            assertThrows(InvalidArgumentException.class, () -> client.put(Bytes.utf8("123456789"), Bytes.EMPTY, Context.EMPTY));
            assertThrows(InvalidArgumentException.class, () -> node.put(Bytes.utf8("k"), Bytes.of(new byte[17]), Context.EMPTY));
            assertThrows(InvalidArgumentException.class, () -> node.put(Bytes.EMPTY, Bytes.EMPTY, Context.EMPTY));
            node.put(Bytes.utf8("12345678"), Bytes.of(new byte[16]), Context.EMPTY);
        }
    }

    @Test
    void theClientFailsOverToAnotherNode() {
        try (InProcessCluster cluster = InProcessCluster.builder().nodes(4).seed(34).build()) {
            DynamoStore client = cluster.client("client");
            cluster.crash("node-1");
            for (int i = 0; i < 8; i++) {
                client.put(Bytes.utf8("k" + i), Bytes.utf8("v" + i), Context.EMPTY);
                assertEquals(List.of(Bytes.utf8("v" + i)), client.get(Bytes.utf8("k" + i)).values());
            }
            assertTrue(cluster.network().history().stream().anyMatch(e -> e.from().equals("client")
                    && e.to().equals("node-1") && e.fate() == NetworkEvent.Fate.REFUSED), "node-1 was tried");
            cluster.nodeIds().forEach(id -> {
                if (cluster.isUp(id)) {
                    cluster.crash(id);
                }
            });
            assertThrows(UnavailableException.class, () -> client.get(Bytes.utf8("k0")));
        }
    }

    @Test
    void aRealTimeClusterServesManyThreads() throws Exception {
        try (InProcessCluster cluster = InProcessCluster.builder().seed(35).realTime().build()) {
            DynamoStore client = cluster.client("client");
            List<Thread> threads = new java.util.ArrayList<>();
            java.util.concurrent.atomic.AtomicInteger done = new java.util.concurrent.atomic.AtomicInteger();
            for (int t = 0; t < 4; t++) {
                int id = t;
                threads.add(new Thread(() -> {
                    for (int i = 0; i < 50; i++) {
                        Bytes key = Bytes.utf8("t" + id + "-" + i);
                        client.put(key, Bytes.utf8("v"), Context.EMPTY);
                        if (client.get(key).values().equals(List.of(Bytes.utf8("v")))) {
                            done.incrementAndGet();
                        }
                    }
                }));
            }
            threads.forEach(Thread::start);
            for (Thread thread : threads) {
                thread.join();
            }
            assertEquals(200, done.get());
        }
    }
}
