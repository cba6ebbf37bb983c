package io.dynamo.core.transport.local;

import static java.util.Objects.requireNonNull;

import io.dynamo.spi.transport.Endpoint;
import io.dynamo.spi.transport.RequestHandler;
import io.dynamo.spi.transport.Transport;
import io.dynamo.spi.transport.TransportException;
import java.time.Duration;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The {@code local} transport: one node incarnation's door to a {@link LocalNetwork}. Endpoints
 * are plain names (an in-process cluster uses the node ids). Payloads are copied both ways, so
 * neither side can change the other's bytes.
 */
final class LocalTransport implements Transport {
    private final LocalNetwork network;
    private final String nodeId;
    private final int incarnation;
    private final Set<CompletableFuture<byte[]>> pending = ConcurrentHashMap.newKeySet();
    private volatile boolean bound;
    private volatile boolean closed;

    LocalTransport(LocalNetwork network, String nodeId, int incarnation) {
        this.network = network;
        this.nodeId = nodeId;
        this.incarnation = incarnation;
    }

    String nodeId() {
        return nodeId;
    }

    int incarnation() {
        return incarnation;
    }

    @Override
    public Endpoint bind(Endpoint local, RequestHandler handler) {
        requireNonNull(local, "local is null");
        requireNonNull(handler, "handler is null");
        if (closed) {
            throw new TransportException("transport of " + nodeId + " is closed");
        }
        synchronized (this) {
            if (bound) {
                throw new TransportException("transport of " + nodeId + " is already bound");
            }
            Endpoint endpoint = network.bind(this, local, handler);
            bound = true;
            return endpoint;
        }
    }

    @Override
    public CompletableFuture<byte[]> request(Endpoint peer, byte[] payload, Duration timeout) {
        requireNonNull(peer, "peer is null");
        requireNonNull(payload, "payload is null");
        requireNonNull(timeout, "timeout is null");
        if (closed) {
            return CompletableFuture.failedFuture(new TransportException("transport of " + nodeId + " is closed"));
        }
        CompletableFuture<byte[]> response = network.send(this, peer, payload, timeout);
        pending.add(response);
        response.whenComplete((r, f) -> pending.remove(response));
        return response;
    }

    @Override
    public void close() {
        closed = true;
        network.unbind(this);
        for (CompletableFuture<byte[]> response : pending) {
            response.completeExceptionally(new TransportException("transport of " + nodeId + " closed"));
        }
    }

    @Override
    public String toString() {
        return "local transport of " + nodeId;
    }
}
