package io.dynamo.transport.tcp;

import java.util.Optional;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The server's bounds on connections: in total ({@code tcp.max-connections}) and not yet
 * authenticated ({@code tcp.max-unauthenticated-connections}). Checked once per accepted
 * connection; each admitted connection holds a {@link Slot} until it closes.
 */
final class ConnectionLimits {
    private final int maxConnections;
    private final int maxUnauthenticated;
    private final AtomicInteger open = new AtomicInteger();
    private final AtomicInteger unauthenticated = new AtomicInteger();

    ConnectionLimits(int maxConnections, int maxUnauthenticated) {
        this.maxConnections = maxConnections;
        this.maxUnauthenticated = maxUnauthenticated;
    }

    /** What one admitted connection holds: a place among all and, until it authenticates, among the unauthenticated. */
    final class Slot {
        private final AtomicBoolean unauthenticatedHeld;
        private final AtomicBoolean openHeld = new AtomicBoolean(true);

        private Slot(boolean unauthenticatedHeld) {
            this.unauthenticatedHeld = new AtomicBoolean(unauthenticatedHeld);
        }

        /** The connection proved who it is; it no longer counts as unauthenticated. Idempotent. */
        void authenticated() {
            if (unauthenticatedHeld.compareAndSet(true, false)) {
                unauthenticated.decrementAndGet();
            }
        }

        /** The connection closed. Idempotent. */
        void closed() {
            authenticated();
            if (openHeld.compareAndSet(true, false)) {
                open.decrementAndGet();
            }
        }
    }

    /**
     * Admits a new connection and returns its slot, or the reason it is refused (as the second
     * element being present). {@code needsAuthentication}: whether it must prove a secret or a
     * certificate before it is served.
     */
    Admission admit(boolean needsAuthentication) {
        if (open.incrementAndGet() > maxConnections) {
            open.decrementAndGet();
            return new Admission(Optional.empty(), "too many connections (" + maxConnections
                    + ", tcp.max-connections)");
        }
        if (needsAuthentication && unauthenticated.incrementAndGet() > maxUnauthenticated) {
            unauthenticated.decrementAndGet();
            open.decrementAndGet();
            return new Admission(Optional.empty(), "too many connections still authenticating ("
                    + maxUnauthenticated + ", tcp.max-unauthenticated-connections)");
        }
        return new Admission(Optional.of(new Slot(needsAuthentication)), "");
    }

    /** A slot, or the reason a connection was refused. */
    record Admission(Optional<Slot> slot, String refusal) {}

    int open() {
        return open.get();
    }

    int unauthenticated() {
        return unauthenticated.get();
    }
}
