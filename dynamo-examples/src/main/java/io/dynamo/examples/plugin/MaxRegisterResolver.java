package io.dynamo.examples.plugin;

import io.dynamo.api.Bytes;
import io.dynamo.api.VectorClock;
import io.dynamo.api.Versioned;
import io.dynamo.spi.resolution.ConflictResolver;
import java.math.BigInteger;
import java.util.Comparator;
import java.util.List;

/**
 * A semantic merge for a monotonic register (a high-water mark, a "last seen" sequence number):
 * values are decimal integers and concurrent siblings merge into the largest, under the merge of
 * their clocks so that the result supersedes them all. A value that is not a number counts as
 * smaller than every number; ties between equal numbers are broken by the raw bytes so every
 * node picks the same sibling. Tombstones lose to any live value.
 */
final class MaxRegisterResolver implements ConflictResolver {
    private static final Comparator<Versioned> LARGEST_LAST = Comparator
            .comparing((Versioned v) -> !v.tombstone())
            .thenComparing(v -> number(v.value()), Comparator.nullsFirst(Comparator.naturalOrder()))
            .thenComparing(Versioned::value);

    @Override
    public List<Versioned> resolve(Bytes key, List<Versioned> versions) {
        if (versions.size() == 1) {
            return versions;
        }
        VectorClock merged = VectorClock.EMPTY;
        for (Versioned v : versions) {
            merged = merged.merge(v.clock());
        }
        Versioned largest = versions.stream().max(LARGEST_LAST).orElseThrow();
        return List.of(new Versioned(merged, largest.value(), largest.tombstone()));
    }

    private static BigInteger number(Bytes value) {
        try {
            return new BigInteger(value.asUtf8().trim());
        } catch (NumberFormatException e) {
            return null;
        }
    }
}
