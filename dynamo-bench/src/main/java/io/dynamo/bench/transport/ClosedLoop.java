package io.dynamo.bench.transport;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Function;
import org.HdrHistogram.Histogram;
import org.HdrHistogram.Recorder;

/**
 * A closed-loop load: each of T threads sends one request, waits for its response, records
 * the latency and sends the next. Latencies of the warm-up are discarded.
 */
final class ClosedLoop {
    /** What one run measured. */
    record Result(long operations, long errors, String firstError, double seconds, Histogram latencyMicros) {
        double throughput() {
            return operations / seconds;
        }

        String summary() {
            return String.format("%,.0f ops/s  p50 %.3f ms  p99 %.3f ms  p99.9 %.3f ms  max %.3f ms  (%,d ops, %d errors, %.1f s)",
                    throughput(), latencyMicros.getValueAtPercentile(50) / 1000.0,
                    latencyMicros.getValueAtPercentile(99) / 1000.0, latencyMicros.getValueAtPercentile(99.9) / 1000.0,
                    latencyMicros.getMaxValue() / 1000.0, operations, errors, seconds)
                    + (firstError == null ? "" : "\n     first error: " + firstError);
        }
    }

    private ClosedLoop() {}

    static Result run(int threads, byte[] payload, Duration warmup, Duration duration,
            Function<byte[], CompletableFuture<byte[]>> request) throws InterruptedException {
        Recorder recorder = new Recorder(3);
        AtomicLong errors = new AtomicLong();
        AtomicReference<String> firstError = new AtomicReference<>();
        long start = System.nanoTime();
        long measureFrom = start + warmup.toNanos();
        long end = measureFrom + duration.toNanos();
        List<Thread> workers = new ArrayList<>();
        for (int t = 0; t < threads; t++) {
            Thread worker = new Thread(() -> {
                long now = System.nanoTime();
                while (now < end) {
                    try {
                        byte[] response = request.apply(payload).get(5, TimeUnit.SECONDS);
                        if (response.length != payload.length) {
                            throw new IllegalStateException("echo of " + response.length + " bytes");
                        }
                        long done = System.nanoTime();
                        if (now >= measureFrom) {
                            recorder.recordValue(Math.max(1, (done - now) / 1000));
                        }
                        now = done;
                    } catch (Exception e) {
                        errors.incrementAndGet();
                        Throwable cause = e instanceof ExecutionException && e.getCause() != null ? e.getCause() : e;
                        firstError.compareAndSet(null, cause.toString());
                        now = System.nanoTime();
                    }
                }
            }, "load-" + t);
            workers.add(worker);
        }
        workers.forEach(Thread::start);
        Thread.sleep(Math.max(0, TimeUnit.NANOSECONDS.toMillis(measureFrom - System.nanoTime())));
        recorder.reset(); // drop what the warm-up recorded
        for (Thread worker : workers) {
            worker.join();
        }
        Histogram histogram = recorder.getIntervalHistogram();
        return new Result(histogram.getTotalCount(), errors.get(), firstError.get(), duration.toNanos() / 1e9, histogram);
    }
}
