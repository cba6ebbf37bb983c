package io.dynamo.transport.tcp;

import io.dynamo.api.RequestTimeoutException;
import io.dynamo.spi.transport.Endpoint;
import io.netty.util.Timeout;
import java.util.concurrent.CompletableFuture;

/**
 * A request sent (or about to be sent) and not yet answered. Whoever completes it first wins:
 * the response, an error frame, the connection closing, or the timeout; the others are no-ops.
 */
final class PendingRequest {
    final long id;
    final Endpoint peer;
    final CompletableFuture<byte[]> future = new CompletableFuture<>();
    private volatile Timeout timeout;
    private volatile ClientConnection connection;

    PendingRequest(long id, Endpoint peer) {
        this.id = id;
        this.peer = peer;
    }

    void timeout(Timeout timeout) {
        this.timeout = timeout;
    }

    /** Records the connection the request went out on, so a timeout can remove its entry. */
    void sentOn(ClientConnection connection) {
        this.connection = connection;
    }

    void complete(byte[] response) {
        cancelTimeout();
        future.complete(response);
    }

    void fail(Throwable cause) {
        cancelTimeout();
        future.completeExceptionally(cause);
    }

    /**
     * Called by the timer: removes the request's entry from its connection, then fails it. The
     * entry goes first so that whoever sees the timeout also sees no pending entry; the second
     * removal covers a send that registered the entry in between.
     */
    void expire(long timeoutMillis) {
        if (future.isDone()) {
            return;
        }
        forgetOnConnection();
        future.completeExceptionally(new RequestTimeoutException(
                "no response from " + peer + " within " + timeoutMillis + " ms"));
        forgetOnConnection();
    }

    private void forgetOnConnection() {
        ClientConnection sent = connection;
        if (sent != null) {
            sent.forget(id);
        }
    }

    private void cancelTimeout() {
        Timeout t = timeout;
        if (t != null) {
            t.cancel();
        }
    }
}
