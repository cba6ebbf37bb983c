package io.dynamo.server.bench;

import static java.util.Objects.requireNonNull;

import io.dynamo.api.RequestOptions;
import java.time.Duration;

/**
 * What one load-generator run does.
 *
 * @param threads client threads, each with one request outstanding (a closed loop)
 * @param duration how long the measured phase runs
 * @param warmup how long the workload runs before the measured phase, unmeasured, so that the
 *     JIT compilers of the client and of the nodes are done before anything is counted (zero: none)
 * @param workload the read/update mix
 * @param records how many keys the load phase writes and the run phase picks from
 * @param valueSize the size in bytes of every value written
 * @param seed seeds every thread's random source (thread i uses seed + i): the same seed replays
 *     the same key sequence per thread
 * @param progressInterval how often a progress line is printed
 * @param options quorum and timeout of every request
 */
public record BenchSettings(
        int threads,
        Duration duration,
        Duration warmup,
        Workload workload,
        long records,
        int valueSize,
        long seed,
        Duration progressInterval,
        RequestOptions options) {
    public BenchSettings {
        requireNonNull(duration, "duration is null");
        requireNonNull(warmup, "warmup is null");
        requireNonNull(workload, "workload is null");
        requireNonNull(progressInterval, "progressInterval is null");
        requireNonNull(options, "options is null");
        if (threads < 1) {
            throw new IllegalArgumentException("threads must be at least 1: " + threads);
        }
        if (duration.isNegative() || duration.isZero()) {
            throw new IllegalArgumentException("duration must be positive: " + duration);
        }
        if (warmup.isNegative()) {
            throw new IllegalArgumentException("warm-up must not be negative: " + warmup);
        }
        if (records < 1) {
            throw new IllegalArgumentException("records must be at least 1: " + records);
        }
        if (valueSize < 0) {
            throw new IllegalArgumentException("value size must not be negative: " + valueSize);
        }
        if (progressInterval.isNegative() || progressInterval.isZero()) {
            throw new IllegalArgumentException("progress interval must be positive: " + progressInterval);
        }
    }

    /** The key of record {@code number}: {@code user} and the number, as YCSB names its keys. */
    public static String key(long number) {
        return "user" + number;
    }
}
