package io.dynamo.api;

import java.util.List;

/**
 * Fewer replicas answered than the request required, within its timeout.
 *
 * <p>A failed write may still have been applied on the replicas that did answer; a later read
 * may return it. That is the Dynamo contract, not a bug: only acknowledged writes are promised.
 */
public class QuorumException extends DynamoException {
    private final String operation;
    private final int required;
    private final int answered;
    private final int asked;

    public QuorumException(String operation, int required, int answered, int asked) {
        this(operation, required, answered, asked, List.of());
    }

    /**
     * A failure that also names the owners of the key that were suspected down and so not asked:
     * {@code put needed 2 answers but only 1 of 1 replicas asked answered; owners node-2, node-3
     * were suspected down}.
     */
    public QuorumException(String operation, int required, int answered, int asked, List<String> suspectedOwners) {
        this(describe(operation, required, answered, asked, suspectedOwners), operation, required, answered, asked);
    }

    /** The failure as a remote coordinator described it, with its counts. */
    public QuorumException(String message, String operation, int required, int answered, int asked) {
        super(message);
        this.operation = operation;
        this.required = required;
        this.answered = answered;
        this.asked = asked;
    }

    private static String describe(String operation, int required, int answered, int asked, List<String> suspected) {
        String text = operation + " needed " + required + " answers but only " + answered + " of " + asked
                + " replicas asked answered";
        if (suspected.isEmpty()) {
            return text;
        }
        return text + (suspected.size() == 1 ? "; owner " + suspected.get(0) + " was suspected down"
                : "; owners " + String.join(", ", suspected) + " were suspected down");
    }

    public String operation() {
        return operation;
    }

    public int required() {
        return required;
    }

    public int answered() {
        return answered;
    }

    public int asked() {
        return asked;
    }
}
