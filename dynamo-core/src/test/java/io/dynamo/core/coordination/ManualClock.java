package io.dynamo.core.coordination;

import java.time.Duration;
import java.util.concurrent.CompletableFuture;

/**
 * A {@link Scheduler} whose two clocks a test moves by hand: {@link #advance} moves both, as time
 * passing does; {@link #jumpWallClock} moves the wall clock alone, as NTP or an operator does.
 * It runs no tasks: for the parts that only read time.
 */
public final class ManualClock implements Scheduler {
    private long wallMillis = 1_700_000_000_000L;
    private long monotonicMillis = 42;

    public synchronized void advance(Duration duration) {
        wallMillis += duration.toMillis();
        monotonicMillis += duration.toMillis();
    }

    public synchronized void jumpWallClock(Duration jump) {
        wallMillis += jump.toMillis();
    }

    @Override
    public synchronized long currentTimeMillis() {
        return wallMillis;
    }

    @Override
    public synchronized long monotonicMillis() {
        return monotonicMillis;
    }

    @Override
    public Cancellable schedule(Duration delay, Runnable task) {
        throw new UnsupportedOperationException("a manual clock runs no tasks");
    }

    @Override
    public <T> T await(CompletableFuture<T> future, Duration timeout) {
        throw new UnsupportedOperationException("a manual clock runs no tasks");
    }
}
