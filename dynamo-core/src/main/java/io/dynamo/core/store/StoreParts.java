package io.dynamo.core.store;

import static java.util.Objects.requireNonNull;

import io.dynamo.spi.causality.CausalityScheme;
import io.dynamo.spi.resolution.ConflictResolver;
import io.dynamo.spi.storage.StorageEngine;

/**
 * What a store other than the default one is made of on one node: its definition and the
 * extensions made by the names it gives. The node owns the engine from then on (it closes it).
 *
 * @param definition the store
 * @param engine the store's own storage engine, its data kept apart from every other store's
 * @param resolver the store's conflict resolver
 * @param causality the store's causality scheme
 */
public record StoreParts(StoreDefinition definition, StorageEngine engine, ConflictResolver resolver,
        CausalityScheme causality) {
    public StoreParts {
        requireNonNull(definition, "definition is null");
        requireNonNull(engine, "engine is null");
        requireNonNull(resolver, "resolver is null");
        requireNonNull(causality, "causality is null");
        if (definition.isDefault()) {
            throw new io.dynamo.api.InvalidArgumentException("the default store is made of the node's own extensions");
        }
    }

    public String name() {
        return definition.name();
    }
}
