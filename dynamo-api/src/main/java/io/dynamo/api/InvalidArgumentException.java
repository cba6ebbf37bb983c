package io.dynamo.api;

/** A request or a setting the store cannot accept: a null, an oversized key, a malformed context. */
public class InvalidArgumentException extends DynamoException {
    public InvalidArgumentException(String message) {
        super(message);
    }

    public InvalidArgumentException(String message, Throwable cause) {
        super(message, cause);
    }
}
