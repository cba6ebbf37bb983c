package io.dynamo.core.coordination;

import io.dynamo.api.DynamoException;
import io.dynamo.api.RequestTimeoutException;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * The {@link Scheduler} of a real node: the system clock and one daemon timer thread. Timer
 * tasks run on that thread, so they must be short (they complete futures and send requests).
 */
public final class RealTimeScheduler implements Scheduler, AutoCloseable {
    private final ScheduledThreadPoolExecutor timer;

    /** A scheduler whose timer thread is named after {@code nodeId}. */
    public RealTimeScheduler(String nodeId) {
        this.timer = new ScheduledThreadPoolExecutor(1, runnable -> {
            Thread thread = new Thread(runnable, "dynamo-timer-" + nodeId);
            thread.setDaemon(true);
            return thread;
        });
        timer.setRemoveOnCancelPolicy(true);
        timer.setExecuteExistingDelayedTasksAfterShutdownPolicy(false);
    }

    @Override
    public long currentTimeMillis() {
        return System.currentTimeMillis();
    }

    @Override
    public Cancellable schedule(Duration delay, Runnable task) {
        if (timer.isShutdown()) {
            return () -> {};
        }
        ScheduledFuture<?> scheduled = timer.schedule(task, Math.max(0, delay.toNanos()), TimeUnit.NANOSECONDS);
        return () -> scheduled.cancel(false);
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
        timer.shutdownNow();
    }
}
