package io.dynamo.spi;

import io.dynamo.api.InvalidArgumentException;

/** A missing or malformed configuration value; the message names the full key. */
public class ConfigException extends InvalidArgumentException {
    private final String key;

    public ConfigException(String key, String message) {
        super(key + ": " + message);
        this.key = key;
    }

    /** The full key, e.g. {@code chronicle.entries}. */
    public String key() {
        return key;
    }
}
