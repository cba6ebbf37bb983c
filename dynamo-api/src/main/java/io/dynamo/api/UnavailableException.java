package io.dynamo.api;

/** Not enough reachable nodes to even try the request (e.g. fewer healthy nodes than W). */
public class UnavailableException extends DynamoException {
    public UnavailableException(String message) {
        super(message);
    }

    public UnavailableException(String message, Throwable cause) {
        super(message, cause);
    }
}
