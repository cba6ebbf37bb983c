package io.dynamo.core.resolution;

import io.dynamo.spi.PluginConfig;
import io.dynamo.spi.PluginContext;
import io.dynamo.spi.resolution.ConflictResolver;
import io.dynamo.spi.resolution.ConflictResolverFactory;
import java.util.Optional;
import java.util.Set;

/** The {@value #NAME} resolver (the shopping cart: the union of the siblings' lines; see {@link SetUnionResolver}). It has no settings. */
public final class SetUnionResolverFactory implements ConflictResolverFactory {
    public static final String NAME = "set-union";

    @Override
    public String name() {
        return NAME;
    }

    /** {@inheritDoc} Reads none. */
    @Override
    public Optional<Set<String>> settingKeys() {
        return Optional.of(Set.of());
    }

    @Override
    public ConflictResolver create(PluginConfig config, PluginContext context) {
        return new SetUnionResolver();
    }
}
