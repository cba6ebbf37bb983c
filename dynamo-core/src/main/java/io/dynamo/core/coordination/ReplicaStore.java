package io.dynamo.core.coordination;

import static java.util.Objects.requireNonNull;

import io.dynamo.api.Bytes;
import io.dynamo.api.Causality;
import io.dynamo.api.InvalidArgumentException;
import io.dynamo.api.VectorClock;
import io.dynamo.api.Versioned;
import io.dynamo.api.WriteId;
import io.dynamo.core.causality.WriterSlots;
import io.dynamo.core.storage.Durability;
import io.dynamo.core.storage.Quarantine;
import io.dynamo.spi.causality.CausalityScheme;
import io.dynamo.spi.causality.NewWrite;
import io.dynamo.spi.storage.StorageEngine;
import java.util.List;
import java.util.Optional;
import java.util.function.UnaryOperator;

/**
 * A node's replicas of keys, over its storage engine: reads, merges of incoming versions by
 * causality ({@link Siblings#merge}), and new writes stamped by this node as coordinator
 * (by the cluster's {@link CausalityScheme}). Every change is one atomic {@link StorageEngine#update} of the key.
 * Thread-safe.
 */
public final class ReplicaStore {
    /**
     * Told of every change this store makes to a key, e.g. to keep hash trees current:
     * {@link #begin} before the change reaches the engine, then exactly one of
     * {@link Change#completed} or {@link Change#failed}. Must be quick and must not call the store.
     */
    public interface ChangeListener {
        ChangeListener NONE = (partition, key) -> Change.NONE;

        Change begin(int partition, Bytes key);

        /** Every key of {@code partition} was removed ({@link ReplicaStore#dropPartition}). */
        default void dropped(int partition) {}

        /** One change in progress. */
        interface Change {
            Change NONE = new Change() {
                @Override
                public void completed(List<Versioned> before, List<Versioned> after) {}

                @Override
                public void failed() {}
            };

            /** The key held {@code before} and now holds {@code after}. */
            void completed(List<Versioned> before, List<Versioned> after);

            /** The engine failed; the change may or may not have been stored. */
            void failed();
        }
    }

    private final Quarantine engine;
    private final ChangeListener listener;
    private final CausalityScheme causality;
    private final Durability durability;

    public ReplicaStore(StorageEngine engine) {
        this(engine, ChangeListener.NONE);
    }

    public ReplicaStore(StorageEngine engine, ChangeListener listener) {
        this(new Quarantine("replica store", engine), listener);
    }

    /**
     * A store over {@code engine}: a key whose stored value cannot be read is quarantined and
     * reads as absent, so its replicas' good versions replace it (read repair, anti-entropy).
     */
    public ReplicaStore(Quarantine engine, ChangeListener listener) {
        this(engine, listener, new WriterSlots());
    }

    /** A store whose writes are stamped by {@code causality} (the node config's {@code causality}), never synced. */
    public ReplicaStore(Quarantine engine, ChangeListener listener, CausalityScheme causality) {
        this(engine, listener, causality, Durability.none(engine.engine()));
    }

    /**
     * A store whose writes are made durable as {@code durability} says: {@link #write} and
     * {@link #mergeAcknowledged} are acknowledged writes, {@link #merge} and {@link #update}
     * background ones (see {@link Durability}).
     */
    public ReplicaStore(Quarantine engine, ChangeListener listener, CausalityScheme causality, Durability durability) {
        this.engine = requireNonNull(engine, "engine is null");
        this.listener = requireNonNull(listener, "listener is null");
        this.causality = requireNonNull(causality, "causality is null");
        this.durability = requireNonNull(durability, "durability is null");
    }

    public List<Versioned> read(int partition, Bytes key) {
        return engine.get(partition, key);
    }

    /**
     * Merges {@code incoming} into the stored versions; returns what is stored now. A background
     * write (anti-entropy, read repair, a streamed batch): synced within the sync interval.
     */
    public List<Versioned> merge(int partition, Bytes key, List<Versioned> incoming) {
        return update(partition, key, stored -> Siblings.merge(stored, incoming));
    }

