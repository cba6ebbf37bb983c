package io.dynamo.storage.chronicle;

import io.dynamo.spi.PluginConfig;
import io.dynamo.spi.storage.StorageEngine;
import io.dynamo.tck.StorageEngineContractTest;
import java.nio.file.Path;

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
}
