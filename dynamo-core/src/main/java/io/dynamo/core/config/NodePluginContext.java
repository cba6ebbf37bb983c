package io.dynamo.core.config;

import static java.util.Objects.requireNonNull;

import io.dynamo.spi.Metrics;
import io.dynamo.spi.PluginContext;
import java.nio.file.Path;

/** The {@link PluginContext} of one node: its id, data directory and meters. */
public record NodePluginContext(String nodeId, Path dataDirectory, Metrics metrics) implements PluginContext {
    public NodePluginContext {
        requireNonNull(nodeId, "nodeId is null");
        requireNonNull(dataDirectory, "dataDirectory is null");
        requireNonNull(metrics, "metrics is null");
    }

    /** A context whose meters record nothing. */
    public NodePluginContext(String nodeId, Path dataDirectory) {
        this(nodeId, dataDirectory, Metrics.NONE);
    }
}
