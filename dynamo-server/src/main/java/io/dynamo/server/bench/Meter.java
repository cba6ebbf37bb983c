package io.dynamo.server.bench;

import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import java.util.concurrent.atomic.LongAdder;
import org.HdrHistogram.Histogram;
import org.HdrHistogram.Recorder;

/**
 * Latencies and failures of one operation type, recorded from many threads without locks
 * (HdrHistogram's {@link Recorder}) and drained by one reporting thread.
 */
final class Meter {
    /** Latencies above this are recorded as this: a request never legitimately waits longer. */
    static final long HIGHEST_TRACKABLE_NANOS = TimeUnit.MINUTES.toNanos(5);

    final Operation operation;
    final LongAdder errors = new LongAdder();
    private final AtomicReference<String> firstError = new AtomicReference<>();
    private final Recorder recorder = new Recorder(HIGHEST_TRACKABLE_NANOS, 3);
    private final Histogram total = new Histogram(HIGHEST_TRACKABLE_NANOS, 3);
    private Histogram window;

    Meter(Operation operation) {
        this.operation = operation;
    }

    void success(long nanos) {
        recorder.recordValue(Math.min(Math.max(nanos, 0), HIGHEST_TRACKABLE_NANOS));
    }

    void failure(RuntimeException e) {
        errors.increment();
        firstError.compareAndSet(null, e.getClass().getSimpleName() + ": " + e.getMessage());
    }

    /** The latencies recorded since the last drain; they are also added to the phase's total. */
    synchronized Histogram drain() {
        window = recorder.getIntervalHistogram(window);
        total.add(window);
        return window;
    }

    synchronized OperationStats stats() {
        return new OperationStats(operation, total, errors.sum(), firstError.get());
    }
}
