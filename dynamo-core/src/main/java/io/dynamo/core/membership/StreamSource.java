package io.dynamo.core.membership;

import io.dynamo.api.Bytes;
import io.dynamo.api.Versioned;
import io.dynamo.core.messages.Message;
import io.dynamo.core.storage.Quarantine;
import io.dynamo.spi.storage.StorageEngine;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.LongSupplier;

/**
 * The sending side of partition streams. The engine can only scan a partition in its own
 * order, so a batch "the next keys after K" would otherwise cost a whole scan. Instead the
 * first request of a stream (one with no key to resume after) scans the partition once and
 * keeps its keys, sorted (a <i>snapshot</i> of the key set, not of the values); every batch is
 * then a binary search in it and one read per key sent, so the current versions travel.
 *
 * <p>Keys written after the snapshot are not in it. That is safe for the same reason the stream
 * is: a receiver asks only after {@code settle-delay}, by which time every coordinator sends
 * new writes to it directly. A resumed stream with no snapshot here (this node restarted, or
 * the receiver moved to another source) builds one and continues after its key.
 *
 * <p>A snapshot holds the keys of one partition on the heap. It is dropped when its last batch
 * has been served, when the ring changes ({@link #clear}), or after {@link #IDLE_MILLIS} without
 * a request; at most one per partition. Thread-safe; the scans run on the caller's thread.
 */
final class StreamSource {
    /** A snapshot unused this long is dropped (a receiver that crashed or moved to another source). */
    static final long IDLE_MILLIS = 60_000;

    /** A partition's keys in ascending order, and when a request last used them. */
    private static final class Snapshot {
        final List<Bytes> keys;
        long usedAt; // guarded by StreamSource.this

        Snapshot(List<Bytes> keys, long usedAt) {
            this.keys = keys;
            this.usedAt = usedAt;
        }
    }

    private final Quarantine engine;
    private final LongSupplier clock;
    private final Map<Integer, Snapshot> snapshots = new HashMap<>(); // guarded by this
    private long scans; // guarded by this

    StreamSource(StorageEngine engine, LongSupplier clock) {
        this(new Quarantine("stream source", engine), clock);
    }

    /** Reads through {@code engine}, so an unreadable value is skipped (and quarantined), never ending a stream. */
    StreamSource(Quarantine engine, LongSupplier clock) {
        this.engine = engine;
        this.clock = clock;
    }

    /**
     * The next at most {@code maxKeys} keys of the partition after the request's key, in
     * ascending order, with their current versions; {@code last} when none follow.
     */
    Message.StreamBatch serve(int partition, Optional<Bytes> after, int maxKeys) {
        Snapshot snapshot = after.isEmpty() ? null : snapshot(partition);
        if (snapshot == null) {
            snapshot = scan(partition);
        }
        List<Bytes> keys = snapshot.keys;
        int from = 0;
        if (after.isPresent()) {
            int found = Collections.binarySearch(keys, after.get());
            from = found >= 0 ? found + 1 : -found - 1;
        }
        List<Message.KeyVersions> batch = new ArrayList<>(Math.min(maxKeys, keys.size() - from));
        int next = from;
        while (next < keys.size() && batch.size() < maxKeys) {
            Bytes key = keys.get(next++);
            List<Versioned> versions = engine.get(partition, key);
            if (!versions.isEmpty()) { // a key removed since the snapshot (tombstone collection) is skipped
                batch.add(new Message.KeyVersions(key, versions));
            }
        }
        boolean last = next == keys.size();
        synchronized (this) {
            if (last) {
                snapshots.remove(partition, snapshot);
            }
        }
        return new Message.StreamBatch(batch, last);
    }

    /** Forgets every snapshot: after a ring change, streams start afresh. */
    synchronized void clear() {
        snapshots.clear();
    }

    /** Partition scans made so far (one per stream, not one per batch). */
    synchronized long scans() {
        return scans;
    }

    /** The partition's snapshot if one is kept, marked used; drops the idle ones. */
    private synchronized Snapshot snapshot(int partition) {
        long now = clock.getAsLong();
        snapshots.values().removeIf(s -> now - s.usedAt > IDLE_MILLIS);
        Snapshot snapshot = snapshots.get(partition);
        if (snapshot != null) {
            snapshot.usedAt = now;
        }
        return snapshot;
    }

    private Snapshot scan(int partition) {
        List<Bytes> keys = new ArrayList<>();
        engine.forEach(partition, (key, versions) -> keys.add(key));
        Collections.sort(keys);
        Snapshot snapshot = new Snapshot(Collections.unmodifiableList(keys), clock.getAsLong());
        synchronized (this) {
            scans++;
            snapshots.put(partition, snapshot);
        }
        return snapshot;
    }

    /** For logs: how many snapshots are kept and how many keys they hold. */
    @Override
    public synchronized String toString() {
        long keys = 0;
        for (Snapshot snapshot : snapshots.values()) {
            keys += snapshot.keys.size();
        }
        return "stream source: " + snapshots.size() + " snapshots, " + keys + " keys, " + scans + " scans";
    }
}
