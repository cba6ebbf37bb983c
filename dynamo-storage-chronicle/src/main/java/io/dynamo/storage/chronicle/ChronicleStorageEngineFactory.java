package io.dynamo.storage.chronicle;

import io.dynamo.spi.PluginConfig;
import io.dynamo.spi.PluginContext;
import io.dynamo.spi.storage.StorageEngine;
import io.dynamo.spi.storage.StorageEngineFactory;
import java.util.Optional;
import java.util.Set;

/** Makes {@code chronicle} storage engines from the {@code chronicle.*} keys of the node config. */
final class ChronicleStorageEngineFactory implements StorageEngineFactory {
    static final String NAME = "chronicle";

    @Override
    public String name() {
        return NAME;
    }

    /** {@inheritDoc} See {@link ChronicleSettings#KEYS}. */
    @Override
    public Optional<Set<String>> settingKeys() {
        return Optional.of(ChronicleSettings.KEYS);
    }

    @Override
    public StorageEngine create(PluginConfig config, PluginContext context) {
        return ChronicleStorageEngine.open(ChronicleSettings.from(config, context));
    }
}
