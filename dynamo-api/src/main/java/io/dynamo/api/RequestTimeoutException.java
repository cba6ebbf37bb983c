package io.dynamo.api;

/** A request that did not complete within its timeout. */
public class RequestTimeoutException extends DynamoException {
    public RequestTimeoutException(String message) {
        super(message);
    }
}
