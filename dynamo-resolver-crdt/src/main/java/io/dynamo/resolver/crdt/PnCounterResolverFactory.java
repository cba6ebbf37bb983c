package io.dynamo.resolver.crdt;

import io.dynamo.spi.PluginConfig;
import io.dynamo.spi.PluginContext;
import io.dynamo.spi.resolution.ConflictResolver;
import io.dynamo.spi.resolution.ConflictResolverFactory;
import java.util.Optional;
import java.util.Set;

/** Makes the {@code pn-counter} resolver: siblings that are {@link PnCounter} values merge into one. */
public final class PnCounterResolverFactory implements ConflictResolverFactory {
    public static final String NAME = "pn-counter";

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
        return new CrdtResolver<>(NAME, PnCounter::decode, PnCounter::merge, PnCounter::encode);
    }
}
