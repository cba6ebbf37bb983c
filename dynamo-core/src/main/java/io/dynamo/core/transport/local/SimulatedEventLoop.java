package io.dynamo.core.transport.local;

import io.dynamo.api.RequestTimeoutException;
import io.dynamo.core.coordination.RealTimeScheduler;
import java.time.Duration;
import java.util.PriorityQueue;
import java.util.concurrent.CompletableFuture;
import java.util.function.BooleanSupplier;

/**
 * Virtual time and a queue of events ordered by (time, sequence), run one at a time on the
 * thread that waits ({@link #await}, {@link #runUntil}). Nothing else runs the cluster, so a run
 * depends only on the seed and the schedule: the determinism the fault-injection tests need.
 */
final class SimulatedEventLoop implements EventLoop {
    /** 2020-01-01T00:00:00Z: virtual timestamps look like real ones. */
    static final long START_MICROS = 1_577_836_800_000_000L;

    private final PriorityQueue<Event> queue = new PriorityQueue<>();
    private long now = START_MICROS;
    private long sequence;
    private boolean running;
    private Thread owner;

    private static final class Event implements Comparable<Event> {
        final long time;
        final long sequence;
        final Runnable task;
        boolean cancelled;

        Event(long time, long sequence, Runnable task) {
            this.time = time;
            this.sequence = sequence;
            this.task = task;
        }

        @Override
        public int compareTo(Event other) {
            int byTime = Long.compare(time, other.time);
            return byTime != 0 ? byTime : Long.compare(sequence, other.sequence);
        }
    }

    @Override
    public synchronized long nowMicros() {
        return now;
    }

    @Override
    public synchronized Runnable schedule(long delayMicros, Runnable task) {
        Event event = new Event(now + Math.max(0, delayMicros), sequence++, task);
        queue.add(event);
        return () -> {
            synchronized (this) {
                event.cancelled = true;
            }
        };
    }

    @Override
    public <T> T await(CompletableFuture<T> future, Duration timeout) {
        long deadline = nowMicros() + timeout.toNanos() / 1000;
        runUntil(future::isDone, deadline);
        if (!future.isDone()) {
            throw new RequestTimeoutException("no answer within " + timeout.toMillis() + " ms of virtual time");
        }
        return RealTimeScheduler.awaitFuture(future, Duration.ZERO);
    }

    /**
     * Runs events until {@code done} holds or virtual time would pass {@code deadlineMicros};
     * then the clock stands at the deadline (or the time of the last event run).
     */
    void runUntil(BooleanSupplier done, long deadlineMicros) {
        enter();
        try {
            while (!done.getAsBoolean()) {
                Event next;
                synchronized (this) {
                    next = queue.peek();
                    if (next == null || next.time > deadlineMicros) {
                        now = Math.max(now, deadlineMicros);
                        return;
                    }
                    queue.poll();
                    now = next.time;
                    if (next.cancelled) {
                        continue;
                    }
                }
                next.task.run();
            }
        } finally {
            running = false;
        }
    }

    private void enter() {
        Thread current = Thread.currentThread();
        synchronized (this) {
            if (owner == null) {
                owner = current;
            }
            if (owner != current) {
                throw new IllegalStateException("a simulated network runs on one thread (" + owner.getName()
                        + "), not " + current.getName());
            }
            if (running) {
                throw new IllegalStateException("waiting inside the simulation would never end: "
                        + "use the asynchronous API from event handlers");
            }
            running = true;
        }
    }

    synchronized int pending() {
        return queue.size();
    }

    @Override
    public synchronized void close() {
        queue.clear();
    }
}
