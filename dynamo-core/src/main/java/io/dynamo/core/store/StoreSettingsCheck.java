package io.dynamo.core.store;

import java.util.Map;

/**
 * Decides whether a store's settings make a store, before a node takes an entry into its
 * catalog (from an admin's request or from gossip): throws
 * {@link io.dynamo.api.InvalidArgumentException} naming the key otherwise. The store runtime
 * plugs in its own parser here (a {@code StoreDefinition} built from the name, the settings and
 * the node's defaults); {@link StoreSettingsSyntax} checks what can be checked without it.
 */
@FunctionalInterface
public interface StoreSettingsCheck {
    void check(String name, Map<String, String> settings);
}
