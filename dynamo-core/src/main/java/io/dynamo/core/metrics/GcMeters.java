package io.dynamo.core.metrics;

import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.binder.MeterBinder;
import java.lang.management.GarbageCollectorMXBean;
import java.lang.management.ManagementFactory;

/**
 * Garbage collections and the time they took, per collector, read from the JVM's
 * {@link GarbageCollectorMXBean}s when the meters are read: {@code jvm_gc_collections_total} and
 * {@code jvm_gc_collection_seconds_total}, tagged {@code gc}.
 *
 * <p>Why not Micrometer's {@code JvmGcMetrics}: it listens to a notification per collection,
 * which the JVM builds as JMX composite data on its service thread right after each pause and the
 * listener then takes apart, just when the requests that queued behind the pause want the CPU.
 * Side by side on workload a that cost ~2 % of throughput and ~6 % of p99 (dynamo-server's README,
 * "Cost of metrics"); counters read at scrape cost the request path nothing.
 */
final class GcMeters implements MeterBinder {
    @Override
    public void bindTo(MeterRegistry registry) {
        for (GarbageCollectorMXBean collector : ManagementFactory.getGarbageCollectorMXBeans()) {
            // both are -1 for a collector that cannot say
            FunctionCounter.builder("jvm.gc.collections", collector, c -> Math.max(0, c.getCollectionCount()))
                    .description("collections by this collector since the JVM started")
                    .tag("gc", collector.getName()).register(registry);
            FunctionCounter.builder("jvm.gc.collection", collector, c -> Math.max(0, c.getCollectionTime()) / 1000.0)
                    .description("time in this collector's collections (for a concurrent collector, its concurrent phases too)")
                    .baseUnit("seconds").tag("gc", collector.getName()).register(registry);
        }
    }
}
