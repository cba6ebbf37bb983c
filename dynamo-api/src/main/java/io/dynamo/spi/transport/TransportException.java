package io.dynamo.spi.transport;

import io.dynamo.api.DynamoException;

/** A peer that cannot be reached, a connection that broke, or a peer that failed the request. */
public class TransportException extends DynamoException {
    public TransportException(String message) {
        super(message);
    }

    public TransportException(String message, Throwable cause) {
        super(message, cause);
    }
}
