package io.dynamo.core.antientropy;

import io.dynamo.api.Bytes;
import io.dynamo.api.Versioned;
import io.dynamo.core.coordination.ClusterView;
import io.dynamo.core.coordination.ReplicaStore;
import io.dynamo.core.messages.Message;
import io.dynamo.core.messages.MessageCodec;
import io.dynamo.core.ring.Ring;
import io.dynamo.core.storage.MemoryStorageEngine;
import io.dynamo.core.transport.local.LocalNetwork;
import io.dynamo.spi.partition.Partitioner;
import io.dynamo.spi.transport.Endpoint;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;

/**
 * Replicas of one partition (0) without a cluster: each a memory engine, trees and anti-entropy,
 * connected directly. Every message is encoded and decoded, as on a network; work runs on the
 * calling thread.
 */
final class DirectReplicas implements AutoCloseable {
    static final int PARTITION = 0;

    /** Every key in partition 0. */
    private static final Partitioner ONE_PLACE = Partitioner.of64Bits(key -> 0);

    record Replica(String id, MemoryStorageEngine engine, PartitionTrees trees, ReplicaStore store, AntiEntropy antiEntropy) {}

    private final LocalNetwork network = LocalNetwork.simulated(1);
    private final Map<String, Replica> replicas = new LinkedHashMap<>();

    DirectReplicas(List<String> ids, AntiEntropySettings settings) {
        Map<String, Endpoint> endpoints = new LinkedHashMap<>();
        ids.forEach(id -> endpoints.put(id, new Endpoint(id)));
        ClusterView view = new ClusterView(Ring.create(ids, Integer.highestOneBit(ids.size() * 2 - 1), ONE_PLACE), endpoints);
        for (String id : ids) {
            MemoryStorageEngine engine = new MemoryStorageEngine();
            PartitionTrees trees = new PartitionTrees(engine, settings.treeDepth());
            ReplicaStore store = new ReplicaStore(engine, trees);
            AntiEntropy antiEntropy = new AntiEntropy(id, () -> view, ids.size(), store, trees, this::send,
                    network.scheduler(id), Runnable::run, settings);
            replicas.put(id, new Replica(id, engine, trees, store, antiEntropy));
        }
    }

    Replica replica(String id) {
        return replicas.get(id);
    }

    void write(String id, Bytes key, List<Versioned> versions) {
        replica(id).store().merge(PARTITION, key, versions);
    }

    RoundReport repair(String id) {
        return network.await(replica(id).antiEntropy().repair(Optional.of(PARTITION)), java.time.Duration.ofHours(1));
    }

    private CompletableFuture<Message.Response> send(String to, Message.Request request, java.time.Duration timeout) {
        Message decoded = MessageCodec.decode(MessageCodec.encode(request));
        Optional<CompletableFuture<Message.Response>> answer = replica(to).antiEntropy().handle((Message.Request) decoded);
        return answer.orElseThrow().thenApply(r -> {
            Message back = MessageCodec.decode(MessageCodec.encode(r));
            if (back instanceof Message.Error e) {
                throw e.toException();
            }
            return (Message.Response) back;
        });
    }

    @Override
    public void close() {
        replicas.values().forEach(r -> r.engine().close());
        network.close();
    }
}
