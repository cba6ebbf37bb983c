package io.dynamo.core.transport.local;

import java.time.Duration;
import java.util.concurrent.CompletableFuture;

/** Where a {@link LocalNetwork} runs its deliveries and timers: virtual or real time. */
interface EventLoop extends AutoCloseable {
    /** Wall-clock time (virtual when simulated). */
    long nowMicros();

    /** Time that never jumps, from an arbitrary origin; the virtual time itself when simulated. */
    default long monotonicMicros() {
        return nowMicros();
    }

    /** Runs {@code task} after {@code delayMicros}; the returned handle cancels it. */
    Runnable schedule(long delayMicros, Runnable task);

    <T> T await(CompletableFuture<T> future, Duration timeout);

    @Override
    void close();
}
