package io.dynamo.core.storage;

import io.dynamo.spi.PluginConfig;
import io.dynamo.spi.PluginContext;
import io.dynamo.spi.storage.StorageEngine;
import io.dynamo.spi.storage.StorageEngineFactory;
import java.util.Optional;
import java.util.Set;

/** The {@value #NAME} storage engine: {@link MemoryStorageEngine}. It has no settings. */
public final class MemoryStorageEngineFactory implements StorageEngineFactory {
    public static final String NAME = "memory";

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
    public StorageEngine create(PluginConfig config, PluginContext context) {
        return new MemoryStorageEngine();
    }
}
