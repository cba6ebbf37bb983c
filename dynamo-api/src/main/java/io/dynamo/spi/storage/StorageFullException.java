package io.dynamo.spi.storage;

import io.dynamo.api.DynamoException;

/** The engine cannot take this write; the message says which setting to raise. Reads still work. */
public class StorageFullException extends DynamoException {
    public StorageFullException(String message, Throwable cause) {
        super(message, cause);
    }
}
