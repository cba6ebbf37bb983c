package io.dynamo.core.coordination;

import io.dynamo.api.DynamoException;
import io.dynamo.api.RequestTimeoutException;
import io.netty.util.HashedWheelTimer;
import io.netty.util.Timeout;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * The {@link Scheduler} of a real node: the system clock, {@link System#nanoTime()} for deadlines
 * and rates, and a hashed wheel timer (Netty's)
 * with one daemon thread. Every request schedules a timeout and nearly all are cancelled, so
 * scheduling and cancelling are O(1) and wake no thread; the price is that a task runs up to
 * one tick (5 ms) late. Timer tasks run on the timer thread, so they must be short (they
 * complete futures and send requests).
 */
public final class RealTimeScheduler implements Scheduler, AutoCloseable {
    private static final long TICK_MILLIS = 5;
    private final HashedWheelTimer timer;
    private volatile boolean closed;

    /** A scheduler whose timer thread is named after {@code nodeId}. */
    public RealTimeScheduler(String nodeId) {
        ThreadFactory threads = runnable -> {
            Thread thread = new Thread(runnable, "dynamo-timer-" + nodeId);
            thread.setDaemon(true);
            return thread;
        };
        this.timer = new HashedWheelTimer(threads, TICK_MILLIS, TimeUnit.MILLISECONDS, 1024, false);
    }

    @Override
    public long currentTimeMillis() {
        return System.currentTimeMillis();
    }

    @Override
    public long monotonicMillis() {
        return System.nanoTime() / 1_000_000;
    }

    @Override
    public Cancellable schedule(Duration delay, Runnable task) {
        if (closed) {
            return () -> {};
        }
        Timeout scheduled;
        try {
            scheduled = timer.newTimeout(timeout -> task.run(), Math.max(0, delay.toNanos()), TimeUnit.NANOSECONDS);
        } catch (IllegalStateException stopped) {
            return () -> {}; // closed meanwhile: nothing runs any more
        }
        return scheduled::cancel;
    }

    @Override
    public <T> T await(CompletableFuture<T> future, Duration timeout) {
        return awaitFuture(future, timeout);
    }

    /** Blocks for {@code future}, unwrapping its failure. */
    public static <T> T awaitFuture(CompletableFuture<T> future, Duration timeout) {
        try {
            return future.get(timeout.toNanos(), TimeUnit.NANOSECONDS);
        } catch (ExecutionException e) {
            throw unwrap(e.getCause());
        } catch (TimeoutException e) {
            throw new RequestTimeoutException("no answer within " + timeout.toMillis() + " ms");
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new DynamoException("interrupted while waiting for an answer", e);
        }
    }

    /** The exception to throw for a future's failure: ours as is, anything else wrapped. */
    public static RuntimeException unwrap(Throwable failure) {
        Throwable cause = failure;
        while (cause instanceof java.util.concurrent.CompletionException && cause.getCause() != null) {
            cause = cause.getCause();
        }
        if (cause instanceof DynamoException dynamo) {
            return dynamo;
        }
        return new DynamoException("request failed: " + cause, cause);
    }

    @Override
    public void close() {
        closed = true;
        timer.stop();
    }
}
