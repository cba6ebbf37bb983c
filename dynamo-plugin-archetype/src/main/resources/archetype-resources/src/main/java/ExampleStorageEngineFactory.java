package ${package};

import io.dynamo.spi.PluginConfig;
import io.dynamo.spi.PluginContext;
import io.dynamo.spi.storage.StorageEngine;
import io.dynamo.spi.storage.StorageEngineFactory;
import java.util.Optional;
import java.util.Set;

/** Makes {@link ExampleStorageEngine}s; selected by {@code storage=example-memory}. */
final class ExampleStorageEngineFactory implements StorageEngineFactory {
    static final String NAME = "example-memory";

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public Optional<Set<String>> settingKeys() {
        return Optional.of(Set.of());
    }

    @Override
    public StorageEngine create(PluginConfig config, PluginContext context) {
        return new ExampleStorageEngine();
    }
}
