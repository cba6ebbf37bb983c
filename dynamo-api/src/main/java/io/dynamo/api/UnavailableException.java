package io.dynamo.api;

/**
 * No node could take the request (e.g. fewer healthy nodes than W, or none reachable).
 *
 * <p>For a put or delete, {@link #mayHaveBeenApplied()} says whether the write may nevertheless
 * have been applied: false only when every node tried answered that it did not apply it; true
 * when some attempt failed after a node could have received it (a timeout, a connection lost
 * before the answer). Then read the key before writing again: the write may
 * show up (a retry by the same client is applied once; see {@link WriteId}).
 */
public class UnavailableException extends DynamoException {
    private final boolean mayHaveBeenApplied;

    public UnavailableException(String message) {
        this(message, false);
    }

    public UnavailableException(String message, boolean mayHaveBeenApplied) {
        super(message);
        this.mayHaveBeenApplied = mayHaveBeenApplied;
    }

    public UnavailableException(String message, Throwable cause) {
        super(message, cause);
        this.mayHaveBeenApplied = false;
    }

    /** True when a write that failed so may still have been applied by some node. */
    public boolean mayHaveBeenApplied() {
        return mayHaveBeenApplied;
    }
}
