package io.dynamo.core.metrics;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.dynamo.api.Bytes;
import io.dynamo.api.Context;
import io.dynamo.api.DynamoStore;
import io.dynamo.api.ReadResult;
import io.dynamo.core.cluster.InProcessCluster;
import io.dynamo.core.node.DynamoNode;
import io.dynamo.spi.PluginConfig;
import io.micrometer.core.instrument.DistributionSummary;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import java.lang.management.ManagementFactory;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.OptionalInt;
import java.util.Set;
import javax.management.MBeanServer;
import javax.management.ObjectName;
import org.junit.jupiter.api.Test;

/** The node's meters count what the node did, on simulated in-process clusters (the {@code local} transport). */
class NodeMetricsTest {
    private static long timerCount(DynamoNode node, String name, String operation) {
        return node.metrics().registry().find(name).tag("operation", operation).timers().stream()
                .mapToLong(Timer::count).sum();
    }

    @Test
    void tenPutsThroughOneCoordinatorCountTenAtItAndAtEachReplica() {
        try (InProcessCluster cluster = InProcessCluster.builder().nodes(4).seed(31).build()) {
            Bytes key = Bytes.utf8("counted");
            List<String> owners = cluster.ring().preferenceList(key, 3);
            DynamoNode coordinator = cluster.node(owners.get(0));
            Map<String, Long> replicaBefore = new HashMap<>();
            for (String id : cluster.nodeIds()) {
                replicaBefore.put(id, timerCount(cluster.node(id), "dynamo.replica.requests", "put"));
            }
            long coordinatedBefore = timerCount(coordinator, "dynamo.coordinator.requests", "put");

            DynamoStore store = cluster.store(coordinator.id());
            Context context = Context.EMPTY;
            for (int i = 0; i < 10; i++) {
                context = store.put(key, Bytes.utf8("v" + i), context);
            }
            // the last replica's copy may still be on its way after W answered
            cluster.network().runUntil(() -> owners.stream().allMatch(
                    id -> timerCount(cluster.node(id), "dynamo.replica.requests", "put") - replicaBefore.get(id) >= 10),
                    Duration.ofSeconds(5));

            assertEquals(10, timerCount(coordinator, "dynamo.coordinator.requests", "put") - coordinatedBefore);
            for (String id : cluster.nodeIds()) {
                long expected = owners.contains(id) ? 10 : 0;
                assertEquals(expected, timerCount(cluster.node(id), "dynamo.replica.requests", "put") - replicaBefore.get(id),
                        "replica puts at " + id + " (owners " + owners + ")");
                if (!id.equals(coordinator.id())) {
                    assertEquals(0, timerCount(cluster.node(id), "dynamo.coordinator.requests", "put"), id);
                }
            }
            assertEquals(10, coordinator.metrics().registry().find("dynamo.object.size").tag("operation", "put")
                    .summary().count());
        }
    }

    @Test
    void aReadOfAKeyWithTwoSiblingsShowsInTheSiblingsHistogram() {
        try (InProcessCluster cluster = InProcessCluster.builder().seed(32).build()) {
            Bytes key = Bytes.utf8("cart");
            String coordinator = cluster.ring().preferenceList(key, 3).get(0);
            DynamoStore store = cluster.store(coordinator);
            Context start = store.put(key, Bytes.utf8("milk"), Context.EMPTY);
            DistributionSummary siblings = cluster.node(coordinator).metrics().registry()
                    .find("dynamo.read.siblings").summary();
            assertEquals(0, siblings.count());
            assertEquals(1, store.get(key).values().size());
            assertEquals(1, siblings.count());
            assertEquals(1.0, siblings.totalAmount());

            // two writes from the same context through one coordinator become siblings
            store.put(key, Bytes.utf8("milk,eggs"), start);
            store.put(key, Bytes.utf8("milk,bread"), start);
            ReadResult read = store.get(key);
            assertEquals(2, read.values().size(), read.toString());

            assertEquals(2, siblings.count());
            assertEquals(3.0, siblings.totalAmount(), "one read of 1 version, one of 2");
            assertEquals(2.0, siblings.max());
            // the histogram's bucket of at most 1 holds the first read only
            var buckets = siblings.takeSnapshot().histogramCounts();
            assertEquals(1.0, buckets[0].count(), "reads with at most " + buckets[0].bucket() + " version");
            assertEquals(2.0, buckets[1].count(), "reads with at most " + buckets[1].bucket() + " versions");
        }
    }

    @Test
    void hintsPendingRiseWhileAReplicaIsDownAndReturnToZeroAfterHandoff() {
        try (InProcessCluster cluster = InProcessCluster.builder().nodes(4).seed(33)
                .handoffInterval(Duration.ofMillis(200)).build()) {
            cluster.crash("node-2");
            DynamoStore client = cluster.store("node-1");
            int hinted = 0;
            for (int i = 0; hinted < 5; i++) {
                Bytes key = Bytes.utf8("key-" + i);
                if (cluster.ring().preferenceList(key, 3).contains("node-2")) {
                    client.put(key, Bytes.utf8("v"), Context.EMPTY);
                    hinted++;
                }
            }
            assertTrue(cluster.network().runUntil(() -> pendingFor(cluster, "node-2") >= 5, Duration.ofSeconds(5)),
                    "hints pending for node-2: " + pendingFor(cluster, "node-2"));
            double stored = cluster.nodeIds().stream().filter(cluster::isUp)
                    .flatMap(id -> cluster.node(id).metrics().registry().find("dynamo.hints.stored").tag("target", "node-2")
                            .counters().stream())
                    .mapToDouble(c -> c.count()).sum();
            assertTrue(stored >= 5, "hints stored for node-2: " + stored);

            cluster.restart("node-2");
            assertTrue(cluster.awaitHandoff(Duration.ofSeconds(10)), "every hint delivered");
            assertTrue(cluster.network().runUntil(() -> pendingFor(cluster, "node-2") == 0, Duration.ofSeconds(5)),
                    "hints pending for node-2 after handoff: " + pendingFor(cluster, "node-2"));
            double delivered = cluster.nodeIds().stream()
                    .flatMap(id -> cluster.node(id).metrics().registry().find("dynamo.hints.delivered")
                            .tag("target", "node-2").counters().stream())
                    .mapToDouble(c -> c.count()).sum();
            assertTrue(delivered >= 5, "hints delivered to node-2: " + delivered);
        }
    }

