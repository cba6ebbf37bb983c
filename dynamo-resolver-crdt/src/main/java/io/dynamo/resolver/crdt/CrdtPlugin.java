package io.dynamo.resolver.crdt;

import io.dynamo.spi.DynamoPlugin;
import io.dynamo.spi.resolution.ConflictResolverFactory;
import java.util.List;

/**
 * The CRDT resolvers plugin, found by ServiceLoader: contributes the {@code or-set} and
 * {@code pn-counter} conflict resolvers, selected in a node config with {@code resolver=NAME}.
 */
public final class CrdtPlugin implements DynamoPlugin {
    @Override
    public List<ConflictResolverFactory> conflictResolvers() {
        return List.of(new OrSetResolverFactory(), new PnCounterResolverFactory());
    }
}
