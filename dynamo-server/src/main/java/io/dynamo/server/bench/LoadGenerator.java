package io.dynamo.server.bench;

import static java.util.Objects.requireNonNull;

import io.dynamo.api.Bytes;
import io.dynamo.api.Context;
import io.dynamo.api.DynamoStore;
import io.dynamo.api.ReadResult;
import io.dynamo.server.Progress;
import java.io.PrintWriter;
import java.time.Duration;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.LongAccumulator;

/**
 * A closed-loop load generator in the manner of YCSB: {@link BenchSettings#threads()} threads,
 * each sending its next request as soon as the previous one answered, against any
 * {@link DynamoStore} (the client library talking to a cluster, or an in-process node).
 *
 * <p>{@link #load()} writes every record once; {@link #run()} then runs the workload's
 * read/update mix over {@link ScrambledZipfianGenerator} keys for the configured duration. Both
 * print a progress line every {@link BenchSettings#progressInterval()} and return a
 * {@link BenchReport} with throughput and latency percentiles (HdrHistogram, 3 significant
 * digits) per operation. A failed request is counted and the loop goes on; the report shows the
 * count and the first failure.
 *
 * <p>It lives in dynamo-server so that {@code dynamo bench} runs it from the distribution;
 * dynamo-bench holds the JMH benchmarks and the binding for the standard YCSB client.
 */
public final class LoadGenerator {
    /** Thread {@code i} works on store {@code i % stores.size()}; each store holds every record. */
    private final List<DynamoStore> stores;
    private final BenchSettings settings;
    private final PrintWriter progress;
    private static final long TICK_NANOS = TimeUnit.MILLISECONDS.toNanos(200);

    public LoadGenerator(DynamoStore store, BenchSettings settings, PrintWriter progress) {
        this(List.of(store), settings, progress);
    }

    /** A generator whose threads share out {@code stores}: the load phase writes every record into each. */
    public LoadGenerator(List<DynamoStore> stores, BenchSettings settings, PrintWriter progress) {
        this.stores = List.copyOf(stores);
        if (this.stores.isEmpty()) {
            throw new IllegalArgumentException("no store to run on");
        }
        this.settings = requireNonNull(settings, "settings is null");
        this.progress = requireNonNull(progress, "progress is null");
    }

    /** Writes records 0 to records - 1 into each store, once, with an empty context; returns when all were sent. */
    public BenchReport load() {
        Meters meters = new Meters(List.of(Operation.INSERT));
        AtomicLong nextWrite = new AtomicLong();
        long writes = settings.records() * stores.size();
        // records done: a bar on a terminal, a plain line per tenth otherwise
        try (Progress bar = Progress.of("load", writes, "records", progress)) {
            return runPhase("load", meters, () -> bar.update(Math.min(nextWrite.get(), writes),
                    meters.errors() + " errors"), index -> {
            SplittableRandom random = new SplittableRandom(settings.seed() + index);
            Meter inserts = meters.get(Operation.INSERT);
            long write;
            while ((write = nextWrite.getAndIncrement()) < writes && !Thread.currentThread().isInterrupted()) {
                Bytes key = Bytes.utf8(BenchSettings.key(write / stores.size()));
                Bytes value = randomValue(random);
                DynamoStore store = stores.get((int) (write % stores.size()));
                long start = System.nanoTime();
                try {
                    store.put(key, value, Context.EMPTY, settings.options());
                    inserts.success(System.nanoTime() - start);
                } catch (RuntimeException e) {
                    inserts.failure(e);
                }
            }
        });
        }
    }

    /**
     * Runs the workload's mix for the configured duration, after the warm-up (the same mix, its
     * figures only shown as progress lines, with other seeds than the measured run's).
     */
    public BenchReport run() {
        String workload = "(workload " + settings.workload().name().toLowerCase(Locale.ROOT) + ")";
        if (!settings.warmup().isZero()) {
            runWorkload("warm-up " + workload, settings.warmup(), settings.seed() + settings.threads());
        }
        return runWorkload("run " + workload, settings.duration(), settings.seed());
    }

