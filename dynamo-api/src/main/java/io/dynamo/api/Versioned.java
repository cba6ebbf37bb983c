package io.dynamo.api;

import static java.util.Objects.requireNonNull;

import java.util.Optional;

/**
 * One version of a key: its value (or a tombstone, for a delete), the vector clock of the
 * history that produced it and, when a client write made it, that write's {@link WriteId}.
 * Versions a resolver makes (e.g. a merge of siblings) carry none: the three-argument
 * constructor and the factories give none.
 */
public record Versioned(VectorClock clock, Bytes value, boolean tombstone, Optional<WriteId> writeId) {
    public Versioned {
        requireNonNull(clock, "clock is null");
        requireNonNull(value, "value is null");
        requireNonNull(writeId, "writeId is null");
        if (tombstone && value.length() != 0) {
            throw new InvalidArgumentException("a tombstone has no value");
        }
    }

    /** A version no identified client write made (a resolver's, or one written before write ids). */
    public Versioned(VectorClock clock, Bytes value, boolean tombstone) {
        this(clock, value, tombstone, Optional.empty());
    }

    public static Versioned of(VectorClock clock, Bytes value) {
        return new Versioned(clock, value, false);
    }

    public static Versioned tombstone(VectorClock clock) {
        return new Versioned(clock, Bytes.EMPTY, true);
    }

    /** This version as made by the write {@code id}. */
    public Versioned withWriteId(WriteId id) {
        return new Versioned(clock, value, tombstone, Optional.of(requireNonNull(id, "id is null")));
    }

    @Override
    public String toString() {
        return (tombstone ? "<deleted>" : value.toString()) + "@" + clock + writeId.map(id -> "#" + id).orElse("");
    }
}
