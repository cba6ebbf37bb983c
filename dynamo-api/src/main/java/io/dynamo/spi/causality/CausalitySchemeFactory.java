package io.dynamo.spi.causality;

import io.dynamo.spi.ExtensionFactory;

/** Makes {@link CausalityScheme}s; contributed by {@link io.dynamo.spi.DynamoPlugin#causalitySchemes()}. */
public interface CausalitySchemeFactory extends ExtensionFactory<CausalityScheme> {}
