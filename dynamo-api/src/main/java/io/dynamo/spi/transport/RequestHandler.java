package io.dynamo.spi.transport;

import java.util.concurrent.CompletableFuture;

/**
 * The core's side of a transport's server: takes one request payload and answers it. Called
 * concurrently from the transport's threads; must not block them (slow work completes the
 * future later). The core encodes failures inside its responses, so the future fails only on a
 * bug; the transport then answers with an error frame and the caller's future fails with
 * {@link TransportException}.
 *
 * <p>A transport that authenticates its callers calls {@link #handle(Role, byte[])} with the
 * role the connection proved; {@link #handle(byte[])} is for callers trusted as peers.
 */
@FunctionalInterface
public interface RequestHandler {
    /** Handles a request from a caller trusted as a {@link Role#PEER}. */
    CompletableFuture<byte[]> handle(byte[] request);

    /**
     * Handles a request from a caller authenticated as {@code caller}; the core refuses what the
     * role may not send. The default, for handlers that do not tell roles apart, ignores it.
     *
     * @since SPI version 2
     */
    default CompletableFuture<byte[]> handle(Role caller, byte[] request) {
        return handle(request);
    }
}
