package io.dynamo.spi.partition;

import io.dynamo.spi.ExtensionFactory;

/** Makes {@link Partitioner}s; contributed by {@link io.dynamo.spi.DynamoPlugin#partitioners()}. */
public interface PartitionerFactory extends ExtensionFactory<Partitioner> {}
