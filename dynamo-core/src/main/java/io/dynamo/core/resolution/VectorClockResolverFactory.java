package io.dynamo.core.resolution;

import io.dynamo.spi.PluginConfig;
import io.dynamo.spi.PluginContext;
import io.dynamo.spi.resolution.ConflictResolver;
import io.dynamo.spi.resolution.ConflictResolverFactory;
import java.util.Optional;
import java.util.Set;

/** The {@value #NAME} resolver (Dynamo's default: returns the concurrent siblings to the client; see {@link VectorClockResolver}). It has no settings. */
public final class VectorClockResolverFactory implements ConflictResolverFactory {
    public static final String NAME = "vector-clock";

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
        return new VectorClockResolver();
    }

    /** True when {@code resolver} is this one: it only drops dominated versions, so a client can reconcile as it does. */
    public static boolean isSyntactic(ConflictResolver resolver) {
        return resolver instanceof VectorClockResolver;
    }
}
