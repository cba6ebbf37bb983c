package io.dynamo.spi.storage;

import io.dynamo.api.DynamoException;
import java.nio.file.Path;

/** Stored data that cannot be read; names the file. The node refuses to start over it. */
public class CorruptDataException extends DynamoException {
    private final Path file;

    public CorruptDataException(Path file, String message, Throwable cause) {
        super(file + ": " + message, cause);
        this.file = file;
    }

    public Path file() {
        return file;
    }
}
