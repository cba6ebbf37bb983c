package io.dynamo.spi.transport;

import java.util.concurrent.CompletableFuture;

/**
 * The core's side of a transport's server: takes one request payload and answers it. Called
 * concurrently from the transport's threads; must not block them (slow work completes the
 * future later). The core encodes failures inside its responses, so the future fails only on a
 * bug; the transport then answers with an error frame and the caller's future fails with
 * {@link TransportException}.
 */
@FunctionalInterface
public interface RequestHandler {
    CompletableFuture<byte[]> handle(byte[] request);
}
