package io.dynamo.storage.chronicle;

import io.dynamo.spi.PluginContext;
import java.nio.file.Path;

/** The node facts a test engine runs with. */
record TestContext(String nodeId, Path dataDirectory) implements PluginContext {
    TestContext(Path dataDirectory) {
        this("node-1", dataDirectory);
    }
}
