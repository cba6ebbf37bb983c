package io.dynamo.storage.chronicle;

import io.dynamo.spi.DynamoPlugin;
import io.dynamo.spi.storage.StorageEngineFactory;
import java.util.List;

/**
 * Contributes the persistent storage engine {@code chronicle}: one Chronicle Map file per
 * partition under {@code <data directory>/chronicle}. The JVM needs the flags listed in this
 * module's README.
 */
public final class ChroniclePlugin implements DynamoPlugin {
    @Override
    public List<StorageEngineFactory> storageEngines() {
        return List.of(new ChronicleStorageEngineFactory());
    }
}
