package io.dynamo.core.membership;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.dynamo.api.Bytes;
import io.dynamo.api.VectorClock;
import io.dynamo.api.Versioned;
import io.dynamo.core.messages.Message;
import io.dynamo.core.storage.MemoryStorageEngine;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.SplittableRandom;
import java.util.TreeSet;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

/** The sending side of a partition stream: one scan per stream, keys in order, current versions, resumable anywhere. */
class StreamSourceTest {
    private static final int PARTITION = 3;

    private static List<Versioned> version(String value) {
        return List.of(Versioned.of(VectorClock.EMPTY.increment("node-1", 1), Bytes.utf8(value)));
    }

    private static TreeSet<Bytes> fill(MemoryStorageEngine engine, int keys) {
        TreeSet<Bytes> written = new TreeSet<>();
        SplittableRandom random = new SplittableRandom(11);
        for (int i = 0; i < keys; i++) {
            Bytes key = Bytes.utf8("key-" + random.nextInt(1_000_000_000));
            engine.update(PARTITION, key, old -> version("old"));
            written.add(key);
        }
        engine.update(PARTITION + 1, Bytes.utf8("elsewhere"), old -> version("other partition"));
        return written;
    }

    @Test
    void aStreamOfManyBatchesScansThePartitionOnceAndSendsEveryKeyInOrder() {
        MemoryStorageEngine engine = new MemoryStorageEngine();
        TreeSet<Bytes> written = fill(engine, 2_000);
        StreamSource source = new StreamSource(engine, () -> 0L);
        List<Bytes> received = new ArrayList<>();
        Optional<Bytes> after = Optional.empty();
        int batches = 0;
        Message.StreamBatch batch;
        do {
            batch = source.serve(PARTITION, after, 50);
            batches++;
            for (Message.KeyVersions key : batch.keys()) {
                received.add(key.key());
                assertEquals(version("old"), key.versions());
            }
            after = Optional.of(received.get(received.size() - 1));
        } while (!batch.last());
        assertEquals(List.copyOf(written), received);
        assertEquals(40, batches);
        assertEquals(1, source.scans(), "one scan for the whole stream");
        assertEquals(written.first(), source.serve(PARTITION, Optional.empty(), 50).keys().get(0).key());
        assertEquals(2, source.scans(), "a stream started afresh scans again");
    }

    @Test
    void anUnreadableValueIsSkippedAndQuarantinedWhileTheStreamGoesOn() {
        MemoryStorageEngine engine = new MemoryStorageEngine();
        TreeSet<Bytes> written = fill(engine, 100);
        Bytes damaged = written.first();
        engine.putStoredBytes(PARTITION, damaged, new byte[] {1, 9, 9});
        Bytes damagedLater = written.last();
        StreamSource source = new StreamSource(engine, () -> 0L);

        Message.StreamBatch first = source.serve(PARTITION, Optional.empty(), 10);
        engine.putStoredBytes(PARTITION, damagedLater, new byte[] {1, 9, 9}); // damaged after the snapshot
        List<Bytes> received = new ArrayList<>();
        first.keys().forEach(k -> received.add(k.key()));
        Message.StreamBatch rest = source.serve(PARTITION, Optional.of(received.get(received.size() - 1)), 1_000);
        rest.keys().forEach(k -> received.add(k.key()));

        TreeSet<Bytes> readable = new TreeSet<>(written);
        readable.remove(damaged);
        readable.remove(damagedLater);
        assertEquals(List.copyOf(readable), received);
        assertTrue(rest.last());
        assertEquals(List.of(), engine.get(PARTITION, damaged), "moved aside");
        assertEquals(List.of(), engine.get(PARTITION, damagedLater), "moved aside");
        assertEquals(2, engine.size(io.dynamo.spi.storage.StorageEngine.QUARANTINE_PARTITION));
    }

    @Test
    void batchesCarryCurrentVersionsSkipRemovedKeysAndResumeAfterAnyKey() {
        MemoryStorageEngine engine = new MemoryStorageEngine();
        List<Bytes> written = List.copyOf(fill(engine, 300));
        StreamSource source = new StreamSource(engine, () -> 0L);
        Message.StreamBatch first = source.serve(PARTITION, Optional.empty(), 100);
        assertFalse(first.last());
        engine.update(PARTITION, written.get(100), old -> version("new"));
        engine.update(PARTITION, written.get(101), old -> List.of());

        Message.StreamBatch second = source.serve(PARTITION, Optional.of(written.get(99)), 100);
        assertEquals(written.get(100), second.keys().get(0).key());
        assertEquals(version("new"), second.keys().get(0).versions(), "the version stored now travels");
        assertEquals(written.get(102), second.keys().get(1).key(), "a removed key is skipped");
        assertEquals(1, source.scans());

        // another source (no snapshot of this stream) resumes after the receiver's last key
        StreamSource other = new StreamSource(engine, () -> 0L);
        Message.StreamBatch resumed = other.serve(PARTITION, Optional.of(written.get(249)), 100);
        assertTrue(resumed.last());
        assertEquals(written.subList(250, 300), resumed.keys().stream().map(Message.KeyVersions::key).toList());
    }

    @Test
    void anIdleOrClearedSnapshotIsRebuilt() {
        MemoryStorageEngine engine = new MemoryStorageEngine();
        List<Bytes> written = List.copyOf(fill(engine, 100));
        AtomicLong now = new AtomicLong();
        StreamSource source = new StreamSource(engine, now::get);
        source.serve(PARTITION, Optional.empty(), 10);
        source.serve(PARTITION, Optional.of(written.get(9)), 10);
        assertEquals(1, source.scans());
        now.addAndGet(StreamSource.IDLE_MILLIS + 1);
        Bytes added = Bytes.utf8("key-~added"); // '~' sorts after the digits: among the keys still to come
        engine.update(PARTITION, added, old -> version("added"));
        Message.StreamBatch rest = source.serve(PARTITION, Optional.of(written.get(19)), 1_000);
        assertEquals(2, source.scans(), "an idle snapshot is dropped");
        assertTrue(rest.keys().stream().anyMatch(k -> k.key().equals(added)), "the rebuilt snapshot sees keys written since");
        source.serve(PARTITION, Optional.empty(), 10);
        source.clear();
        source.serve(PARTITION, Optional.of(written.get(9)), 10);
        assertEquals(4, source.scans(), "a ring change clears the snapshots");
    }
}
