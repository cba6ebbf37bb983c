package io.dynamo.api;

/**
 * A Dynamo key-value store as its users see it, whether embedded (an in-process node) or
 * remote (the client library talking to a cluster).
 *
 * <p>Thread-safe. Every call either completes within its timeout or throws:
 * {@link QuorumException} with the counts when too few replicas answered,
 * {@link RequestTimeoutException}, {@link UnavailableException} when no node could take the
 * request, {@link InvalidArgumentException} for a key or value over the limits.
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
