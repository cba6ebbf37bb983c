package io.dynamo.core.node;

import io.dynamo.core.messages.Message;
import io.dynamo.spi.transport.Role;

/**
 * The least {@link Role} that may send each request. Clients read and write keys (also straight
 * to replicas, when they coordinate their own reads and repair them), ask for the routing table,
 * ping, and look at the gossip state, the hint counts and the stores; admins also decommission, remove,
 * replace and drain nodes, repair, create and drop stores, and list the node's plugins (the answer
 * names files on its disk); everything else —
 * gossip that is merged, hints, anti-entropy, partition streams — is between nodes.
 */
final class RequiredRole {
    private RequiredRole() {}

    static Role of(Message.Request request) {
        if (request instanceof Message.InStore envelope) {
            return of(envelope.request()); // the store changes where a request goes, never who may send it
        }
        if (request instanceof Message.ClientGet || request instanceof Message.ClientPut
                || request instanceof Message.ClientDelete || request instanceof Message.Routing
                || request instanceof Message.Ping || request instanceof Message.Gossip
                || request instanceof Message.Hints || request instanceof Message.ListStores) {
            return Role.CLIENT; // a Gossip from below PEER is answered, never merged
        }
        if (request instanceof Message.ReplicaRead m) {
            return m.hintFor().isPresent() ? Role.PEER : Role.CLIENT;
        }
        if (request instanceof Message.ReplicaWrite m) {
            return m.hintFor().isPresent() ? Role.PEER : Role.CLIENT;
        }
        if (request instanceof Message.Decommission || request instanceof Message.Repair
                || request instanceof Message.RemoveNode || request instanceof Message.ReplaceNode
                || request instanceof Message.Drain || request instanceof Message.CreateStore
                || request instanceof Message.DropStore) {
            return Role.ADMIN;
        }
        if (request instanceof Message.Plugins) {
            return Role.ADMIN; // the answer names files on the node's disk
        }
        return Role.PEER;
    }
}