    /**
     * {@link #merge} of a write this node is about to acknowledge (a replica's copy that counts
     * toward W, a hint delivered by the node holding it): durable as the sync policy promises
     * before it returns.
     */
    public List<Versioned> mergeAcknowledged(int partition, Bytes key, List<Versioned> incoming) {
        List<Versioned> after = apply(partition, key, stored -> Siblings.merge(stored, incoming));
        durability.acknowledging(partition);
        return after;
    }

    /** Makes every completed write of {@code partition} durable now, unless the policy is {@code none}. */
    public void syncNow(int partition) {
        durability.syncNow(partition);
    }

    /**
     * Merges {@code incoming} (a conditional write's version) only if it dominates or equals every
     * stored version, in one atomic update; otherwise stores nothing and returns what is stored.
     */
    public Optional<List<Versioned>> mergeIfDominating(int partition, Bytes key, List<Versioned> incoming) {
        try {
            update(partition, key, stored -> {
                for (Versioned held : stored) {
                    for (Versioned version : incoming) {
                        Causality order = held.clock().compare(version.clock());
                        if (order != Causality.BEFORE && order != Causality.EQUAL) {
                            throw new NotCovered(stored);
                        }
                    }
                }
                return Siblings.merge(stored, incoming);
            });
            durability.acknowledging(partition); // it counts toward W
            return Optional.empty();
        } catch (NotCovered refused) {
            return Optional.of(refused.stored());
        }
    }

    /**
     * Replaces the versions of {@code key} with {@code change.apply(stored)} atomically (an
     * empty result removes the key), telling the listener. For rules beyond a causal merge,
     * such as collecting tombstones; {@code change} follows {@link StorageEngine#update}'s rules.
     */
    public List<Versioned> update(int partition, Bytes key, UnaryOperator<List<Versioned>> change) {
        List<Versioned> after = apply(partition, key, change);
        durability.written(partition);
        return after;
    }

    private List<Versioned> apply(int partition, Bytes key, UnaryOperator<List<Versioned>> change) {
        ChangeListener.Change pending = listener.begin(partition, key);
        List<Versioned>[] before = beforeHolder();
        List<Versioned> after;
        try {
            after = engine.update(partition, key, stored -> {
                before[0] = stored;
                return change.apply(stored);
            });
        } catch (RuntimeException | Error e) {
            pending.failed();
            throw e;
        }
        pending.completed(before[0], after);
        return after;
    }

    @SuppressWarnings("unchecked")
    private static List<Versioned>[] beforeHolder() {
        return new List[1];
    }

    /**
     * Writes a new version coordinated by {@code self}: {@code value} (or a tombstone) whose
     * clock succeeds {@code context}. Returns the version written.
     */
    public Versioned write(int partition, Bytes key, Bytes value, boolean tombstone, VectorClock context, String self,
            long nowMillis, int maxClockEntries) {
        return write(partition, key, value, tombstone, context, self, nowMillis, maxClockEntries, Integer.MAX_VALUE)
                .version();
    }

    /**
     * A version written and how many versions its key holds now; {@code repeated} when the write
     * had been applied before (its id was stored) and {@code version} is that earlier version.
     */
    public record Written(Versioned version, int versions, boolean repeated) {}

    /**
     * {@link #write(int, Bytes, Bytes, boolean, VectorClock, String, long, int)}, refused with
     * {@link InvalidArgumentException} when it would add a version to a key that already holds
     * {@code maxSiblings} or more ({@code replication.max-siblings}); a write whose context
     * covers some of them replaces them and is always accepted, so a client can always resolve.
     * A context whose counter cannot be incremented is refused too. Nothing is stored then.
     */
    public Written write(int partition, Bytes key, Bytes value, boolean tombstone, VectorClock context, String self,
            long nowMillis, int maxClockEntries, int maxSiblings) {
        return write(partition, key, value, tombstone, context, self, nowMillis, maxClockEntries, maxSiblings,
                Optional.empty());
    }

