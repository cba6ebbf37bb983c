package io.dynamo.api;

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
        super(operation + " needed " + required + " answers but " + answered + " of " + asked
                + " replicas answered");
        this.operation = operation;
        this.required = required;
        this.answered = answered;
        this.asked = asked;
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
