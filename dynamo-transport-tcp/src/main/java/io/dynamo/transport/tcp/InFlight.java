package io.dynamo.transport.tcp;

import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.BooleanSupplier;

/** Counts the server's requests in flight, so that close can wait for them to be answered. */
final class InFlight {
    private final AtomicInteger count = new AtomicInteger();
    private volatile boolean draining;

    /** Admits one request, or refuses it once draining has begun. */
    boolean tryEnter() {
        if (draining) {
            return false;
        }
        count.incrementAndGet();
        return true;
    }

    void exit() {
        count.decrementAndGet();
    }

    int count() {
        return count.get();
    }

    void startDraining() {
        draining = true;
    }

    boolean draining() {
        return draining;
    }

    /** Waits until {@code idle} holds or {@code deadlineNanos} (System.nanoTime) has passed. */
    static boolean awaitUntil(BooleanSupplier idle, long deadlineNanos) {
        while (!idle.getAsBoolean()) {
            if (System.nanoTime() - deadlineNanos >= 0) {
                return false;
            }
            try {
                TimeUnit.MILLISECONDS.sleep(2);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return idle.getAsBoolean();
            }
        }
        return true;
    }
}
