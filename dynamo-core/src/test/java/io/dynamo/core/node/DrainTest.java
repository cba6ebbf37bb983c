package io.dynamo.core.node;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.dynamo.api.Bytes;
import io.dynamo.api.Context;
import io.dynamo.api.RequestOptions;
import io.dynamo.core.client.DynamoClient;
import io.dynamo.core.cluster.InProcessCluster;
import io.dynamo.core.messages.ErrorCode;
import io.dynamo.core.messages.Message;
import io.dynamo.core.messages.MessageCodec;
import io.dynamo.spi.transport.Role;
import java.time.Duration;
import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;

/**
 * {@code Hints} counts what each node holds per target; {@code Drain} makes a node refuse client
 * requests as unavailable (a client goes to its next node), hands its hints off, and ends with
 * what is left, after which the node may stop.
 */
class DrainTest {
    @Test
    void aDrainedNodeRefusesClientsHandsItsHintsOffAndEnds() {
        try (InProcessCluster cluster = InProcessCluster.builder().nodes(4).seed(51).partitions(16)
                .replication(3, 2, 2).build()) {
            cluster.crash("node-3");
            for (int i = 0; i < 40; i++) {
                cluster.store("node-1").put(Bytes.utf8("key-" + i), Bytes.utf8("v" + i), Context.EMPTY);
            }
            Map<String, Map<String, Long>> before = hintsEverywhere(cluster);
            String holder = before.entrySet().stream().filter(e -> e.getValue().getOrDefault("node-3", 0L) > 0)
                    .map(Map.Entry::getKey).findFirst().orElseThrow(() -> new AssertionError("no hint for node-3: " + before));
            long held = before.get(holder).get("node-3");

            cluster.restart("node-3");
            Message drained = answer(cluster, holder, Role.ADMIN, new Message.Drain(60_000));
            assertEquals(new Message.HintCounts(Map.of()), drained, "every hint for node-3 handed off (" + held + " held)");
            assertTrue(cluster.node(holder).drained().isDone());
            assertEquals(Map.of(), cluster.node(holder).hints().countsByOwner());
            Message refused = answer(cluster, holder, Role.CLIENT,
                    new Message.ClientGet(Bytes.utf8("key-0"), 0, 0, false));
            assertTrue(refused instanceof Message.Error e && e.code() == ErrorCode.UNAVAILABLE
                    && e.message().contains("draining"), String.valueOf(refused));
            assertInstanceOf(Message.Ack.class, answer(cluster, holder, Role.PEER, new Message.Ping("node-1")),
                    "a draining node still answers its peers");
            // a client goes past the drained node to the next one, every time
            DynamoClient client = cluster.client("client");
            for (int i = 0; i < 8; i++) {
                assertEquals(Bytes.utf8("v" + i), client.get(Bytes.utf8("key-" + i), RequestOptions.quorum(2)).values().get(0));
                client.put(Bytes.utf8("after-" + i), Bytes.utf8("x"), Context.EMPTY, RequestOptions.quorum(2));
            }
        }
    }

    private static Map<String, Map<String, Long>> hintsEverywhere(InProcessCluster cluster) {
        Map<String, Map<String, Long>> counts = new TreeMap<>();
        for (String id : cluster.nodeIds()) {
            if (cluster.isUp(id)) {
                Message answer = answer(cluster, id, Role.CLIENT, new Message.Hints());
                counts.put(id, ((Message.HintCounts) answer).pending());
            }
        }
        return counts;
    }

    private static Message answer(InProcessCluster cluster, String via, Role role, Message.Request request) {
        return MessageCodec.decode(cluster.network().await(cluster.node(via).handler().handle(role,
                MessageCodec.encode(request)), Duration.ofSeconds(120)));
    }
}
