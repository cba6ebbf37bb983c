package io.dynamo.core.metrics;

import static java.util.Objects.requireNonNull;

import io.micrometer.core.instrument.Clock;
import java.time.Duration;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * Micrometer's clock for a node's registries, with a wall time read from the system every
 * {@link #TICK} instead of on every call.
 *
 * <p>Micrometer reads the wall time twice on every record of a timer or distribution summary, to
 * see whether the windows of its maximum and of its histogram must rotate: with the meters a
 * request records across three replicas that is ten clock reads per operation, a quarter of what
 * metrics cost a request. Those windows last tens of seconds; a wall time at most one tick old
 * rotates them as well. The monotonic time is the system's, exact.
 *
 * <p>{@link #close()} stops the ticking thread.
 */
final class CoarseClock implements Clock, AutoCloseable {
    static final Duration TICK = Duration.ofMillis(100);

    private final ScheduledExecutorService ticker;
    private volatile long wallTime = System.currentTimeMillis();

    CoarseClock(String nodeId) {
        requireNonNull(nodeId, "nodeId is null");
        ticker = Executors.newSingleThreadScheduledExecutor(runnable -> {
            Thread thread = new Thread(runnable, "metrics-clock-" + nodeId);
            thread.setDaemon(true);
            return thread;
        });
        ticker.scheduleAtFixedRate(() -> wallTime = System.currentTimeMillis(), TICK.toMillis(), TICK.toMillis(),
                TimeUnit.MILLISECONDS);
    }

    @Override
    public long wallTime() {
        return wallTime;
    }

    @Override
    public long monotonicTime() {
        return System.nanoTime();
    }

    @Override
    public void close() {
        ticker.shutdownNow();
    }
}
