package io.dynamo.resolver.crdt;

import io.dynamo.spi.PluginConfig;
import io.dynamo.spi.PluginContext;
import io.dynamo.spi.resolution.ConflictResolver;
import io.dynamo.spi.resolution.ConflictResolverFactory;
import java.util.Optional;
import java.util.Set;

/** Makes the {@code or-set} resolver: siblings that are {@link OrSet} values merge into one. */
public final class OrSetResolverFactory implements ConflictResolverFactory {
    public static final String NAME = "or-set";

    @Override
    public String name() {
        return NAME;
    }

    /** {@inheritDoc} Reads none: the bounds are part of the value format. */
    @Override
    public Optional<Set<String>> settingKeys() {
        return Optional.of(Set.of());
    }

    @Override
    public ConflictResolver create(PluginConfig config, PluginContext context) {
        return new CrdtResolver<>(NAME, OrSet::decode, OrSet::merge, OrSet::encode);
    }
}
