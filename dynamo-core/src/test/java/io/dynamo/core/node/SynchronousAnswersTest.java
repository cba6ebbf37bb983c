package io.dynamo.core.node;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.dynamo.api.Bytes;
import io.dynamo.api.Context;
import io.dynamo.api.RequestOptions;
import io.dynamo.core.causality.WriterSlots;
import io.dynamo.core.config.ReadFanout;
import io.dynamo.core.config.ReplicationConfig;
import io.dynamo.core.coordination.ClusterView;
import io.dynamo.core.coordination.RealTimeScheduler;
import io.dynamo.core.coordination.RequestLimits;
import io.dynamo.core.coordination.SuspicionFailureDetector;
import io.dynamo.core.coordination.VersionLimits;
import io.dynamo.core.resolution.VectorClockResolverFactory;
import io.dynamo.core.ring.Ring;
import io.dynamo.core.storage.MemoryStorageEngine;
import io.dynamo.spi.PluginConfig;
import io.dynamo.spi.partition.Partitioner;
import io.dynamo.spi.transport.Endpoint;
import io.dynamo.spi.transport.RequestHandler;
import io.dynamo.spi.transport.Transport;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import org.junit.jupiter.api.Test;

/**
 * Peers whose answers complete before the coordinator has asked every owner (a fast peer on
 * another thread; here, a transport that answers inside {@code request}): a round needing every
 * owner still asks them all instead of finishing short after the first answer.
 */
class SynchronousAnswersTest {
    private static final Partitioner HASH = Partitioner.of64Bits(key -> key.hashCode() * 0x9E3779B97F4A7C15L);

    @Test
    void aWriteAndAReadNeedingEveryOwnerSucceedWhenAnswersArriveAtOnce() {
        List<String> ids = List.of("n1", "n2", "n3");
        Map<String, Endpoint> endpoints = new LinkedHashMap<>();
        ids.forEach(id -> endpoints.put(id, new Endpoint(id)));
        ClusterView view = new ClusterView(Ring.create(ids, 8, HASH), endpoints);
        Map<Endpoint, RequestHandler> handlers = new ConcurrentHashMap<>();
        List<DynamoNode> nodes = new ArrayList<>();
        try {
            for (String id : ids) {
                RealTimeScheduler scheduler = new RealTimeScheduler(id); // closed with its node
                ReplicationConfig replication = new ReplicationConfig(3, 2, 2, Duration.ofSeconds(5), 50,
                        ReadFanout.QUORUM, Duration.ofMillis(10));
                NodeSettings settings = new NodeSettings(id, new Endpoint(id), "hash", replication, RequestLimits.DEFAULT,
                        VersionLimits.DEFAULT, Duration.ofSeconds(1), new WriterSlots());
                nodes.add(new DynamoNode(settings, () -> view, new MemoryStorageEngine(), new Answering(handlers),
                        new VectorClockResolverFactory().create(PluginConfig.empty("vector-clock"), null), scheduler,
                        new SuspicionFailureDetector()).start());
            }
            Bytes key = Bytes.utf8("every owner");
            RequestOptions all = RequestOptions.quorum(3).withTimeout(Duration.ofSeconds(5));
            nodes.get(0).store().put(key, Bytes.utf8("v"), Context.EMPTY, all);
            assertEquals(List.of(Bytes.utf8("v")), nodes.get(1).store().get(key, all).values());
        } finally {
            nodes.forEach(DynamoNode::close);
        }
    }

    /** Hands each request to the peer's handler on the caller's thread: the answer is complete when {@code request} returns. */
    private record Answering(Map<Endpoint, RequestHandler> handlers) implements Transport {
        @Override
        public Endpoint bind(Endpoint local, RequestHandler handler) {
            handlers.put(local, handler);
            return local;
        }

        @Override
        public CompletableFuture<byte[]> request(Endpoint peer, byte[] payload, Duration timeout) {
            return handlers.get(peer).handle(payload);
        }

        @Override
        public void close() {}
    }
}
