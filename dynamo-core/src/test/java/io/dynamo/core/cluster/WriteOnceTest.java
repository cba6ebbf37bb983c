package io.dynamo.core.cluster;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.dynamo.api.Bytes;
import io.dynamo.api.Context;
import io.dynamo.api.ReadResult;
import io.dynamo.api.RequestOptions;
import io.dynamo.api.VectorClock;
import io.dynamo.api.Versioned;
import io.dynamo.api.WriteId;
import io.dynamo.core.client.DynamoClient;
import io.dynamo.core.messages.ErrorCode;
import io.dynamo.core.messages.Message;
import io.dynamo.core.messages.MessageCodec;
import io.dynamo.core.transport.local.Faults;
import io.dynamo.core.transport.local.LocalNetwork;
import io.dynamo.spi.causality.CausalityScheme;
import io.dynamo.spi.transport.Endpoint;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.function.UnaryOperator;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * A retried or duplicated write is applied once, and a late copy of a write is not applied:
 * simulated clusters with the faults placed by hand.
 */
class WriteOnceTest {
    private static final Duration WAIT = Duration.ofSeconds(30);
    private static final Bytes VALUE = Bytes.utf8("v");

    /** Every cluster of this test: change the settings under test (e.g. the causality scheme) here only. */
    private static InProcessCluster cluster(long seed, CausalityScheme causality,
            UnaryOperator<InProcessCluster.Builder> shape) {
        return shape.apply(InProcessCluster.builder().seed(seed).causality(causality).timeout(Duration.ofSeconds(1)))
                .build();
    }

    private static List<Versioned> stored(InProcessCluster cluster, String node, Bytes key) {
        return cluster.storage(node).get(cluster.ring().partitionOf(key), key);
    }

