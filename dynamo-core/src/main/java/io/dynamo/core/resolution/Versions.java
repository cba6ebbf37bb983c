package io.dynamo.core.resolution;

import io.dynamo.api.Causality;
import io.dynamo.api.VectorClock;
import io.dynamo.api.Versioned;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.LinkedHashSet;
import java.util.List;

/** What the built-in resolvers share: dropping dominated versions and a canonical order. */
final class Versions {
    /**
     * A total order on versions that every node computes alike: by the encoded clock (unsigned
     * bytes), then live before tombstone, then by value. Resolvers sort their results with it so
     * that the same versions in any order give the same list.
     */
    static final Comparator<Versioned> CANONICAL = Comparator
            .comparing((Versioned v) -> v.clock().toBytes(), Arrays::compareUnsigned)
            .thenComparing(Versioned::tombstone)
            .thenComparing(Versioned::value);

    private Versions() {}

    /**
     * The versions no other version dominates, without duplicates, in canonical order. The core
     * has usually done this already; doing it again keeps each resolver correct on its own.
     */
    static List<Versioned> concurrentSiblings(List<Versioned> versions) {
        List<Versioned> distinct = new ArrayList<>(new LinkedHashSet<>(versions));
        List<Versioned> kept = new ArrayList<>(distinct.size());
        for (Versioned candidate : distinct) {
            boolean dominated = false;
            for (Versioned other : distinct) {
                if (other.clock().compare(candidate.clock()) == Causality.AFTER) {
                    dominated = true;
                    break;
                }
            }
            if (!dominated) {
                kept.add(candidate);
            }
        }
        kept.sort(CANONICAL);
        return kept;
    }

    /** The entry-wise maximum of every clock: a clock at or after each input. */
    static VectorClock mergedClock(List<Versioned> versions) {
        VectorClock merged = VectorClock.EMPTY;
        for (Versioned v : versions) {
            merged = merged.merge(v.clock());
        }
        return merged;
    }

    static void checkInput(List<Versioned> versions) {
        if (versions == null || versions.isEmpty()) {
            throw new IllegalArgumentException("a resolver needs at least one version");
        }
    }
}
