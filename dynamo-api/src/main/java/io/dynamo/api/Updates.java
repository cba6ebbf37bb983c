package io.dynamo.api;

import io.dynamo.spi.resolution.ConflictResolver;
import java.util.List;
import java.util.function.UnaryOperator;

/** {@link DynamoStore#update}: read, merge, apply, write conditionally, retry on a conflict, bounded. */
final class Updates {
    static final long MAX_BACKOFF_MILLIS = 20;

    private Updates() {}

    static Context update(DynamoStore store, Bytes key, UnaryOperator<Bytes> change, RequestOptions options,
            ConflictResolver resolver, int maxAttempts) {
        if (key == null || change == null || options == null) {
            throw new InvalidArgumentException("key, change and options must not be null");
        }
        RequestOptions conditional = options.withCondition(Condition.IF_UNMODIFIED);
        ReadResult read = store.get(key, options.withCondition(Condition.NONE));
        for (int attempt = 1; ; attempt++) {
            Bytes updated = change.apply(merged(read, resolver));
            try {
                return updated == null ? store.delete(key, read.context(), conditional)
                        : store.put(key, updated, read.context(), conditional);
            } catch (ConflictException conflict) {
                if (attempt >= maxAttempts) {
                    throw new ConflictException("update of " + key + " gave up after " + attempt + " attempts, each"
                            + " refused because a concurrent write changed the key (allow more with"
                            + " withResolver(resolver, maxAttempts))", conflict.current());
                }
                read = conflict.current(); // what the refusing coordinator read: the next attempt starts from it
                backOff(attempt);
            }
        }
    }

    /**
     * Waits a random time up to {@value #MAX_BACKOFF_MILLIS} ms, growing with the attempts, so
     * that writers contending for one key spread out instead of colliding again at once (without
     * it, the writers with the shortest path to the replicas win every race and the others starve).
     */
    private static void backOff(int attempt) {
        long bound = Math.min(MAX_BACKOFF_MILLIS, 1L << Math.min(attempt, 10));
        try {
            Thread.sleep(java.util.concurrent.ThreadLocalRandom.current().nextLong(bound + 1));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new DynamoException("update interrupted after " + attempt + " attempts", e);
        }
    }

    /** The key's one value after client-side resolution: null when absent or deleted. */
    private static Bytes merged(ReadResult read, ConflictResolver resolver) {
        List<Bytes> values = read.values();
        if (values.size() <= 1) {
            return values.isEmpty() ? null : values.get(0);
        }
        if (resolver == null) {
            throw new InvalidArgumentException(read.key() + " has " + values.size() + " siblings: open the store with"
                    + " withResolver(resolver) so that update can merge them");
        }
        List<Versioned> resolved = resolver.resolve(read.key(), read.versions());
        List<Bytes> live = resolved == null ? List.of()
                : resolved.stream().filter(v -> !v.tombstone()).map(Versioned::value).distinct().toList();
        if (live.size() > 1) {
            throw new InvalidArgumentException("resolver " + resolver + " left " + live.size() + " siblings of "
                    + read.key() + ": update needs a resolver that merges them into one value");
        }
        return live.isEmpty() ? null : live.get(0);
    }
}
