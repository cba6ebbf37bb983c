package io.dynamo.core.resolution;

import io.dynamo.spi.PluginConfig;
import io.dynamo.spi.PluginContext;
import io.dynamo.spi.resolution.ConflictResolver;
import io.dynamo.spi.resolution.ConflictResolverFactory;
import java.util.Optional;
import java.util.Set;

/** The {@value #NAME} resolver (last writer wins by vector-clock timestamp, ties broken by what was written, a delete first; see {@link LastWriteWinsResolver}). It has no settings. */
public final class LastWriteWinsResolverFactory implements ConflictResolverFactory {
    public static final String NAME = "lww";

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
        return new LastWriteWinsResolver();
    }
}
