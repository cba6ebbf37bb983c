package io.dynamo.storage.chronicle;

import io.dynamo.spi.PluginConfig;
import io.dynamo.spi.storage.StorageEngine;
import io.dynamo.tck.StorageEngineContractTest;
import java.nio.file.Path;
import java.util.Map;
import java.util.Optional;

class ChronicleStorageEngineContractTest extends StorageEngineContractTest {
    @Override
    protected StorageEngine createEngine(Path directory) {
        PluginConfig config = PluginConfig.empty("chronicle").with("entries-per-partition", "2000");
        return new ChroniclePlugin().storageEngines().get(0).create(config, new TestContext(directory));
    }

    @Override
    protected boolean persistent() {
        return true;
    }

    @Override
    protected Optional<String> engineName() {
        return Optional.of("chronicle");
    }

    @Override
    protected Map<String, String> engineSettings() {
        return Map.of("entries-per-partition", "2000", "max-bloat-factor", "10");
    }

    @Override
    protected void abandon(StorageEngine abandoned) {
        ((ChronicleStorageEngine) abandoned).abandonAsACrashWould();
    }
}
