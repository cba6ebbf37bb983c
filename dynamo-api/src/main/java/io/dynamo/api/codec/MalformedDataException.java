package io.dynamo.api.codec;

import io.dynamo.api.DynamoException;

/** Bytes that do not decode: damage on disk or garbage on the wire. */
public class MalformedDataException extends DynamoException {
    public MalformedDataException(String message) {
        super(message);
    }

    public MalformedDataException(String message, Throwable cause) {
        super(message, cause);
    }
}
