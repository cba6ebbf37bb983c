package io.dynamo.core.node;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.dynamo.api.Bytes;
import io.dynamo.api.Context;
import io.dynamo.api.Versioned;
import io.dynamo.core.cluster.InProcessCluster;
import io.dynamo.core.membership.GossipState;
import io.dynamo.core.membership.MembershipSettings;
import io.dynamo.core.membership.RingState;
import io.dynamo.core.messages.ErrorCode;
import io.dynamo.core.messages.Message;
import io.dynamo.core.messages.MessageCodec;
import io.dynamo.spi.transport.Role;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** Each role may send only its own messages; a client's gossip is answered, never merged. */
class RoleGatingTest {
    private static final Bytes KEY = Bytes.utf8("k");

    private InProcessCluster cluster;

    private InProcessCluster start(long seed) {
        cluster = InProcessCluster.builder().nodes(3).seed(seed).partitions(16).gossip(MembershipSettings.DEFAULT, 1).build();
        return cluster;
    }

    @Test
    void clientsAndAdminsAreRefusedNodeMessagesAndClientsAdministrativeOnes() {
        try (InProcessCluster started = start(3)) {
            cluster.network().runFor(Duration.ofSeconds(3));
            DynamoNode node = cluster.node("node-1");
            cluster.store("node-1").put(KEY, Bytes.utf8("v"), Context.EMPTY);
            List<Versioned> versions = node.storage().get(cluster.ring().partitionOf(KEY), KEY);

            Message.Request[] peerOnly = {
                new Message.HintDelivery(KEY, versions, "node-2"),
                new Message.ReplicaWrite(KEY, versions, Optional.of("node-2")),
                new Message.ReplicaRead(KEY, Optional.of("node-2")),
                new Message.TreeNodes(0, 10, 0, List.of(0)),
                new Message.StreamPartition(0, Optional.empty(), 10),
                new Message.CollectTombstones(0, List.of(new Message.KeyVersions(KEY,
                        List.of(Versioned.tombstone(versions.get(0).clock()))))),
                new Message.HoldsPartitions(List.of(0)),
            };
            for (Message.Request request : peerOnly) {
                assertForbidden(node, Role.CLIENT, request);
                assertForbidden(node, Role.ADMIN, request);
                assertTrue(!(answer(node, Role.PEER, request) instanceof Message.Error e && e.code() == ErrorCode.FORBIDDEN),
                        request + " from a peer");
            }
            assertForbidden(node, Role.CLIENT, new Message.Decommission("node-3"));
            assertForbidden(node, Role.CLIENT, new Message.RemoveNode("node-3"));
            assertForbidden(node, Role.CLIENT, new Message.ReplaceNode("node-3", "node-4"));
            assertForbidden(node, Role.CLIENT, new Message.Drain(1_000));
            assertInstanceOf(Message.HintCounts.class, answer(node, Role.CLIENT, new Message.Hints()));
            assertForbidden(node, Role.CLIENT, new Message.Repair(Optional.of(0)));
            assertForbidden(node, Role.CLIENT, new Message.Plugins()); // the answer names files on the node
            assertInstanceOf(Message.PluginList.class, answer(node, Role.ADMIN, new Message.Plugins()));
            assertInstanceOf(Message.Repaired.class, answer(node, Role.ADMIN, new Message.Repair(Optional.of(0))));
            assertForbidden(node, Role.CLIENT, new Message.CreateStore("carts", java.util.Map.of("n", "2")));
            assertForbidden(node, Role.CLIENT, new Message.DropStore("carts"));
            assertInstanceOf(Message.StoreList.class, answer(node, Role.CLIENT, new Message.ListStores()));
            assertEquals(io.dynamo.core.store.StoreCatalog.EMPTY, node.membership().orElseThrow().stores());

            // what a client coordinating its own reads sends is allowed
            assertInstanceOf(Message.Versions.class, answer(node, Role.CLIENT, new Message.ReplicaRead(KEY, Optional.empty())));
            assertInstanceOf(Message.Ack.class, answer(node, Role.CLIENT, new Message.ReplicaWrite(KEY, versions, Optional.empty())));
            assertInstanceOf(Message.ReadResult.class, answer(node, Role.CLIENT, new Message.ClientGet(KEY, 0, 0, false)));
            assertInstanceOf(Message.RoutingTable.class, answer(node, Role.CLIENT, new Message.Routing()));
        }
    }

