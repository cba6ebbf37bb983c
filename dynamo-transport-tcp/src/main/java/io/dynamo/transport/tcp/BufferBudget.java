package io.dynamo.transport.tcp;

import java.util.concurrent.atomic.AtomicLong;

/**
 * Bytes that all connections together may hold in frames not yet complete
 * ({@code tcp.max-buffered-bytes}): a decoder reserves a frame's announced length before it
 * buffers the payload and gives it back when the frame is complete or the connection closes.
 */
final class BufferBudget {
    private final long max;
    private final AtomicLong used = new AtomicLong();

    BufferBudget(long max) {
        if (max < 1) {
            throw new IllegalArgumentException("max " + max + " is below 1");
        }
        this.max = max;
    }

    /** Reserves {@code bytes}, or returns false (reserving nothing) when that would exceed the budget. */
    boolean tryReserve(long bytes) {
        while (true) {
            long now = used.get();
            if (now + bytes > max) {
                return false;
            }
            if (used.compareAndSet(now, now + bytes)) {
                return true;
            }
        }
    }

    void release(long bytes) {
        used.addAndGet(-bytes);
    }

    long used() {
        return used.get();
    }

    long max() {
        return max;
    }
}
