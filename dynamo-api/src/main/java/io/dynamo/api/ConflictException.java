package io.dynamo.api;

import static java.util.Objects.requireNonNull;

/**
 * A conditional write ({@link Condition#IF_UNMODIFIED}) was refused: the key holds versions the
 * write's context does not cover. {@link #current()} carries those versions (siblings and
 * tombstones) and their context, so the caller can merge them with its change and write again
 * with that context. Nothing was written.
 */
public class ConflictException extends DynamoException {
    private final transient ReadResult current;

    public ConflictException(ReadResult current) {
        this(describe(requireNonNull(current, "current is null")), current);
    }

    public ConflictException(String message, ReadResult current) {
        super(message);
        this.current = requireNonNull(current, "current is null");
    }

    private static String describe(ReadResult current) {
        return "conditional write of " + current.key() + " refused: the key has " + current.versions().size()
                + " version(s) the write's context does not cover; merge them (current().versions()) and write"
                + " again with current().context()";
    }

    /** The versions the coordinator found, and the context that covers them. */
    public ReadResult current() {
        return current;
    }
}
