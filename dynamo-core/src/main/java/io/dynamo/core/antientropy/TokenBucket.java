package io.dynamo.core.antientropy;

import io.dynamo.core.coordination.Scheduler;
import java.time.Duration;

/**
 * Keeps anti-entropy traffic under a rate: each step reports the bytes it moved and is told how
 * long to pause before the next one. Up to one second's worth may go in a burst. Time comes from
 * the node's {@link Scheduler}'s monotonic clock, so a wall-clock jump neither stalls
 * repair nor lifts the limit, and the pauses are virtual under simulation. Thread-safe.
 */
final class TokenBucket {
    private final long bytesPerSecond;
    private final Scheduler scheduler;
    private double available; // guarded by this
    private long lastMillis; // guarded by this

    /** {@code bytesPerSecond} 0 means no limit. */
    TokenBucket(long bytesPerSecond, Scheduler scheduler) {
        this.bytesPerSecond = bytesPerSecond;
        this.scheduler = scheduler;
        this.available = bytesPerSecond;
        this.lastMillis = scheduler.monotonicMillis();
    }

    /** Takes {@code bytes}; returns the pause that brings the rate back under the limit. */
    synchronized Duration take(long bytes) {
        if (bytesPerSecond == 0) {
            return Duration.ZERO;
        }
        long now = scheduler.monotonicMillis();
        available = Math.min(bytesPerSecond, available + (now - lastMillis) * bytesPerSecond / 1000.0);
        lastMillis = now;
        available -= bytes;
        if (available >= 0) {
            return Duration.ZERO;
        }
        return Duration.ofMillis((long) Math.ceil(-available * 1000.0 / bytesPerSecond));
    }
}
