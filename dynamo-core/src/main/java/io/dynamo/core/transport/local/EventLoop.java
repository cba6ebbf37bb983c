package io.dynamo.core.transport.local;

import java.time.Duration;
import java.util.concurrent.CompletableFuture;

/** Where a {@link LocalNetwork} runs its deliveries and timers: virtual or real time. */
interface EventLoop extends AutoCloseable {
    long nowMicros();

    /** Runs {@code task} after {@code delayMicros}; the returned handle cancels it. */
    Runnable schedule(long delayMicros, Runnable task);

    <T> T await(CompletableFuture<T> future, Duration timeout);

    @Override
    void close();
}
