package io.dynamo.core.transport.local;

import io.dynamo.core.coordination.RealTimeScheduler;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/** The system clock and a small pool of daemon threads: for benchmarks, examples, the TCK. */
final class RealTimeEventLoop implements EventLoop {
    private final ScheduledThreadPoolExecutor executor;

    RealTimeEventLoop(int threads) {
        AtomicInteger counter = new AtomicInteger();
        this.executor = new ScheduledThreadPoolExecutor(threads, runnable -> {
            Thread thread = new Thread(runnable, "dynamo-local-network-" + counter.incrementAndGet());
            thread.setDaemon(true);
            return thread;
        });
        executor.setRemoveOnCancelPolicy(true);
        executor.setExecuteExistingDelayedTasksAfterShutdownPolicy(false);
    }

    @Override
    public long nowMicros() {
        return System.currentTimeMillis() * 1000;
    }

    @Override
    public long monotonicMicros() {
        return System.nanoTime() / 1000;
    }

    @Override
    public Runnable schedule(long delayMicros, Runnable task) {
        try {
            if (delayMicros <= 0) {
                executor.execute(task);
                return () -> {};
            }
            ScheduledFuture<?> future = executor.schedule(task, delayMicros, TimeUnit.MICROSECONDS);
            return () -> future.cancel(false);
        } catch (RejectedExecutionException e) {
            return () -> {}; // closed: nothing runs any more
        }
    }

    @Override
    public <T> T await(CompletableFuture<T> future, Duration timeout) {
        return RealTimeScheduler.awaitFuture(future, timeout);
    }

    @Override
    public void close() {
        executor.shutdownNow();
    }
}
