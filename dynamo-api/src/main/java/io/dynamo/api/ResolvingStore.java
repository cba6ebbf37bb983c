package io.dynamo.api;

import static java.util.Objects.requireNonNull;

import io.dynamo.spi.resolution.ConflictResolver;
import java.util.Collection;
import java.util.Map;
import java.util.function.UnaryOperator;

/** A store whose {@link #update}s merge siblings with a client-side resolver; see {@link DynamoStore#withResolver}. */
final class ResolvingStore implements DynamoStore {
    private final DynamoStore store;
    private final ConflictResolver resolver;
    private final int maxAttempts;

    ResolvingStore(DynamoStore store, ConflictResolver resolver, int maxAttempts) {
        this.store = requireNonNull(store, "store is null");
        this.resolver = requireNonNull(resolver, "resolver is null");
        if (maxAttempts < 1 || maxAttempts > DynamoStore.MAX_UPDATE_ATTEMPTS) {
            throw new InvalidArgumentException("maxAttempts must be in [1, " + DynamoStore.MAX_UPDATE_ATTEMPTS + "]: "
                    + maxAttempts);
        }
        this.maxAttempts = maxAttempts;
    }

    @Override
    public ReadResult get(Bytes key, RequestOptions options) {
        return store.get(key, options);
    }

    @Override
    public Context put(Bytes key, Bytes value, Context context, RequestOptions options) {
        return store.put(key, value, context, options);
    }

    @Override
    public Context delete(Bytes key, Context context, RequestOptions options) {
        return store.delete(key, context, options);
    }

    @Override
    public Map<Bytes, ReadResult> getAll(Collection<Bytes> keys, RequestOptions options) {
        return store.getAll(keys, options);
    }

    @Override
    public Context update(Bytes key, UnaryOperator<Bytes> change, RequestOptions options) {
        return Updates.update(store, key, change, options, resolver, maxAttempts);
    }

    @Override
    public DynamoStore withResolver(ConflictResolver resolver, int maxAttempts) {
        return new ResolvingStore(store, resolver, maxAttempts);
    }

    /** Closes the store this view reads and writes. */
    @Override
    public void close() {
        store.close();
    }
}
