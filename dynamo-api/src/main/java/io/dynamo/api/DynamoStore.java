package io.dynamo.api;

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
    /** Every sibling of {@code key} (none when absent) and the context for the next write. */
    ReadResult get(Bytes key, RequestOptions options);

    /**
     * Writes {@code value} as the successor of every version {@code context} covers (use
     * {@link Context#EMPTY} for a blind write). Returns the context of the written version.
     */
    Context put(Bytes key, Bytes value, Context context, RequestOptions options);

    /** Writes a tombstone superseding every version {@code context} covers. */
    Context delete(Bytes key, Context context, RequestOptions options);

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
