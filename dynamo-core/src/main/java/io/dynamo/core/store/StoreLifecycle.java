package io.dynamo.core.store;

/**
 * What a node does when its catalog changes, whether by an admin's request to it or by gossip:
 * {@link #open} a store that became live, {@link #drop} one that was dropped (deleting its data
 * on this node). Called in the order the changes happened on this node, one call at a time,
 * never under a lock of the membership; at start, {@code open} for every live entry and
 * {@code drop} for every tombstone, so a node that stopped half-way through a drop finishes it.
 * Both must therefore be idempotent. A store dropped and created again in between is dropped,
 * then opened with the new entry.
 */
public interface StoreLifecycle {
    /** Does nothing; the membership logs every change. */
    StoreLifecycle NONE = new StoreLifecycle() {
        @Override
        public void open(CatalogEntry entry) {}

        @Override
        public void drop(String name) {}

        @Override
        public String toString() {
            return "no store runtimes";
        }
    };

    /** Store {@code entry.name()} is live with these settings: open it (create its data on first use). */
    void open(CatalogEntry entry);

    /** Store {@code name} was dropped: close it and delete its data on this node. */
    void drop(String name);
}
