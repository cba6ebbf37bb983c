package io.dynamo.core.resolution;

import io.dynamo.api.Bytes;
import io.dynamo.api.Versioned;
import io.dynamo.spi.resolution.ConflictResolver;
import java.util.List;

/**
 * Dynamo's default: keeps every version that no other dominates and returns the concurrent
 * siblings to the client, which reconciles them with its next write. Never invents a version.
 */
final class VectorClockResolver implements ConflictResolver {
    @Override
    public List<Versioned> resolve(Bytes key, List<Versioned> versions) {
        Versions.checkInput(versions);
        return List.copyOf(Versions.concurrentSiblings(versions));
    }

    @Override
    public Semantics semantics() {
        return Semantics.SELECT;
    }

    @Override
    public String toString() {
        return VectorClockResolverFactory.NAME;
    }
}
