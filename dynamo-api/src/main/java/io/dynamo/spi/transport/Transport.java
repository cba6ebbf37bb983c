package io.dynamo.spi.transport;

import java.time.Duration;
import java.util.concurrent.CompletableFuture;

/**
 * Asynchronous request/response of opaque byte payloads between node endpoints. The core owns
 * the encoding of payloads; a transport only moves them, framed, and matches each response to
 * its request.
 *
 * <p>Lifecycle: created by its factory; {@link #bind} at most once to serve requests (a client
 * never binds); {@link #request} any number of times from any thread; {@link #close()} once.
 *
 * <p>Errors: the future of {@link #request} fails with
 * {@link io.dynamo.api.RequestTimeoutException} when no response came within the timeout and
 * with {@link TransportException} when the peer is unreachable, the connection broke or the
 * peer failed the request. It never blocks the caller.
 */
public interface Transport extends AutoCloseable {
    /**
     * Starts serving requests at {@code local} with {@code handler}; returns the endpoint peers
     * reach this node at (with the actual port when {@code local} asked for port 0).
     * Fails with {@link TransportException} if the address cannot be bound.
     */
    Endpoint bind(Endpoint local, RequestHandler handler);

    /** Sends {@code payload} to {@code peer}; completes with the peer handler's response. */
    CompletableFuture<byte[]> request(Endpoint peer, byte[] payload, Duration timeout);

    /**
     * Whether the server side authenticates its callers and hands each request in with the
     * {@link Role} its credential proves ({@link RequestHandler#handle(Role, byte[])}). A node
     * whose transport does not (the default: every caller is a peer) listens on loopback only.
     *
     * @since SPI version 2
     */
    default boolean authenticates() {
        return false;
    }

    /**
     * Stops accepting new requests, lets requests in flight finish (up to a bounded grace
     * period), then releases sockets and threads. Idempotent.
     */
    @Override
    void close();
}