    private static double pendingFor(InProcessCluster cluster, String target) {
        double pending = 0;
        for (String id : cluster.nodeIds()) {
            if (id.equals(target)) {
                continue;
            }
            MeterRegistry registry = cluster.node(id).metrics().registry();
            for (Gauge gauge : registry.find("dynamo.hints.pending").tag("target", target).gauges()) {
                pending += gauge.value();
            }
        }
        return pending;
    }

    @Test
    void aServersTimersKeepTheirCountSumAndMaximum() throws InterruptedException {
        NodeMetrics metrics = NodeMetrics.publishing("timed-node", new MetricsSettings(true,
                MetricsSettings.DEFAULT_ADDRESS, OptionalInt.empty(), false, false));
        try {
            long start = metrics.startNanos();
            assertTrue(start != 0, "a recording node times its requests");
            metrics.replica(Operation.PUT, start - 2_000_000); // took at least 2 ms
            String text = metrics.scrape().orElseThrow();
            String series = "dynamo_replica_requests_seconds_%s{node=\"timed-node\",operation=\"put\"} ";
            assertTrue(text.contains(series.formatted("count") + "1"), text);
            double max = value(text, series.formatted("max"));
            assertTrue(max >= 0.002 && max < 10, "max " + max);
            assertTrue(value(text, series.formatted("sum")) >= 0.002, text);
        } finally {
            metrics.close();
        }
        long deadline = System.nanoTime() + Duration.ofSeconds(20).toNanos();
        while (Thread.getAllStackTraces().keySet().stream().anyMatch(t -> t.getName().equals("metrics-clock-timed-node"))) {
            assertTrue(System.nanoTime() < deadline, "the registries' clock thread ends when the meters close");
            Thread.sleep(10);
        }
        NodeMetrics off = NodeMetrics.publishing("untimed-node", new MetricsSettings(false,
                MetricsSettings.DEFAULT_ADDRESS, OptionalInt.empty(), false, false));
        assertEquals(0, off.startNanos(), "a node that records nothing reads no clock");
        assertTrue(off.scrape().isEmpty());
        off.close();
    }

    @Test
    void garbageCollectionsAreCountedPerCollectorWithoutAListenerPerCollection() {
        NodeMetrics metrics = NodeMetrics.publishing("gc-node", new MetricsSettings(true,
                MetricsSettings.DEFAULT_ADDRESS, OptionalInt.empty(), false, true));
        try {
            System.gc();
            MeterRegistry registry = metrics.registry();
            double collections = registry.find("jvm.gc.collections").functionCounters().stream()
                    .mapToDouble(io.micrometer.core.instrument.FunctionCounter::count).sum();
            assertTrue(collections >= 1, "collections after System.gc(): " + collections);
            assertEquals(ManagementFactory.getGarbageCollectorMXBeans().size(),
                    registry.find("jvm.gc.collection").functionCounters().size(), "a time counter per collector");
            assertTrue(metrics.scrape().orElseThrow().contains("jvm_gc_collection_seconds_total{gc="));
        } finally {
            metrics.close();
        }
    }

    private static double value(String text, String series) {
        int at = text.indexOf(series);
        assertTrue(at >= 0, series + " in " + text);
        int end = text.indexOf('\n', at);
        return Double.parseDouble(text.substring(at + series.length(), end).trim());
    }

    @Test
    void jmxPublishesTheMetersOnlyWhenAsked() throws Exception {
        // off by default: recording every meter into JMX's Dropwizard meters too cost workload a 8 % (server README)
        assertFalse(MetricsSettings.from(PluginConfig.empty(MetricsSettings.NAMESPACE)).jmx());
        MBeanServer server = ManagementFactory.getPlatformMBeanServer();
        ObjectName ours = new ObjectName("io.dynamo:*");
        NodeMetrics metrics = NodeMetrics.publishing("jmx-node",
                new MetricsSettings(true, MetricsSettings.DEFAULT_ADDRESS, OptionalInt.empty(), true, false));
        try {
            metrics.forwarded();
            Set<ObjectName> names = server.queryNames(ours, null);
            assertTrue(names.stream().anyMatch(name -> name.toString().toLowerCase(Locale.ROOT).contains("forwarded")),
                    "MBeans in io.dynamo: " + names);
            assertTrue(metrics.scrape().orElseThrow().contains("dynamo_coordinator_forwarded_total{node=\"jmx-node\"} 1.0"),
                    "recorded in the Prometheus registry beside JMX");
        } finally {
            metrics.close();
        }
        assertTrue(server.queryNames(ours, null).stream().noneMatch(name -> name.toString().contains("jmx-node")),
                "closed, the node's MBeans are gone");
    }
}
