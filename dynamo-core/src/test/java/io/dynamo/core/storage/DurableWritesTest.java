package io.dynamo.core.storage;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.dynamo.api.Bytes;
import io.dynamo.api.Context;
import io.dynamo.api.Versioned;
import io.dynamo.core.cluster.InProcessCluster;
import io.dynamo.spi.ConfigException;
import io.dynamo.spi.PluginConfig;
import io.dynamo.spi.PluginContext;
import io.dynamo.spi.storage.StorageEngine;
import io.dynamo.spi.storage.StorageEngineFactory;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Durable writes against a simulated OS crash ({@link SimulatedDiskEngine}: what was not synced
 * is lost) of every replica at once, on a simulated 3-node cluster (N=3, R=2, W=2): with
 * {@code sync=always} every acknowledged write survives; with {@code none} they are lost (which
 * shows that the crash loses what it should); with {@code interval} a write acknowledged more than
 * one interval before the crash survives. Virtual time, no sleeps.
 */
class DurableWritesTest {
    private static final int KEYS = 30;
    private static final int W = 2;

    @Test
    void withSyncAlwaysEveryAcknowledgedWriteSurvivesAnOsCrashOfEveryReplica() {
        try (InProcessCluster cluster = cluster(SyncSettings.of(SyncPolicy.ALWAYS), 3)) {
            List<Bytes> keys = write(cluster, "always");
            osCrashAll(cluster);
            for (Bytes key : keys) {
                assertTrue(copiesOf(cluster, key) >= W, key + " is on fewer than W=" + W + " replicas after the crash");
                assertEquals(List.of(valueOf(key)), cluster.store("node-2").get(key).values(), key + " read after the crash");
            }
        }
    }

    @Test
    void withSyncNoneAcknowledgedWritesAreLostByAnOsCrashOfEveryReplica() {
        try (InProcessCluster cluster = cluster(SyncSettings.NONE, 3)) {
            List<Bytes> keys = write(cluster, "none");
            osCrashAll(cluster);
            for (Bytes key : keys) {
                assertEquals(0, copiesOf(cluster, key), key + " was never synced, yet kept");
                assertTrue(cluster.store("node-2").get(key).values().isEmpty(), key + " read after the crash");
            }
        }
    }

    @Test
    void withSyncIntervalAWriteAcknowledgedAnIntervalBeforeTheCrashSurvives() {
        Duration interval = Duration.ofSeconds(1);
        try (InProcessCluster cluster = cluster(SyncSettings.of(SyncPolicy.INTERVAL).withInterval(interval), 3)) {
            List<Bytes> early = write(cluster, "early");
            cluster.network().runFor(interval.plusMillis(100)); // a background sync ran since
            List<Bytes> late = write(cluster, "late");
            osCrashAll(cluster);
            for (Bytes key : early) {
                assertTrue(copiesOf(cluster, key) >= W, key + " was acknowledged over an interval before the crash");
                assertEquals(List.of(valueOf(key)), cluster.store("node-2").get(key).values(), key + " read after the crash");
            }
            // written after the last background sync and before the next: lost, as the policy allows
            long kept = late.stream().filter(key -> copiesOf(cluster, key) > 0).count();
            assertEquals(0, kept, "writes of the last interval kept");
        }
    }

    @Test
    void withSyncAlwaysAHintAcceptedForADownNodeSurvivesAnOsCrashAndIsHandedOff() {
        try (InProcessCluster cluster = cluster(SyncSettings.of(SyncPolicy.ALWAYS), 4)) {
            cluster.crash("node-3");
            List<Bytes> keys = write(cluster, "hinted");
            assertTrue(cluster.hintCount() > 0, "some writes meant for node-3 were kept as hints");
            long hints = cluster.hintCount();
            for (String id : cluster.nodeIds()) {
                if (cluster.isUp(id)) {
                    cluster.crash(id);
                }
            }
            cluster.nodeIds().forEach(id -> disk(cluster, id).osCrash());
            assertEquals(hints, cluster.hintCount(), "every hint survived the OS crash");
            cluster.nodeIds().forEach(cluster::restart);
            assertTrue(cluster.awaitHandoff(Duration.ofSeconds(60)), "hints handed off");
            for (Bytes key : keys) {
                assertEquals(List.of(valueOf(key)), cluster.store("node-1").get(key).values(), key + " read after the crash");
            }
        }
    }