    /** Every replica holds exactly one version of {@code key}, the same one; returns it. */
    private static Versioned oneVersionEverywhere(InProcessCluster cluster, Bytes key) {
        Versioned first = null;
        for (String node : cluster.ring().preferenceList(key, 3)) {
            List<Versioned> versions = stored(cluster, node, key);
            assertEquals(1, versions.size(), node + " holds " + versions);
            if (first == null) {
                first = versions.get(0);
            }
            assertEquals(first, versions.get(0), "the replicas disagree");
        }
        return first;
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("io.dynamo.core.cluster.Schemes#both")
    void aPutWhoseAnswerWasLostAndThatTheClientRetriedLeavesOneVersion(CausalityScheme causality) {
        try (InProcessCluster cluster = cluster(41, causality, b -> b)) {
            LocalNetwork network = cluster.network();
            Bytes key = Bytes.utf8("retried");
            DynamoClient writer = cluster.client("writer"); // its first request goes to the first node
            String first = cluster.nodeIds().get(0);
            CompletableFuture<Context> put = writer.putAsync(key, VALUE, Context.EMPTY, RequestOptions.DEFAULT);
            assertTrue(network.runUntil(() -> !stored(cluster, first, key).isEmpty(), WAIT));
            // the write is applied; its answer will be lost on the way back, so the client retries
            network.partition(List.of(List.of(first), List.of("writer")));
            Context acknowledged = network.await(put, WAIT);
            network.heal();
            network.runFor(Duration.ofMillis(500));

            Versioned only = oneVersionEverywhere(cluster, key);
            assertEquals(VALUE, only.value());
            assertEquals(acknowledged.clock(), only.clock().history(), "the retry was answered as the first time");
            assertTrue(only.writeId().isPresent());
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("io.dynamo.core.cluster.Schemes#both")
    void aRetryAppliedByASecondCoordinatorBeforeTheFirstCopyReachedItSettlesOnOneVersion(CausalityScheme causality) {
        try (InProcessCluster cluster = cluster(42, causality, b -> b)) {
            LocalNetwork network = cluster.network();
            Bytes key = Bytes.utf8("raced");
            DynamoClient writer = cluster.client("writer");
            String first = cluster.nodeIds().get(0);
            String second = cluster.nodeIds().get(1); // where the client retries
            network.hold(first, second); // the first coordinator's copy reaches the second one only at the end
            CompletableFuture<Context> put = writer.putAsync(key, VALUE, Context.EMPTY, RequestOptions.DEFAULT);
            assertTrue(network.runUntil(() -> !stored(cluster, first, key).isEmpty(), WAIT));
            network.partition(List.of(List.of(first), List.of("writer")));
            Context acknowledged = network.await(put, WAIT);
            network.heal();
            assertEquals(1, stored(cluster, second, key).size(), "the second coordinator applied the retry");
            network.release(first, second);
            network.runFor(Duration.ofSeconds(3)); // the held copy and the hint arrive

            Versioned only = oneVersionEverywhere(cluster, key);
            assertEquals(VALUE, only.value());
            assertEquals(acknowledged.clock(), only.clock().history(), "the copy kept is the one the client was given (its events: the context a put returns)");
            assertEquals(List.of(VALUE), writer.get(key, RequestOptions.quorum(3)).values());
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("io.dynamo.core.cluster.Schemes#both")
    void aDuplicatedPutAndADuplicatedDeleteEachMakeOneVersion(CausalityScheme causality) {
        try (InProcessCluster cluster = cluster(43, causality, b -> b)) {
            LocalNetwork network = cluster.network();
            Bytes key = Bytes.utf8("duplicated");
            DynamoClient writer = cluster.client("writer");
            network.setFaults(Faults.delay(Duration.ofMillis(1), Duration.ofMillis(3)).withDuplicateRate(1.0));
            Context put = writer.put(key, VALUE, Context.EMPTY);
            network.runFor(Duration.ofMillis(500));
            assertEquals(put.clock(), oneVersionEverywhere(cluster, key).clock().history());

            Context deleted = writer.delete(key, put);
            network.runFor(Duration.ofMillis(500));
            Versioned tombstone = oneVersionEverywhere(cluster, key);
            assertTrue(tombstone.tombstone());
            assertEquals(deleted.clock(), tombstone.clock().history());
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("io.dynamo.core.cluster.Schemes#both")
    void aForwardedPutHeldUntilAfterItWasSupersededIsNotApplied(CausalityScheme causality) {
        try (InProcessCluster cluster = cluster(44, causality, b -> b.nodes(5))) {
            LocalNetwork network = cluster.network();
            String forwarder = cluster.nodeIds().get(0); // the client's first request goes there
            Bytes key = keyNotOwnedBy(cluster, forwarder);
            String owner = cluster.ring().preferenceList(key, 3).get(0); // the first the forwarder asks
            DynamoClient writer = cluster.client("writer");

            // the link from the forwarder to the owner stalls, as a partition that TCP buffers hide
            network.hold(forwarder, owner);
            writer.put(key, Bytes.utf8("milk,eggs"), Context.EMPTY);
            ReadResult read = writer.get(key);
            assertEquals(List.of(Bytes.utf8("milk,eggs")), read.values());
            writer.put(key, Bytes.utf8("milk"), read.context()); // the eggs are removed
            assertEquals(List.of(Bytes.utf8("milk")), writer.get(key, RequestOptions.quorum(3)).values());

            network.release(forwarder, owner); // the forwarded copy arrives now, long after its deadline
            network.runFor(Duration.ofSeconds(3));
            assertEquals(List.of(Bytes.utf8("milk")), writer.get(key, RequestOptions.quorum(3)).values(),
                    "a superseded value came back");
            for (String node : cluster.ring().preferenceList(key, 3)) {
                assertEquals(List.of(Bytes.utf8("milk")), stored(cluster, node, key).stream().map(Versioned::value).toList(),
                        node);
            }
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("io.dynamo.core.cluster.Schemes#both")
    void aWriteWhoseDeadlinePassedIsNotAppliedAndAFarFutureDeadlineIsRefused(CausalityScheme causality) {
        try (InProcessCluster cluster = cluster(45, causality, b -> b)) {
            Bytes key = Bytes.utf8("late");
            String coordinator = cluster.ring().preferenceList(key, 3).get(0);
            long now = cluster.network().currentTimeMillis();
            Optional<WriteId> id = Optional.of(new WriteId(99, 1));

            Message late = send(cluster, coordinator, new Message.ClientPut(key, VALUE, VectorClock.EMPTY, 0, 0, false, id,
                    now - 1));
            Message.Error timeout = assertInstanceOf(Message.Error.class, late);
            assertEquals(ErrorCode.TIMEOUT, timeout.code());
            assertTrue(timeout.message().contains("not applied"), timeout.message());

            Message far = send(cluster, coordinator, new Message.ClientDelete(key, VectorClock.EMPTY, 0, 0, false, id,
                    now + Duration.ofDays(1).toMillis()));
            Message.Error refused = assertInstanceOf(Message.Error.class, far);
            assertEquals(ErrorCode.INVALID_ARGUMENT, refused.code());
            assertTrue(refused.message().contains("replication.max-clock-skew"), refused.message());

            cluster.network().runFor(Duration.ofMillis(200));
            for (String node : cluster.nodeIds()) {
                assertTrue(stored(cluster, node, key).isEmpty(), node + " stored a refused write");
            }
            // within the deadline it is applied
            Message written = send(cluster, coordinator, new Message.ClientPut(key, VALUE, VectorClock.EMPTY, 0, 0, false,
                    id, cluster.network().currentTimeMillis() + 1000));
            assertInstanceOf(Message.Written.class, written);
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("io.dynamo.core.cluster.Schemes#both")
    void aMalformedWriteIdIsRefusedAsMalformed(CausalityScheme causality) {
        try (InProcessCluster cluster = cluster(46, causality, b -> b)) {
            Bytes key = Bytes.utf8("k");
            Message.ClientPut plain = new Message.ClientPut(key, VALUE, VectorClock.EMPTY, 0, 0, false);
            int flagsAt = MessageCodec.encode(plain).length - 1;
            byte[] bytes = MessageCodec.encode(new Message.ClientPut(key, VALUE, VectorClock.EMPTY, 0, 0, false,
                    Optional.of(new WriteId(5, 1)), 0));
            java.util.Arrays.fill(bytes, flagsAt + 1, flagsAt + 9, (byte) 0); // client id 0
            Message answer = MessageCodec.decode(cluster.network().await(cluster.network().transport("attacker")
                    .request(new Endpoint(cluster.nodeIds().get(0)), bytes, WAIT), WAIT));
            Message.Error error = assertInstanceOf(Message.Error.class, answer);
            assertEquals(ErrorCode.MALFORMED, error.code());
            assertTrue(error.message().contains("malformed write id"), error.message());
            assertFalse(cluster.nodeIds().stream().anyMatch(node -> !stored(cluster, node, key).isEmpty()));
        }
    }

    private static Message send(InProcessCluster cluster, String node, Message request) {
        return MessageCodec.decode(cluster.network().await(cluster.network().transport("sender")
                .request(new Endpoint(node), MessageCodec.encode(request), WAIT), WAIT));
    }

    private static Bytes keyNotOwnedBy(InProcessCluster cluster, String node) {
        for (int i = 0; ; i++) {
            Bytes key = Bytes.utf8("cart-" + i);
            if (!cluster.ring().preferenceList(key, 3).contains(node)) {
                return key;
            }
        }
    }
}
