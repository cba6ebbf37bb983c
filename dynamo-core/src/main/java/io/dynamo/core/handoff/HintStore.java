package io.dynamo.core.handoff;

import static java.util.Objects.requireNonNull;

import io.dynamo.api.Bytes;
import io.dynamo.api.Causality;
import io.dynamo.api.VectorClock;
import io.dynamo.api.Versioned;
import io.dynamo.api.codec.BytesIn;
import io.dynamo.api.codec.BytesOut;
import io.dynamo.api.codec.MalformedDataException;
import io.dynamo.core.coordination.Siblings;
import io.dynamo.core.metrics.NodeMetrics;
import io.dynamo.core.storage.Durability;
import io.dynamo.core.storage.Quarantine;
import io.dynamo.spi.storage.StorageEngine;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * The hinted writes a node holds for others, kept durably in its storage engine's
 * {@link StorageEngine#HINTS_PARTITION}: they survive a restart whenever the engine's data does.
 *
 * <p>A hint's storage key is the intended owner's id and the key ({@code string owner, bytes
 * key} in {@link BytesOut} form), so hints for one owner sort together; its versions merge by
 * causality like a replica's. Delivered versions are removed atomically without touching
 * versions that arrived meanwhile. Thread-safe.
 */
public final class HintStore {
    /** A hinted key: the node it is meant for and the versions held for it. */
    public record Hint(String owner, Bytes key, List<Versioned> versions) {
        public Hint {
            requireNonNull(owner, "owner is null");
            requireNonNull(key, "key is null");
            versions = List.copyOf(versions);
        }
    }

    private static final Comparator<Hint> ORDER = Comparator.comparing(Hint::owner).thenComparing(Hint::key);

    private final Quarantine engine;
    private final NodeMetrics metrics;
    private final Durability durability;

    public HintStore(StorageEngine engine) {
        this(new Quarantine("hint store", engine));
    }

    /** Hints kept in {@code engine}: an unreadable hint is skipped and quarantined, never blocking the others. */
    public HintStore(Quarantine engine) {
        this(engine, NodeMetrics.discarding("hint store"));
    }

    /** Hints kept in {@code engine}, each one stored counted in {@code metrics}. */
    public HintStore(Quarantine engine, NodeMetrics metrics) {
        this(engine, metrics, Durability.none(engine.engine()));
    }

    /**
     * Hints kept in {@code engine}, counted in {@code metrics}; a hint accepted is durable as
     * {@code durability}'s policy promises before {@link #add} returns (the writer counts it
     * toward W, or it is the only copy meant for its owner).
     */
    public HintStore(Quarantine engine, NodeMetrics metrics, Durability durability) {
        this.engine = requireNonNull(engine, "engine is null");
        this.metrics = requireNonNull(metrics, "metrics is null");
        this.durability = requireNonNull(durability, "durability is null");
    }

    /** The meters this store and its handoff record in. */
    NodeMetrics metrics() {
        return metrics;
    }

    /** Keeps {@code versions} of {@code key} for {@code owner}. */
    public void add(String owner, Bytes key, List<Versioned> versions) {
        engine.update(StorageEngine.HINTS_PARTITION, storageKey(owner, key), held -> Siblings.merge(held, versions));
        durability.acknowledging(StorageEngine.HINTS_PARTITION);
        metrics.hintStored(owner);
    }

    /** The versions held for {@code owner} of {@code key}. */
    public List<Versioned> get(String owner, Bytes key) {
        return engine.get(StorageEngine.HINTS_PARTITION, storageKey(owner, key));
    }

    /**
     * Every hint held, sorted by owner then key. A hint stored under a key that does not decode
     * is skipped: it cannot be delivered, and keeping it does no harm. A hint whose versions
     * cannot be read is skipped and quarantined (see {@link Quarantine}): the others are still
     * delivered.
     */
    public List<Hint> all() {
        List<Hint> hints = new ArrayList<>();
        engine.forEach(StorageEngine.HINTS_PARTITION, (storageKey, versions) -> {
            try {
                BytesIn in = new BytesIn(storageKey.toByteArray());
                String owner = in.readString();
                Bytes key = in.readByteString();
                in.requireEnd();
                hints.add(new Hint(owner, key, versions));
            } catch (MalformedDataException e) {
                // not one of ours; see the method comment
            }
        });
        hints.sort(ORDER);
        return hints;
    }

    /** The number of hinted keys held for each target node, by node id (none when no hint is held). */
    public java.util.Map<String, Long> countsByOwner() {
        java.util.Map<String, Long> counts = new java.util.TreeMap<>();
        all().forEach(hint -> counts.merge(hint.owner(), 1L, Long::sum));
        return counts;
    }

    /** The number of hinted keys held. */
    public long size() {
        return engine.engine().size(StorageEngine.HINTS_PARTITION);
    }

    /**
     * Forgets the versions of {@code key} for {@code owner} that {@code delivered} covers
     * (equal or dominated clocks); newer ones, added since, stay for the next delivery.
     */
    public void removeDelivered(String owner, Bytes key, List<Versioned> delivered) {
        Set<VectorClock> deliveredClocks = new HashSet<>();
        delivered.forEach(d -> deliveredClocks.add(d.clock()));
        engine.update(StorageEngine.HINTS_PARTITION, storageKey(owner, key), held -> {
            List<Versioned> left = new ArrayList<>();
            for (Versioned v : held) {
                // the usual case, a copy of what was delivered, by hash: not O(siblings²)
                if (!deliveredClocks.contains(v.clock()) && !coveredBy(v.clock(), delivered)) {
                    left.add(v);
                }
            }
            return left;
        });
        durability.written(StorageEngine.HINTS_PARTITION); // lost at a crash, a hint is only delivered again
    }

    private static boolean coveredBy(VectorClock clock, List<Versioned> delivered) {
        for (Versioned d : delivered) {
            Causality c = d.clock().compare(clock);
            if (c == Causality.EQUAL || c == Causality.AFTER) {
                return true;
            }
        }
        return false;
    }

    private static Bytes storageKey(String owner, Bytes key) {
        BytesOut out = new BytesOut(owner.length() + key.length() + 4);
        out.writeString(owner).writeBytes(key);
        return Bytes.wrapOwned(out.toByteArray());
    }
}
