package io.dynamo.storage.chronicle;

import static io.dynamo.storage.chronicle.EngineFixtures.engine;
import static io.dynamo.storage.chronicle.EngineFixtures.put;
import static io.dynamo.storage.chronicle.EngineFixtures.version;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.dynamo.api.Bytes;
import io.dynamo.api.Versioned;
import io.dynamo.spi.storage.StorageEngine;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code sync(partition)}: the partition's map file forced after its writes, with group commit.
 * A real OS crash (what a sync protects against) cannot be caused from a test: these tests check
 * that a sync leaves what was written in the file (reopened after an abandon, as a kill would
 * leave it), that it forces only when something was written since the last force, and that
 * under concurrent writers every sync returns only after a force that started after the caller's
 * write. The core's {@code DurableWritesTest} shows the policy against a simulated OS crash.
 */
class ChronicleSyncTest {
    @TempDir
    Path data;

    @Test
    void writesSyncedThenAbandonedAreThereAfterReopening() {
        StorageEngine engine = engine(data);
        assertTrue(engine.canSync());
        for (int i = 0; i < 50; i++) {
            put(engine, 3, "key-" + i, version("n", i + 1, "v" + i));
        }
        engine.sync(3);
        PartitionMap map = ((ChronicleStorageEngine) engine).partitionMap(3);
        assertEquals(map.writes(), map.syncedThrough(), "the force covers every write made before the sync");
        ((ChronicleStorageEngine) engine).abandonAsACrashWould();
        try (StorageEngine reopened = engine(data)) {
            for (int i = 0; i < 50; i++) {
                assertEquals(List.of(version("n", i + 1, "v" + i)), reopened.get(3, Bytes.utf8("key-" + i)));
            }
        }
    }

    @Test
    void aSyncForcesOnlyWhenSomethingWasWrittenSinceTheLastForce() {
        try (StorageEngine engine = engine(data)) {
            engine.prepare(1);
            PartitionMap map = ((ChronicleStorageEngine) engine).partitionMap(1);
            engine.sync(1);
            assertEquals(0, map.forces(), "nothing written: nothing to force");
            put(engine, 1, "a", version("n", 1, "a"));
            put(engine, 1, "b", version("n", 1, "b"));
            engine.sync(1);
            engine.sync(1);
            assertEquals(1, map.forces(), "two writes, two syncs: one force");
            put(engine, 1, "c", version("n", 1, "c"));
            engine.flush();
            assertEquals(2, map.forces(), "flush syncs the partitions written since their last force");
            engine.sync(7); // no such partition: already durable
            engine.dropPartition(1);
            engine.sync(1);
        }
    }

    @Test
    void concurrentWritersShareForcesAndEachSyncCoversItsOwnWrite() throws Exception {
        int writers = 8;
        int writesEach = 60;
        AtomicLong syncs = new AtomicLong();
        List<String> violations = java.util.Collections.synchronizedList(new ArrayList<>());
        try (StorageEngine engine = engine(data)) {
            engine.prepare(0);
            PartitionMap map = ((ChronicleStorageEngine) engine).partitionMap(0);
            ExecutorService pool = Executors.newFixedThreadPool(writers);
            CountDownLatch start = new CountDownLatch(1);
            List<Future<?>> done = new ArrayList<>();
            for (int w = 0; w < writers; w++) {
                int writer = w;
                done.add(pool.submit(() -> {
                    start.await();
                    for (int i = 0; i < writesEach; i++) {
                        put(engine, 0, writer + "-" + i, version("w" + writer, i + 1, "x"));
                        long mine = map.writes(); // counts this writer's write, perhaps others' too
                        engine.sync(0);
                        syncs.incrementAndGet();
                        long covered = map.syncedThrough();
                        if (covered < mine) {
                            violations.add("writer " + writer + " returned from sync covering " + covered + " of " + mine);
                        }
                    }
                    return null;
                }));
            }
            start.countDown();
            for (Future<?> f : done) {
                f.get(120, TimeUnit.SECONDS);
            }
            pool.shutdown();
            assertEquals(List.of(), violations);
            assertEquals((long) writers * writesEach, map.writes());
            assertTrue(map.forces() >= 1 && map.forces() <= syncs.get(),
                    map.forces() + " forces for " + syncs.get() + " syncs");
            System.out.printf("group commit: %d syncs of %d writers made %d forces%n", syncs.get(), writers, map.forces());
        }
        try (StorageEngine reopened = engine(data)) {
            assertEquals((long) writers * writesEach, reopened.size(0));
        }
    }

    @Test
    void syncOfAClosedEngineIsRefused() {
        StorageEngine engine = engine(data);
        put(engine, 2, "k", version("n", 1, "v"));
        engine.close();
        IllegalStateException refused = assertThrows(IllegalStateException.class, () -> engine.sync(2));
        assertTrue(refused.getMessage().contains("closed"), refused.getMessage());
        try (StorageEngine reopened = engine(data)) {
            List<Versioned> kept = reopened.get(2, Bytes.utf8("k"));
            assertEquals(List.of(version("n", 1, "v")), kept, "a clean close syncs");
        }
    }
}
