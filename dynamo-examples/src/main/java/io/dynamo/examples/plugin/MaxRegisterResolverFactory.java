package io.dynamo.examples.plugin;

import io.dynamo.spi.PluginConfig;
import io.dynamo.spi.PluginContext;
import io.dynamo.spi.resolution.ConflictResolver;
import io.dynamo.spi.resolution.ConflictResolverFactory;
import java.util.Optional;
import java.util.Set;

/** Makes {@link MaxRegisterResolver}s; selected with {@code resolver=max-register}. */
public final class MaxRegisterResolverFactory implements ConflictResolverFactory {
    @Override
    public String name() {
        return "max-register";
    }

    /** {@inheritDoc} Reads none. */
    @Override
    public Optional<Set<String>> settingKeys() {
        return Optional.of(Set.of());
    }

    @Override
    public ConflictResolver create(PluginConfig config, PluginContext context) {
        return new MaxRegisterResolver();
    }
}
