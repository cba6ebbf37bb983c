package io.dynamo.core.coordination;

import java.time.Duration;
import java.util.concurrent.CompletableFuture;

/**
 * A node's time and timers. The coordinator, hinted handoff and the embedded store take every
 * timestamp ({@link #currentTimeMillis}), deadline and rate ({@link #monotonicMillis}), timeout
 * and periodic task from here, never from the system clock directly, so
 * that an in-process cluster can run them on virtual time (see
 * {@link io.dynamo.core.transport.local.LocalNetwork}) and replay a run exactly.
 *
 * <p>Thread-safe. Tasks must be short and must not block.
 */
public interface Scheduler {
    /**
     * The current wall-clock time in milliseconds since the epoch (virtual under simulation).
     * Only for what must be wall time: vector-clock timestamps, {@code lww}, gossip generations.
     * It may jump (NTP, an operator): never measure a deadline, an interval or a rate with it.
     */
    long currentTimeMillis();

    /**
     * Milliseconds from an arbitrary origin that never jumps ({@link System#nanoTime()}, virtual
     * under simulation): for deadlines, rate limiters and failure detection. Only differences
     * between two readings of the same scheduler mean anything.
     */
    long monotonicMillis();

    /** Runs {@code task} once after {@code delay}; the handle cancels it if it has not run. */
    Cancellable schedule(Duration delay, Runnable task);

    /**
     * Waits for {@code future} and returns its value, or throws its failure (a
     * {@link io.dynamo.api.DynamoException} is rethrown as is); throws
     * {@link io.dynamo.api.RequestTimeoutException} after {@code timeout}. A simulated scheduler
     * runs the simulation on the calling thread until the future completes.
     */
    <T> T await(CompletableFuture<T> future, Duration timeout);

    /** A scheduled task that may still be cancelled. */
    @FunctionalInterface
    interface Cancellable {
        /** Makes sure the task does not run if it has not started. Idempotent. */
        void cancel();
    }
}
