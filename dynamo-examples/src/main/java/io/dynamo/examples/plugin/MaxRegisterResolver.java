package io.dynamo.examples.plugin;

import io.dynamo.api.Bytes;
import io.dynamo.api.VectorClock;
import io.dynamo.api.Versioned;
import io.dynamo.spi.resolution.ConflictResolver;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/**
 * A semantic merge for a monotonic register (a high-water mark, a "last seen" sequence number):
 * values are decimal integers and concurrent siblings merge into the largest, under the merge of
 * their clocks so that the result supersedes them all; ties between equal numbers are broken by
 * the raw bytes so every node picks the same sibling. Tombstones lose to any live value. A
 * value that is not a number is returned unchanged as a sibling, as the SPI requires of values
 * a resolver cannot parse, so a malformed write is shown to the client instead of vanishing.
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
        // a value that is not a number is not ours to judge: kept as a sibling (the SPI's rule)
        List<Versioned> result = new ArrayList<>();
        List<Versioned> registers = new ArrayList<>();
        for (Versioned v : versions) {
            (v.tombstone() || number(v.value()) != null ? registers : result).add(v);
        }
        if (registers.size() == 1) {
            result.add(registers.get(0));
        } else if (!registers.isEmpty()) {
            VectorClock merged = VectorClock.EMPTY;
            for (Versioned v : registers) {
                merged = merged.merge(v.clock());
            }
            Versioned largest = registers.stream().max(LARGEST_LAST).orElseThrow();
            result.add(new Versioned(merged, largest.value(), largest.tombstone()));
        }
        return result;
    }

    /** The maximum is commutative, associative and idempotent: the TCK checks it as a merge. */
    @Override
    public Semantics semantics() {
        return Semantics.MERGE;
    }

    private static BigInteger number(Bytes value) {
        String text = new String(value.toByteArray(), StandardCharsets.UTF_8).trim();
        try {
            return new BigInteger(text);
        } catch (NumberFormatException e) {
            return null;
        }
    }
}
