package io.dynamo.server.bench;

import static java.util.Objects.requireNonNull;

import java.util.concurrent.TimeUnit;
import org.HdrHistogram.Histogram;

/**
 * The measured outcome of one operation type over a phase: a latency histogram of the
 * successful requests (nanoseconds) and the count of failed ones.
 */
public record OperationStats(Operation operation, Histogram latencies, long errors, String firstError) {
    public OperationStats {
        requireNonNull(operation, "operation is null");
        requireNonNull(latencies, "latencies is null");
        latencies = latencies.copy();
    }

    public long count() {
        return latencies.getTotalCount();
    }

    /** The latency at {@code percentile} (0-100) in milliseconds. */
    public double percentileMillis(double percentile) {
        return latencies.getValueAtPercentile(percentile) / (double) TimeUnit.MILLISECONDS.toNanos(1);
    }

    public double maxMillis() {
        return latencies.getMaxValue() / (double) TimeUnit.MILLISECONDS.toNanos(1);
    }

    @Override
    public Histogram latencies() {
        return latencies.copy();
    }
}
