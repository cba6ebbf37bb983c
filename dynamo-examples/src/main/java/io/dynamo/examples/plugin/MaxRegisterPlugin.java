package io.dynamo.examples.plugin;

import io.dynamo.spi.DynamoPlugin;
import io.dynamo.spi.resolution.ConflictResolverFactory;
import java.util.List;

/**
 * A third-party plugin as its author would ship it: compiled against {@code dynamo-api} only,
 * listed in {@code META-INF/services/io.dynamo.spi.DynamoPlugin}, and found by the node either
 * on its class path or as a jar in its {@code plugins/} directory. It contributes one conflict
 * resolver, {@code max-register}.
 */
public final class MaxRegisterPlugin implements DynamoPlugin {
    @Override
    public List<ConflictResolverFactory> conflictResolvers() {
        return List.of(new MaxRegisterResolverFactory());
    }
}
