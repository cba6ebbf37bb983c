package io.dynamo.core.storage;

import static java.util.Objects.requireNonNull;

import io.dynamo.api.Bytes;
import io.dynamo.api.Versioned;
import io.dynamo.api.codec.MalformedDataException;
import io.dynamo.spi.storage.CorruptDataException;
import io.dynamo.spi.storage.StorageEngine;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.BiConsumer;
import java.util.function.UnaryOperator;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The core's access to stored values that keeps one unreadable value from blocking the rest:
 * a value the engine cannot read is logged once (the engine's message names the file,
 * partition and key), counted, and moved aside with {@link StorageEngine#quarantine} — its
 * bytes kept unchanged in {@link StorageEngine#QUARANTINE_PARTITION} — so that the key reads
 * as absent and the other replicas write it again (read repair, anti-entropy, handoff).
 *
 * <p>Moving aside rather than deleting: the bytes may still be recoverable by hand (a damaged
 * checksum over a good value, a format a newer build reads), and the key's good versions come
 * back from its replicas anyway. With an engine that cannot quarantine, reads and scans still
 * skip the value (logged once per key) but writes of that key keep failing.
 *
 * <p>Thread-safe.
 */
public final class Quarantine {
    private static final Logger log = LoggerFactory.getLogger(Quarantine.class);
    /** Keys reported without being moved, so each is logged once; bounded so damage cannot grow it for good. */
    private static final int MAX_REMEMBERED = 10_000;

    private final String owner;
    private final StorageEngine engine;
    private final AtomicLong found = new AtomicLong();
    private final Set<String> reported = new LinkedHashSet<>(); // guarded by itself

    /** Access to {@code engine}; {@code owner} names the node in logs. */
    public Quarantine(String owner, StorageEngine engine) {
        this.owner = requireNonNull(owner, "owner is null");
        this.engine = requireNonNull(engine, "engine is null");
    }

    /** The stored versions of {@code key}; an unreadable value is quarantined and reads as absent. */
    public List<Versioned> get(int partition, Bytes key) {
        try {
            return engine.get(partition, key);
        } catch (CorruptDataException | MalformedDataException e) {
            unreadable(partition, key, e);
            return List.of();
        }
    }

    /**
     * {@link StorageEngine#update}, over an absent value when the stored one cannot be read
     * (it is quarantined first). Fails as the engine does when the value cannot be moved aside.
     */
    public List<Versioned> update(int partition, Bytes key, UnaryOperator<List<Versioned>> update) {
        try {
            return engine.update(partition, key, update);
        } catch (CorruptDataException | MalformedDataException e) {
            if (!unreadable(partition, key, e)) {
                throw e;
            }
            return engine.update(partition, key, update);
        }
    }

    /**
     * Every readable key of {@code partition}; the unreadable ones are reported, skipped and,
     * once the scan is over, quarantined (an engine's scan must not change its partition).
     */
    public void forEach(int partition, BiConsumer<Bytes, List<Versioned>> action) {
        List<Bytes> bad = new ArrayList<>();
        List<RuntimeException> why = new ArrayList<>();
        engine.forEach(partition, action, (key, failure) -> {
            bad.add(key);
            why.add(failure);
        });
        for (int i = 0; i < bad.size(); i++) {
            unreadable(partition, bad.get(i), why.get(i));
        }
    }

    /** How many unreadable values were found (each counted once when quarantined). */
    public long found() {
        return found.get();
    }

    public StorageEngine engine() {
        return engine;
    }

    /** Logs, counts and quarantines; true when the value was moved aside. */
    private boolean unreadable(int partition, Bytes key, RuntimeException failure) {
        boolean moved;
        try {
            moved = engine.quarantine(partition, key);
        } catch (RuntimeException e) {
            failure.addSuppressed(e);
            moved = false;
        }
        if (moved) {
            found.incrementAndGet();
            log.warn("{}: quarantined the unreadable value of key {} in partition {} (its bytes are kept in partition {}"
                    + "; replicas write the key again): {}", owner, key, partition, StorageEngine.QUARANTINE_PARTITION,
                    failure.getMessage());
            return true;
        }
        String id = partition + "/" + key;
        boolean first;
        synchronized (reported) {
            first = reported.add(id);
            if (first && reported.size() > MAX_REMEMBERED) {
                reported.remove(reported.iterator().next());
            }
        }
        if (first) {
            found.incrementAndGet();
            log.warn("{}: skipping the unreadable value of key {} in partition {} ({} cannot quarantine it): {}", owner,
                    key, partition, engine, failure.getMessage());
        }
        return false;
    }
}
