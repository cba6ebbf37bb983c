package io.dynamo.core.store;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * A {@link StoreLifecycle} that remembers what it was told: the calls in order and the stores
 * open now. For tests and tools that watch a node's catalog; thread-safe.
 */
public final class RecordingStoreLifecycle implements StoreLifecycle {
    /** One call: {@code open} (with its entry) or {@code drop}. */
    public record Call(String kind, String name, long version) {}

    private final List<Call> calls = new ArrayList<>(); // guarded by this
    private final Map<String, CatalogEntry> open = new TreeMap<>(); // guarded by this

    @Override
    public synchronized void open(CatalogEntry entry) {
        calls.add(new Call("open", entry.name(), entry.version()));
        open.put(entry.name(), entry);
    }

    @Override
    public synchronized void drop(String name) {
        calls.add(new Call("drop", name, 0));
        open.remove(name);
    }

    /** Every call so far, in order. */
    public synchronized List<Call> calls() {
        return List.copyOf(calls);
    }

    /** The stores opened and not dropped since, by name. */
    public synchronized Map<String, CatalogEntry> open() {
        return Map.copyOf(open);
    }
}
