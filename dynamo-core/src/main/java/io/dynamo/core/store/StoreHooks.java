package io.dynamo.core.store;

import static java.util.Objects.requireNonNull;

/**
 * How a node's membership checks catalog entries and tells its store runtimes about them.
 *
 * @param check decides whether an entry's settings make a store, before it is taken
 * @param lifecycle opens and drops the stores the catalog names
 */
public record StoreHooks(StoreSettingsCheck check, StoreLifecycle lifecycle) {
    /** The syntax check and no store runtimes. */
    public static final StoreHooks DEFAULT = new StoreHooks(new StoreSettingsSyntax(), StoreLifecycle.NONE);

    public StoreHooks {
        requireNonNull(check, "check is null");
        requireNonNull(lifecycle, "lifecycle is null");
    }

    /** These hooks with {@code other} as the lifecycle. */
    public StoreHooks withLifecycle(StoreLifecycle other) {
        return new StoreHooks(check, other);
    }
}
