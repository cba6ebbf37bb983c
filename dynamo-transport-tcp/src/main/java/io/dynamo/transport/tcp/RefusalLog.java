package io.dynamo.transport.tcp;

import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;

/**
 * One WARN line per period at most for connections the server refuses or cuts off (over a
 * connection limit, the partial-frame budget or the unread-answers limit, or with a wrong
 * secret), with the number since the last line: a flood of refusals must not become a flood of
 * log lines.
 */
final class RefusalLog {
    static final long DEFAULT_PERIOD_NANOS = TimeUnit.SECONDS.toNanos(10);

    private final Logger log;
    private final String nodeId;
    private final long periodNanos;
    private final AtomicLong refusedSinceLine = new AtomicLong();
    private final AtomicLong refused = new AtomicLong();
    private final AtomicLong lines = new AtomicLong();
    private final AtomicLong nextLineAt;

    RefusalLog(Logger log, String nodeId, long periodNanos) {
        this.log = log;
        this.nodeId = nodeId;
        this.periodNanos = periodNanos;
        this.nextLineAt = new AtomicLong(System.nanoTime());
    }

    /** Counts one refusal and logs it (with those not logged yet) unless a line was written this period. */
    void refused(Object remote, String reason) {
        refused.incrementAndGet();
        refusedSinceLine.incrementAndGet();
        long now = System.nanoTime();
        long due = nextLineAt.get();
        if (now - due >= 0 && nextLineAt.compareAndSet(due, now + periodNanos)) {
            long count = refusedSinceLine.getAndSet(0);
            lines.incrementAndGet();
            log.warn("tcp transport of {} refused or cut off {} connection(s) since its last such message; latest from {}: {}"
                    + " (at most one such message every {} s)", nodeId, count, remote, reason,
                    TimeUnit.NANOSECONDS.toSeconds(periodNanos));
        }
    }

    /** Connections refused since the transport started. */
    long refused() {
        return refused.get();
    }

    /** WARN lines written. */
    long lines() {
        return lines.get();
    }
}
