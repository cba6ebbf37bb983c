package io.dynamo.transport.tcp;

import io.dynamo.spi.transport.Endpoint;
import io.dynamo.spi.transport.TransportException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReferenceArray;
import java.util.function.Function;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The connections to one peer: a fixed number of slots, used round-robin, each opened lazily
 * and reopened after it closes. A failed attempt to connect puts the peer in back-off
 * (doubling from {@code tcp.reconnect-backoff} up to {@code tcp.reconnect-backoff-max}); while
 * it lasts, requests that would need a new connection fail at once instead of hammering a
 * peer that is down.
 */
final class PeerConnections {
    private static final Logger log = LoggerFactory.getLogger(PeerConnections.class);

    private final Endpoint peer;
    private final Function<Endpoint, CompletableFuture<ClientConnection>> connector;
    private final Duration backoff;
    private final Duration backoffMax;
    private final AtomicReferenceArray<CompletableFuture<ClientConnection>> slots;
    private final AtomicInteger next = new AtomicInteger();
    private int failures; // guarded by this
    private volatile long retryAtNanos = System.nanoTime();
    private volatile String lastFailure = "";

    PeerConnections(Endpoint peer, int connections, Duration backoff, Duration backoffMax,
            Function<Endpoint, CompletableFuture<ClientConnection>> connector) {
        this.peer = peer;
        this.connector = connector;
        this.backoff = backoff;
        this.backoffMax = backoffMax;
        this.slots = new AtomicReferenceArray<>(connections);
    }

    /** A connection to send on: an open one when there is one, else one being opened. */
    CompletableFuture<ClientConnection> acquire() {
        int n = slots.length();
        int start = Math.floorMod(next.getAndIncrement(), n);
        CompletableFuture<ClientConnection> chosen = slots.get(start);
        if (isOpen(chosen)) {
            return chosen;
        }
        CompletableFuture<ClientConnection> opening = chosen != null && !chosen.isDone() ? chosen : reopen(start, chosen);
        // while this slot (re)connects, prefer a connection that is already open
        for (int i = 1; i < n; i++) {
            CompletableFuture<ClientConnection> other = slots.get((start + i) % n);
            if (isOpen(other)) {
                return other;
            }
        }
        if (opening != null) {
            return opening;
        }
        for (int i = 1; i < n; i++) {
            CompletableFuture<ClientConnection> other = slots.get((start + i) % n);
            if (other != null && !other.isDone()) {
                return other;
            }
        }
        long waitMillis = Math.max(0, (retryAtNanos - System.nanoTime()) / 1_000_000);
        return CompletableFuture.failedFuture(new TransportException("peer " + peer + " is unreachable ("
                + lastFailure + "); next connection attempt in " + waitMillis + " ms"));
    }

    /** Starts opening slot {@code index} unless the peer is in back-off; null when it is. */
    private CompletableFuture<ClientConnection> reopen(int index, CompletableFuture<ClientConnection> dead) {
        if (System.nanoTime() - retryAtNanos < 0) {
            return null;
        }
        CompletableFuture<ClientConnection> fresh = new CompletableFuture<>();
        if (!slots.compareAndSet(index, dead, fresh)) {
            CompletableFuture<ClientConnection> current = slots.get(index);
            return current != null && (!current.isDone() || isOpen(current)) ? current : null;
        }
        connector.apply(peer).whenComplete((connection, failure) -> {
            if (failure != null) {
                slots.compareAndSet(index, fresh, null);
                recordFailure(failure);
                fresh.completeExceptionally(failure instanceof CompletionException && failure.getCause() != null
                        ? failure.getCause()
                        : failure);
            } else {
                recordSuccess();
                fresh.complete(connection);
            }
        });
        return fresh;
    }

    private synchronized void recordFailure(Throwable failure) {
        long now = System.nanoTime();
        if (now - retryAtNanos < 0) {
            return; // another attempt already put the peer in back-off
        }
        failures++;
        long delay = Math.min(backoffMax.toNanos(), backoff.toNanos() << Math.min(failures - 1, 20));
        retryAtNanos = now + delay;
        lastFailure = failure.getMessage();
        log.debug("cannot connect to {} ({} failure(s) in a row): {}; retrying in {} ms",
                peer, failures, failure.getMessage(), delay / 1_000_000);
    }

    private synchronized void recordSuccess() {
        if (failures > 0) {
            log.info("reconnected to {} after {} failed attempt(s)", peer, failures);
        }
        failures = 0;
        retryAtNanos = System.nanoTime();
    }

    /** The connections that are open now (for closing and for counting requests in flight). */
    List<ClientConnection> openConnections() {
        List<ClientConnection> open = new ArrayList<>();
        for (int i = 0; i < slots.length(); i++) {
            CompletableFuture<ClientConnection> slot = slots.get(i);
            if (slot != null && slot.isDone() && !slot.isCompletedExceptionally()) {
                open.add(slot.join());
            }
        }
        return open;
    }

    /** Closes every connection and fails those still being opened. */
    void closeAll(TransportException cause) {
        for (int i = 0; i < slots.length(); i++) {
            CompletableFuture<ClientConnection> slot = slots.getAndSet(i, null);
            if (slot != null) {
                slot.completeExceptionally(cause);
                if (!slot.isCompletedExceptionally()) {
                    slot.join().close();
                }
            }
        }
    }

    private static boolean isOpen(CompletableFuture<ClientConnection> slot) {
        return slot != null && slot.isDone() && !slot.isCompletedExceptionally() && slot.join().isOpen();
    }
}