    @Test
    void aPolicyThatSyncsIsRefusedOverAnEngineThatCannotNamingTheSetting() {
        for (SyncPolicy policy : List.of(SyncPolicy.INTERVAL, SyncPolicy.ALWAYS)) {
            ConfigException refused = assertThrows(ConfigException.class, () -> InProcessCluster.builder().nodes(1)
                    .replication(1, 1, 1).sync(SyncSettings.of(policy)).build().close());
            assertEquals("replication.sync", refused.key());
            assertTrue(refused.getMessage().contains("MemoryStorageEngine") && refused.getMessage().contains("canSync"),
                    refused.getMessage());
        }
        // none needs nothing of the engine: today's behaviour
        InProcessCluster.builder().nodes(1).replication(1, 1, 1).sync(SyncSettings.NONE).build().close();
    }

    @Test
    void theSimulatedDiskKeepsWhatWasSyncedAndLosesTheRest() {
        SimulatedDiskEngine engine = SimulatedDiskEngine.overMemory();
        Bytes synced = Bytes.utf8("synced");
        Bytes unsynced = Bytes.utf8("unsynced");
        Bytes removed = Bytes.utf8("removed");
        Versioned one = Versioned.of(io.dynamo.api.VectorClock.EMPTY.increment("n", 1), Bytes.utf8("1"));
        engine.update(1, synced, v -> List.of(one));
        engine.update(1, removed, v -> List.of(one));
        engine.sync(1);
        engine.update(1, removed, v -> List.of());
        engine.update(1, unsynced, v -> List.of(one));
        engine.update(2, unsynced, v -> List.of(one));
        engine.sync(2);
        engine.osCrash();
        assertEquals(List.of(one), engine.get(1, synced));
        assertEquals(List.of(one), engine.get(1, removed), "a removal not synced is undone");
        assertEquals(List.of(), engine.get(1, unsynced));
        assertEquals(List.of(one), engine.get(2, unsynced), "partition 2 was synced");
        engine.close();
    }

    private static InProcessCluster cluster(SyncSettings sync, int nodes) {
        return InProcessCluster.builder().nodes(nodes).seed(15).partitions(16).replication(3, 2, W)
                .storage(new SimulatedDiskFactory()).sync(sync).build();
    }

    /** Acknowledged puts of {@link #KEYS} keys through node-1. */
    private static List<Bytes> write(InProcessCluster cluster, String prefix) {
        List<Bytes> keys = new ArrayList<>();
        for (int i = 0; i < KEYS; i++) {
            Bytes key = Bytes.utf8(prefix + "-" + i);
            cluster.store("node-1").put(key, valueOf(key), Context.EMPTY);
            keys.add(key);
        }
        return keys;
    }

    private static Bytes valueOf(Bytes key) {
        return Bytes.utf8("value of " + key);
    }

    /** Every node's process dies, then its machine: each engine loses what it had not synced; then all restart. */
    private static void osCrashAll(InProcessCluster cluster) {
        cluster.nodeIds().forEach(cluster::crash);
        cluster.nodeIds().forEach(id -> disk(cluster, id).osCrash());
        cluster.nodeIds().forEach(cluster::restart);
    }

    /** How many nodes' engines hold {@code key}'s value. */
    private static int copiesOf(InProcessCluster cluster, Bytes key) {
        int partition = cluster.ring().partitionOf(key);
        int copies = 0;
        for (String id : cluster.nodeIds()) {
            if (cluster.storage(id).get(partition, key).stream().anyMatch(v -> v.value().equals(valueOf(key)))) {
                copies++;
            }
        }
        return copies;
    }

    private static SimulatedDiskEngine disk(InProcessCluster cluster, String id) {
        return (SimulatedDiskEngine) cluster.storage(id);
    }

    private static final class SimulatedDiskFactory implements StorageEngineFactory {
        @Override
        public String name() {
            return "simulated-disk";
        }

        @Override
        public StorageEngine create(PluginConfig config, PluginContext context) {
            return SimulatedDiskEngine.overMemory();
        }
    }
}
