package io.dynamo.server.bench;

import static java.util.Objects.requireNonNull;

import java.io.PrintWriter;
import java.time.Duration;
import java.util.List;
import java.util.Locale;

/**
 * The result of one phase of a load-generator run: per operation, throughput and latency
 * percentiles, and the most versions (siblings) a read returned (0 when nothing was read).
 */
public record BenchReport(String phase, Duration elapsed, List<OperationStats> operations, int mostVersions) {
    public BenchReport {
        requireNonNull(phase, "phase is null");
        requireNonNull(elapsed, "elapsed is null");
        operations = List.copyOf(requireNonNull(operations, "operations is null"));
    }

    /** Successful requests per second over the phase, all operations together. */
    public double throughput() {
        return perSecond(operations.stream().mapToLong(OperationStats::count).sum());
    }

    public long successes() {
        return operations.stream().mapToLong(OperationStats::count).sum();
    }

    public long errors() {
        return operations.stream().mapToLong(OperationStats::errors).sum();
    }

    /** The first error any operation saw, or null. */
    public String firstError() {
        return operations.stream().map(OperationStats::firstError).filter(e -> e != null).findFirst().orElse(null);
    }

    public OperationStats stats(Operation operation) {
        return operations.stream()
                .filter(s -> s.operation() == operation)
                .findFirst()
                .orElseThrow(() -> new IllegalArgumentException("no " + operation + " in the " + phase + " phase"));
    }

    /** A table: one row per operation, then the total. Latencies in milliseconds. */
    public void print(PrintWriter out) {
        out.printf(Locale.ROOT, "%s phase: %.1f s%n", phase, elapsed.toNanos() / 1e9);
        out.printf(Locale.ROOT, "%-9s %11s %11s %9s %9s %9s %9s %8s%n",
                "operation", "count", "ops/s", "p50 ms", "p99 ms", "p99.9 ms", "max ms", "errors");
        for (OperationStats s : operations) {
            out.printf(Locale.ROOT, "%-9s %11d %11.0f %9.3f %9.3f %9.3f %9.3f %8d%n",
                    s.operation().name().toLowerCase(Locale.ROOT), s.count(), perSecond(s.count()),
                    s.percentileMillis(50), s.percentileMillis(99), s.percentileMillis(99.9), s.maxMillis(), s.errors());
        }
        out.printf(Locale.ROOT, "%-9s %11d %11.0f %49d%n", "total", successes(), throughput(), errors());
        if (mostVersions > 0) {
            out.printf(Locale.ROOT, "largest sibling count seen: %d%n", mostVersions);
        }
        if (firstError() != null) {
            out.printf("first error: %s%n", firstError());
        }
        out.flush();
    }

    private double perSecond(long count) {
        double seconds = elapsed.toNanos() / 1e9;
        return seconds == 0 ? 0 : count / seconds;
    }
}