    private BenchReport runWorkload(String phase, Duration duration, long seed) {
        ScrambledZipfianGenerator keys = new ScrambledZipfianGenerator(settings.records());
        double readProportion = settings.workload().readProportion();
        List<Operation> measured = readProportion < 1.0 ? List.of(Operation.READ, Operation.UPDATE) : List.of(Operation.READ);
        Meters meters = new Meters(measured);
        long deadline = System.nanoTime() + duration.toNanos();
        return runPhase(phase, meters, index -> {
            SplittableRandom random = new SplittableRandom(seed + index);
            DynamoStore store = stores.get(index % stores.size());
            Meter reads = meters.get(Operation.READ);
            Meter updates = readProportion < 1.0 ? meters.get(Operation.UPDATE) : null;
            while (System.nanoTime() < deadline && !Thread.currentThread().isInterrupted()) {
                Bytes key = Bytes.utf8(BenchSettings.key(keys.next(random)));
                boolean read = random.nextDouble() < readProportion;
                Meter meter = read ? reads : updates;
                long start = System.nanoTime();
                try {
                    ReadResult current = store.get(key, settings.options());
                    meters.mostVersions.accumulate(current.versions().size());
                    if (!read) {
                        store.put(key, randomValue(random), current.context(), settings.options());
                    }
                    meter.success(System.nanoTime() - start);
                } catch (RuntimeException e) {
                    meter.failure(e);
                }
            }
        });
    }

    private interface Worker {
        void run(int index);
    }

    private BenchReport runPhase(String phase, Meters meters, Worker worker) {
        return runPhase(phase, meters, () -> { }, worker);
    }

    /** Runs the phase's threads to their end; {@code onTick} runs at least every 200 ms meanwhile, and once at the end. */
    private BenchReport runPhase(String phase, Meters meters, Runnable onTick, Worker worker) {
        List<Thread> threads = new ArrayList<>();
        long started = System.nanoTime();
        for (int i = 0; i < settings.threads(); i++) {
            int index = i;
            Thread thread = new Thread(() -> worker.run(index), "bench-" + i);
            thread.setDaemon(true);
            threads.add(thread);
            thread.start();
        }
        long interval = settings.progressInterval().toNanos();
        long lastTick = started;
        try {
            for (Thread thread : threads) {
                while (thread.isAlive()) {
                    long untilTick = lastTick + interval - System.nanoTime();
                    if (untilTick <= 0) {
                        long now = System.nanoTime();
                        printProgress(phase, meters, now - started, now - lastTick);
                        lastTick = now;
                    } else {
                        TimeUnit.NANOSECONDS.timedJoin(thread, Math.min(untilTick, TICK_NANOS));
                        onTick.run();
                    }
                }
            }
            onTick.run();
        } catch (InterruptedException e) {
            threads.forEach(Thread::interrupt);
            Thread.currentThread().interrupt();
        }
        Duration elapsed = Duration.ofNanos(System.nanoTime() - started);
        meters.drainAll();
        return new BenchReport(phase, elapsed, meters.stats(), (int) meters.mostVersions.get());
    }

    private void printProgress(String phase, Meters meters, long sinceStart, long sinceLastTick) {
        StringBuilder line = new StringBuilder(String.format(Locale.ROOT, "[%6.1f s] %s:", sinceStart / 1e9, phase));
        long total = 0;
        for (Meter meter : meters.all()) {
            var window = meter.drain();
            total += window.getTotalCount();
            line.append(String.format(Locale.ROOT, " %s %.0f/s p99 %.3f ms;",
                    meter.operation.name().toLowerCase(Locale.ROOT),
                    window.getTotalCount() / (sinceLastTick / 1e9),
                    window.getValueAtPercentile(99) / 1e6));
        }
        line.append(String.format(Locale.ROOT, " total %.0f/s; errors %d", total / (sinceLastTick / 1e9), meters.errors()));
        progress.println(line);
        progress.flush();
    }

    private Bytes randomValue(SplittableRandom random) {
        byte[] value = new byte[settings.valueSize()];
        for (int i = 0; i < value.length; i++) {
            value[i] = (byte) ('a' + random.nextInt(26));
        }
        return Bytes.wrapOwned(value);
    }

    /** The meters of one phase, one per measured operation. */
    private static final class Meters {
        private final Map<Operation, Meter> meters = new EnumMap<>(Operation.class);
        /** The most versions (siblings) one read returned. */
        final LongAccumulator mostVersions = new LongAccumulator(Math::max, 0);

        Meters(List<Operation> operations) {
            operations.forEach(op -> meters.put(op, new Meter(op)));
        }

        Meter get(Operation operation) {
            return meters.get(operation);
        }

        Iterable<Meter> all() {
            return meters.values();
        }

        long errors() {
            return meters.values().stream().mapToLong(m -> m.errors.sum()).sum();
        }

        void drainAll() {
            meters.values().forEach(Meter::drain);
        }

        List<OperationStats> stats() {
            return meters.values().stream().map(Meter::stats).toList();
        }
    }
}