    @Test
    void aStoreEnvelopeIsGatedByTheRoleOfTheRequestInside() {
        cluster = InProcessCluster.builder().nodes(3).seed(5).partitions(16)
                .store("carts", 3, 2, 2, new io.dynamo.core.resolution.SetUnionResolverFactory()).build();
        try (InProcessCluster started = cluster) {
            DynamoNode node = cluster.node("node-1");
            cluster.store("node-1", "carts").put(KEY, Bytes.utf8("v"), Context.EMPTY);
            List<Versioned> versions = node.storeRuntime("carts").engine().get(cluster.ring().partitionOf(KEY), KEY);

            Message.Request[] peerOnly = {
                new Message.HintDelivery(KEY, versions, "node-2"),
                new Message.ReplicaWrite(KEY, versions, Optional.of("node-2")),
                new Message.TreeNodes(0, 10, 0, List.of(0)),
                new Message.StreamPartition(0, Optional.empty(), 10),
                new Message.HoldsPartitions(List.of(0)),
            };
            for (Message.Request request : peerOnly) {
                assertForbidden(node, Role.CLIENT, new Message.InStore("carts", request));
                assertForbidden(node, Role.ADMIN, new Message.InStore("carts", request));
            }
            assertForbidden(node, Role.CLIENT, new Message.InStore("carts", new Message.Repair(Optional.of(0))));
            assertInstanceOf(Message.Repaired.class, answer(node, Role.ADMIN,
                    new Message.InStore("carts", new Message.Repair(Optional.of(0)))));
            Message read = answer(node, Role.CLIENT, new Message.InStore("carts", new Message.ClientGet(KEY, 0, 0, false)));
            assertEquals(List.of(Bytes.utf8("v")), ((Message.ReadResult) read).versions().stream()
                    .map(Versioned::value).toList());
            assertInstanceOf(Message.Versions.class, answer(node, Role.CLIENT,
                    new Message.InStore("carts", new Message.ReplicaRead(KEY, Optional.empty()))));
            // a store the node lacks: named in the error, with the node's stores; a request the role may not send is
            // refused for that, whatever store it names
            assertForbidden(node, Role.CLIENT, new Message.InStore("nope", new Message.HoldsPartitions(List.of(0))));
            Message unknown = answer(node, Role.CLIENT, new Message.InStore("nope", new Message.ClientGet(KEY, 0, 0, false)));
            assertTrue(unknown instanceof Message.Error e && e.code() == ErrorCode.UNKNOWN_STORE
                    && e.message().contains("default, carts"), unknown::toString);
        }
    }

    @Test
    void aClientsGossipIsAnsweredButNeverMerged() {
        try (InProcessCluster started = start(4)) {
            cluster.network().runFor(Duration.ofSeconds(3));
            DynamoNode node = cluster.node("node-1");
            GossipState before = node.membership().orElseThrow().state();
            // a valid next step (node-3 decommissioned): a peer's gossip of it would be merged
            RingState next = new RingState(before.ring().version() + 1, before.ring().current(),
                    cluster.ring().withoutMember("node-3").assignment());
            io.dynamo.core.store.StoreCatalog stores = io.dynamo.core.store.StoreCatalog.EMPTY
                    .create("forged", java.util.Map.of("n", "1"), "node-2");
            Message answer = answer(node, Role.CLIENT, new Message.Gossip(new GossipState(before.members(), next, stores)));
            assertInstanceOf(Message.GossipAck.class, answer);
            assertEquals(before.ring(), node.membership().orElseThrow().state().ring());
            assertEquals(before.stores(), node.membership().orElseThrow().stores(), "a client's catalog is not taken");
        }
    }

    private void assertForbidden(DynamoNode node, Role role, Message.Request request) {
        Message answer = answer(node, role, request);
        assertTrue(answer instanceof Message.Error e && e.code() == ErrorCode.FORBIDDEN,
                request.getClass().getSimpleName() + " from a " + role + ": " + answer);
    }

    private Message answer(DynamoNode node, Role role, Message.Request request) {
        return MessageCodec.decode(cluster.network().await(node.handler().handle(role, MessageCodec.encode(request)),
                Duration.ofSeconds(30)));
    }

}
