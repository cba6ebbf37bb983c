package io.dynamo.spi.transport;

import io.dynamo.spi.ExtensionFactory;

/** Makes {@link Transport}s; contributed by {@link io.dynamo.spi.DynamoPlugin#transports()}. */
public interface TransportFactory extends ExtensionFactory<Transport> {}
