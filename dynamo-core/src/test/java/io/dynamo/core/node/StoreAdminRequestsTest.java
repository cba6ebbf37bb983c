package io.dynamo.core.node;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.dynamo.core.cluster.InProcessCluster;
import io.dynamo.core.membership.MembershipSettings;
import io.dynamo.core.messages.ErrorCode;
import io.dynamo.core.messages.Message;
import io.dynamo.core.messages.MessageCodec;
import io.dynamo.core.store.CatalogEntry;
import io.dynamo.spi.transport.Role;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** An admin creates, lists and drops stores through any node; every refusal says why, naming the key. */
class StoreAdminRequestsTest {
    @Test
    void createListAndDropThroughOneNode() {
        try (InProcessCluster cluster = InProcessCluster.builder().nodes(3).seed(5).partitions(16)
                .gossip(MembershipSettings.DEFAULT, 1).build()) {
            cluster.network().runFor(Duration.ofSeconds(3));
            DynamoNode node = cluster.node("node-1");

            Message.StoreList empty = (Message.StoreList) answer(cluster, node, new Message.ListStores());
            assertEquals(1, empty.stores().size());
            CatalogEntry defaults = empty.stores().get(0);
            assertEquals("default", defaults.name());
            assertEquals("3", defaults.settings().get("n"));
            assertEquals("2", defaults.settings().get("r"));
            assertEquals("1000ms", defaults.settings().get("timeout"));
            // the node's own default definition: the names of its resolver, engine and causality scheme too
            assertEquals("vector-clock", defaults.settings().get("resolver"));
            assertEquals("memory", defaults.settings().get("storage"));
            assertEquals("vector-clock", defaults.settings().get("causality"));

            assertInstanceOf(Message.Ack.class, answer(cluster, node, new Message.CreateStore("carts",
                    Map.of("n", "2", "resolver", "set-union"))));
            assertError(cluster, node, new Message.CreateStore("carts", Map.of()), ErrorCode.INVALID_ARGUMENT,
                    "store carts exists (version 1, made by node-1); drop it first to create it anew");
            assertError(cluster, node, new Message.CreateStore("sessions", Map.of("n", "2", "colour", "red")),
                    ErrorCode.INVALID_ARGUMENT, "store.sessions.colour: unknown store setting");
            assertError(cluster, node, new Message.CreateStore("sessions", Map.of("w", "zero")),
                    ErrorCode.INVALID_ARGUMENT, "store.sessions.w");
            assertError(cluster, node, new Message.CreateStore("default", Map.of()), ErrorCode.INVALID_ARGUMENT,
                    "store default exists on every node");

            Message.StoreList listed = (Message.StoreList) answer(cluster, node, new Message.ListStores());
            assertEquals(List.of("default", "carts"), listed.stores().stream().map(CatalogEntry::name).toList());
            assertEquals(Map.of("n", "2", "resolver", "set-union"), listed.stores().get(1).settings());

            assertError(cluster, node, new Message.DropStore("default"), ErrorCode.INVALID_ARGUMENT,
                    "store default cannot be dropped");
            assertError(cluster, node, new Message.DropStore("nothing"), ErrorCode.INVALID_ARGUMENT,
                    "no store nothing; stores: [default, carts]");
            assertInstanceOf(Message.Ack.class, answer(cluster, node, new Message.DropStore("carts")));
            Message.StoreList after = (Message.StoreList) answer(cluster, node, new Message.ListStores());
            assertTrue(after.stores().get(1).dropped());
        }
    }

    @Test
    void storesOfTheNodeConfigAreListedAndTheirNamesCannotBeCreated() {
        try (InProcessCluster cluster = InProcessCluster.builder().nodes(3).seed(6).partitions(16)
                .gossip(MembershipSettings.DEFAULT, 1)
                .store("sessions", 1, 1, 1, new io.dynamo.core.resolution.LastWriteWinsResolverFactory()).build()) {
            cluster.network().runFor(Duration.ofSeconds(3));
            DynamoNode node = cluster.node("node-2");

            Message.StoreList listed = (Message.StoreList) answer(cluster, node, new Message.ListStores());
            assertEquals(List.of("default", "sessions"), listed.stores().stream().map(CatalogEntry::name).toList());
            CatalogEntry sessions = listed.stores().get(1);
            assertEquals(0, sessions.version(), "version 0: from the node config");
            assertEquals("lww", sessions.settings().get("resolver"));
            assertEquals("1", sessions.settings().get("n"));

            assertError(cluster, node, new Message.CreateStore("sessions", Map.of()), ErrorCode.INVALID_ARGUMENT,
                    "store sessions is defined in this node's config (store.sessions.*)");
        }
    }

    private static void assertError(InProcessCluster cluster, DynamoNode node, Message.Request request, ErrorCode code,
            String text) {
        Message answer = answer(cluster, node, request);
        assertTrue(answer instanceof Message.Error e && e.code() == code && e.message().contains(text),
                request + ": " + answer);
    }

    private static Message answer(InProcessCluster cluster, DynamoNode node, Message.Request request) {
        return MessageCodec.decode(cluster.network().await(node.handler().handle(Role.ADMIN, MessageCodec.encode(request)),
                Duration.ofSeconds(30)));
    }
}
