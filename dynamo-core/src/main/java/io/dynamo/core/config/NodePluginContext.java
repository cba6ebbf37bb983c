package io.dynamo.core.config;

import static java.util.Objects.requireNonNull;

import io.dynamo.spi.PluginContext;
import java.nio.file.Path;

/** The {@link PluginContext} of one node: its id and data directory. */
public record NodePluginContext(String nodeId, Path dataDirectory) implements PluginContext {
    public NodePluginContext {
        requireNonNull(nodeId, "nodeId is null");
        requireNonNull(dataDirectory, "dataDirectory is null");
    }
}
