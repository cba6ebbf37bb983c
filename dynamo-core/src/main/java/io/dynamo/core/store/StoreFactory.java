package io.dynamo.core.store;

/**
 * What makes, on one node, the stores its catalog opens at run time, and deletes their data when
 * they are dropped: the node's default store (whose settings fill in what a catalog entry leaves
 * out), the parts of a store from its definition, and the deletion of a store's data once its
 * engine is closed. A real node makes them by plugin names in {@code DATA/stores/NAME}; an
 * in-process cluster by its builder's engine factory and the built-in resolvers.
 */
public interface StoreFactory {
    /** The node's default store: what a store's settings leave out is taken from it. */
    StoreDefinition defaults();

    /**
     * The definition of store {@code name} with these settings (short keys), checked as the node
     * config's {@code store.NAME.*} keys are: throws {@link io.dynamo.spi.ConfigException} naming the key.
     */
    default StoreDefinition define(String name, java.util.Map<String, String> settings) {
        return StoreDefinition.from(name, settings, defaults());
    }

    /** Opens store {@code definition}'s parts: its engine (creating its data on first use), resolver, causality scheme. */
    StoreParts make(StoreDefinition definition);

    /** Deletes what store {@code name} keeps on this node; its engine is closed already. Idempotent. */
    void deleteData(String name);
}
