package io.dynamo.spi.resolution;

import io.dynamo.spi.ExtensionFactory;

/** Makes {@link ConflictResolver}s; contributed by {@link io.dynamo.spi.DynamoPlugin#conflictResolvers()}. */
public interface ConflictResolverFactory extends ExtensionFactory<ConflictResolver> {}
