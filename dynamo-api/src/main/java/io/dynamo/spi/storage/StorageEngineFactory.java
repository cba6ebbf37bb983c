package io.dynamo.spi.storage;

import io.dynamo.spi.ExtensionFactory;

/** Makes {@link StorageEngine}s; contributed by {@link io.dynamo.spi.DynamoPlugin#storageEngines()}. */
public interface StorageEngineFactory extends ExtensionFactory<StorageEngine> {}
