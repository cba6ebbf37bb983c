package io.dynamo.api;

import io.dynamo.spi.resolution.ConflictResolver;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.UnaryOperator;

/**
 * A Dynamo key-value store as its users see it, whether embedded (an in-process node) or
 * remote (the client library talking to a cluster).
 *
 * <p>Thread-safe. Every call either completes within its timeout or throws:
 * {@link QuorumException} with the counts when too few replicas answered,
 * {@link RequestTimeoutException}, {@link UnavailableException} when no node could take the
 * request (for a write, {@link UnavailableException#mayHaveBeenApplied()} says whether it may have
 * been applied all the same), {@link InvalidArgumentException} for a key or value over the limits.
 *
 * <p>A put or delete that the store retries on its own (the client library after a timeout, over
 * a new connection, at another node) or that the network duplicates is applied once: each write
 * carries a {@link WriteId}, and a node that already holds the version it made answers with that
 * version. A copy of a write that reaches a node after the write's deadline (its timeout from
 * when it was sent) is not applied. A write the application itself repeats after a failure is a
 * new write.
 */
public interface DynamoStore extends AutoCloseable {
    /** The most keys one {@link #getAll} may name. */
    int MAX_GET_ALL_KEYS = 1000;
    /** How many times {@link #update} tries by default before giving up on a contended key. */
    int DEFAULT_UPDATE_ATTEMPTS = 10;
    /** The most attempts {@link #withResolver(ConflictResolver, int)} accepts. */
    int MAX_UPDATE_ATTEMPTS = 1000;

    /** Every sibling of {@code key} (none when absent) and the context for the next write. */
    ReadResult get(Bytes key, RequestOptions options);

    /**
     * Writes {@code value} as the successor of every version {@code context} covers (use
     * {@link Context#EMPTY} for a blind write). Returns the context of the written version.
     */
    Context put(Bytes key, Bytes value, Context context, RequestOptions options);

    /** Writes a tombstone superseding every version {@code context} covers. */
    Context delete(Bytes key, Context context, RequestOptions options);

    /**
     * A conditional put: with {@link Condition#IF_UNMODIFIED}, refused with
     * {@link ConflictException} (nothing written) when the key holds versions {@code context} does
     * not cover; see {@link Condition} for what it promises.
     */
    default Context put(Bytes key, Bytes value, Context context, Condition condition) {
        return put(key, value, context, RequestOptions.DEFAULT.withCondition(condition));
    }

    /**
     * Reads every key of {@code keys} (at most {@link #MAX_GET_ALL_KEYS}), concurrently where the
     * store can. Returns each key's result (a key that is absent maps to a result without
     * versions). When some keys fail, throws {@link GetAllException}, which keeps the results of
     * the others and names each failure.
     */
    default Map<Bytes, ReadResult> getAll(Collection<Bytes> keys, RequestOptions options) {
        checkGetAll(keys);
        Map<Bytes, ReadResult> results = new LinkedHashMap<>();
        Map<Bytes, DynamoException> failures = new LinkedHashMap<>();
        for (Bytes key : keys) {
            try {
                results.put(key, get(key, options));
            } catch (DynamoException e) {
                failures.put(key, e);
            }
        }
        if (!failures.isEmpty()) {
            throw new GetAllException(results, failures);
        }
        return results;
    }

    default Map<Bytes, ReadResult> getAll(Collection<Bytes> keys) {
        return getAll(keys, RequestOptions.DEFAULT);
    }

    /** Refuses a {@link #getAll} of no keys list, a null key or more than {@link #MAX_GET_ALL_KEYS} keys. */
    static void checkGetAll(Collection<Bytes> keys) {
        if (keys == null || keys.stream().anyMatch(java.util.Objects::isNull)) {
            throw new InvalidArgumentException("getAll keys must not be null");
        }
        if (keys.size() > MAX_GET_ALL_KEYS) {
            throw new InvalidArgumentException("getAll of " + keys.size() + " keys: at most " + MAX_GET_ALL_KEYS
                    + " per call (split the keys)");
        }
    }

    /**
     * Voldemort's applyUpdate: reads {@code key}, merges its siblings into one value (with the
     * resolver the store was opened with, {@link #withResolver}; without one, a key with two or
     * more live siblings is refused), applies {@code change} to it (null when the key is absent
     * or deleted; returning null deletes the key), and writes the result with the read's context
     * as a conditional write ({@link Condition#IF_UNMODIFIED}). When a concurrent write makes it
     * a {@link ConflictException}, it starts again from the versions that conflict, up to
     * {@link #DEFAULT_UPDATE_ATTEMPTS} times (or the number given to {@link #withResolver}), then
     * throws a {@link ConflictException} saying how many attempts it made. {@code change} may be
     * called once per attempt, so it must not have side effects. {@code options} apply to every read and write.
     * Returns the context of the written version.
     */
    default Context update(Bytes key, UnaryOperator<Bytes> change, RequestOptions options) {
        return Updates.update(this, key, change, options, null, DEFAULT_UPDATE_ATTEMPTS);
    }

    default Context update(Bytes key, UnaryOperator<Bytes> change) {
        return update(key, change, RequestOptions.DEFAULT);
    }

    /**
     * This store with {@code resolver} as the client-side merge of siblings for {@link #update}
     * (e.g. a CRDT's or a set-union resolver), trying {@link #DEFAULT_UPDATE_ATTEMPTS} times.
     * The view shares this store: closing either closes both.
     */
    default DynamoStore withResolver(ConflictResolver resolver) {
        return withResolver(resolver, DEFAULT_UPDATE_ATTEMPTS);
    }

    /** {@link #withResolver(ConflictResolver)}, {@link #update} trying at most {@code maxAttempts} times. */
    default DynamoStore withResolver(ConflictResolver resolver, int maxAttempts) {
        return new ResolvingStore(this, resolver, maxAttempts);
    }

    default ReadResult get(Bytes key) {
        return get(key, RequestOptions.DEFAULT);
    }

    default Context put(Bytes key, Bytes value, Context context) {
        return put(key, value, context, RequestOptions.DEFAULT);
    }

    default Context delete(Bytes key, Context context) {
        return delete(key, context, RequestOptions.DEFAULT);
    }

    @Override
    void close();
}
