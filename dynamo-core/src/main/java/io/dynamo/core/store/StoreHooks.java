package io.dynamo.core.store;

import static java.util.Objects.requireNonNull;

/**
 * How a node's membership checks catalog entries and tells its store runtimes about them.
 *
 * @param check decides whether an entry's settings make a store, before it is taken
 * @param lifecycle told of the stores the catalog opens and drops (beside the node's own stores, when it has a factory)
 * @param factory what makes the catalog's stores on the node; empty: the node opens none (the lifecycle is only told)
 */
public record StoreHooks(StoreSettingsCheck check, StoreLifecycle lifecycle, java.util.Optional<StoreFactory> factory) {
    /** The syntax check and no store runtimes. */
    public static final StoreHooks DEFAULT = new StoreHooks(new StoreSettingsSyntax(), StoreLifecycle.NONE);

    public StoreHooks {
        requireNonNull(check, "check is null");
        requireNonNull(lifecycle, "lifecycle is null");
        requireNonNull(factory, "factory is null");
    }

    /** A check and a lifecycle, no factory. */
    public StoreHooks(StoreSettingsCheck check, StoreLifecycle lifecycle) {
        this(check, lifecycle, java.util.Optional.empty());
    }

    /**
     * The hooks of a node that opens and drops the catalog's stores with {@code factory}: an entry
     * is taken only when its settings make a store with the node's defaults ({@link StoreFactory#define}).
     */
    public static StoreHooks of(StoreFactory factory) {
        requireNonNull(factory, "factory is null");
        return new StoreHooks((name, settings) -> factory.define(name, settings), StoreLifecycle.NONE,
                java.util.Optional.of(factory));
    }

    /** These hooks with {@code other} as the lifecycle. */
    public StoreHooks withLifecycle(StoreLifecycle other) {
        return new StoreHooks(check, other, factory);
    }
}
