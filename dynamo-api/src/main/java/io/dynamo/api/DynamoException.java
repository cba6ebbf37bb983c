package io.dynamo.api;

/** The base of every exception the store throws to its users and plugins. Unchecked. */
public class DynamoException extends RuntimeException {
    public DynamoException(String message) {
        super(message);
    }

    public DynamoException(String message, Throwable cause) {
        super(message, cause);
    }
}
