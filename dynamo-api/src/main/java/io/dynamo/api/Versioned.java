package io.dynamo.api;

import static java.util.Objects.requireNonNull;

/**
 * One version of a key: its value (or a tombstone, for a delete) and the vector clock of the
 * history that produced it.
 */
public record Versioned(VectorClock clock, Bytes value, boolean tombstone) {
    public Versioned {
        requireNonNull(clock, "clock is null");
        requireNonNull(value, "value is null");
        if (tombstone && value.length() != 0) {
            throw new InvalidArgumentException("a tombstone has no value");
        }
    }

    public static Versioned of(VectorClock clock, Bytes value) {
        return new Versioned(clock, value, false);
    }

    public static Versioned tombstone(VectorClock clock) {
        return new Versioned(clock, Bytes.EMPTY, true);
    }

    @Override
    public String toString() {
        return (tombstone ? "<deleted>" : value.toString()) + "@" + clock;
    }
}
