package io.dynamo.core.resolution;

import io.dynamo.api.Bytes;
import io.dynamo.api.Versioned;
import io.dynamo.spi.resolution.ConflictResolver;
import java.util.Comparator;
import java.util.List;

/**
 * Last writer wins: of the concurrent siblings, the one whose clock has the newest timestamp
 * ({@link io.dynamo.api.VectorClock#latestTimestamp()}) wins; equal timestamps are broken by
 * what was written, never by the clock: a tombstone beats a value (as in Cassandra), then the
 * larger value (unsigned bytes) wins. The order thus depends only on what a merged result keeps
 * (the newest timestamp and the winner's value), so every node picks the same winner however
 * the siblings reached it: merging two merges gives what merging everything at once gives.
 * (Breaking ties by the encoded clock did not: a merge's clock sorts differently from its
 * winner's, so two nodes could keep different values under equal clocks.)
 *
 * <p>The result is one version holding the winner's value (or tombstone) under the merge of all
 * the input clocks, so it dominates every sibling and replaces them when written back. A
 * dominated version never wins, whatever its timestamp. Wall clocks of different nodes are
 * not synchronized: a write may lose to an earlier one from a node whose clock runs ahead.
 */
final class LastWriteWinsResolver implements ConflictResolver {
    private static final Comparator<Versioned> NEWEST_LAST = Comparator
            .comparingLong((Versioned v) -> v.clock().latestTimestamp())
            .thenComparing(Versioned::tombstone)
            .thenComparing(Versioned::value);

    @Override
    public List<Versioned> resolve(Bytes key, List<Versioned> versions) {
        Versions.checkInput(versions);
        List<Versioned> siblings = Versions.concurrentSiblings(versions);
        if (siblings.size() == 1) {
            return List.of(siblings.get(0));
        }
        Versioned winner = siblings.stream().max(NEWEST_LAST).orElseThrow();
        return List.of(new Versioned(Versions.mergedClock(siblings), winner.value(), winner.tombstone()));
    }

    @Override
    public Semantics semantics() {
        return Semantics.MERGE;
    }

    @Override
    public String toString() {
        return LastWriteWinsResolverFactory.NAME;
    }
}
