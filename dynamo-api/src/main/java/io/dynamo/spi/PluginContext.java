package io.dynamo.spi;

import java.nio.file.Path;

/**
 * What the node tells a plugin about where it runs. Implemented by the core; plugins only read
 * it. Thread-safe. New facts arrive as {@code default} methods.
 */
public interface PluginContext {
    /** The id of the node the product serves, unique in the cluster (e.g. {@code node-1}). */
    String nodeId();

    /**
     * The node's data directory: existing, writable, locked by the node. A plugin keeps its
     * files in a subdirectory named after itself.
     */
    Path dataDirectory();

    /**
     * The node's meters, for the plugin's own (connections, bytes, errors): they appear on the
     * node's metrics endpoint. {@link Metrics#NONE} where the node keeps no metrics. Since SPI 3.
     */
    default Metrics metrics() {
        return Metrics.NONE;
    }
}