    /**
     * {@link #write(int, Bytes, Bytes, boolean, VectorClock, String, long, int, int)} by the client
     * write {@code writeId}: when a stored version of the key carries that id the write was applied
     * before, and that version is returned ({@link Written#repeated}) with nothing stored or
     * stamped, inside the same atomic update, so two copies of one write racing here make one version.
     */
    public Written write(int partition, Bytes key, Bytes value, boolean tombstone, VectorClock context, String self,
            long nowMillis, int maxClockEntries, int maxSiblings, Optional<WriteId> writeId) {
        return write(partition, key, value, tombstone, context, self, nowMillis, maxClockEntries, maxSiblings, writeId,
                false);
    }

    /**
     * A conditional write ({@code ifUnmodified}) found a stored version its context does not
     * cover; nothing was stored. {@link #stored()} is what the key holds.
     */
    public static final class NotCovered extends RuntimeException {
        private final transient List<Versioned> stored;

        NotCovered(List<Versioned> stored) {
            super("the key holds versions the write's context does not cover", null, false, false);
            this.stored = List.copyOf(stored);
        }

        public List<Versioned> stored() {
            return stored;
        }
    }

    /**
     * {@link #write(int, Bytes, Bytes, boolean, VectorClock, String, long, int, int, Optional)};
     * with {@code ifUnmodified}, refused with {@link NotCovered} inside the same atomic update when
     * the stored versions hold an event {@code context} does not cover, so of two conditional
     * writes from one context racing here exactly one is stored. A repeat of a write already
     * applied (its write id stored) is answered as before, never refused.
     */
    public Written write(int partition, Bytes key, Bytes value, boolean tombstone, VectorClock context, String self,
            long nowMillis, int maxClockEntries, int maxSiblings, Optional<WriteId> writeId, boolean ifUnmodified) {
        Versioned[] written = new Versioned[1];
        boolean[] repeated = new boolean[1];
        List<Versioned> after = apply(partition, key, stored -> {
            Optional<Versioned> earlier = writeId.flatMap(id -> WriteIds.find(stored, id));
            if (earlier.isPresent()) {
                written[0] = earlier.get();
                repeated[0] = true;
                return stored;
            }
            if (ifUnmodified && !stored.isEmpty()) {
                Causality order = Siblings.mergedClock(stored).compare(context);
                if (order != Causality.BEFORE && order != Causality.EQUAL) {
                    throw new NotCovered(stored);
                }
            }
            VectorClock clock = causality.stamp(new NewWrite(self, context, stored, nowMillis, maxClockEntries));
            written[0] = new Versioned(clock, tombstone ? Bytes.EMPTY : value, tombstone, writeId);
            List<Versioned> merged = Siblings.merge(stored, List.of(written[0]));
            if (merged.size() > maxSiblings && merged.size() > stored.size()) {
                throw new InvalidArgumentException("key " + key + " already has " + stored.size()
                        + " versions (siblings), the most replication." + VersionLimits.MAX_SIBLINGS + "=" + maxSiblings
                        + " allows: a write adding another is refused. Read the key and write with its context to"
                        + " resolve them (such a write replaces them)");
            }
            return merged;
        });
        // the coordinator's own copy counts toward W (a repeated write was acknowledged before: synced again, cheaply)
        durability.acknowledging(partition);
        return new Written(written[0], after.size(), repeated[0]);
    }

    /**
     * Removes every key of {@code partition} (a partition this node no longer replicates) and
     * tells the listener, which forgets what it derived from them.
     */
    public void dropPartition(int partition) {
        engine.engine().dropPartition(partition);
        listener.dropped(partition);
    }

    /** The engine underneath, for hinted handoff and inspection. */
    public StorageEngine engine() {
        return engine.engine();
    }

    /** The engine with unreadable values skipped and quarantined. */
    public Quarantine quarantine() {
        return engine;
    }
}
