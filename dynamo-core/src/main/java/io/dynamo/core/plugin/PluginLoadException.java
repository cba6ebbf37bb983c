package io.dynamo.core.plugin;

import io.dynamo.api.DynamoException;

/**
 * A plugin that cannot be used: a broken jar (its provider class is missing, its constructor
 * throws, a class it needs is absent), a bad or duplicate factory name, or a product that failed
 * to start for a reason other than its configuration. The message names the jar or folder.
 */
public class PluginLoadException extends DynamoException {
    public PluginLoadException(String message) {
        super(message);
    }

    public PluginLoadException(String message, Throwable cause) {
        super(message, cause);
    }
}
