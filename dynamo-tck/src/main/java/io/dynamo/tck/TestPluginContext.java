package io.dynamo.tck;

import static java.util.Objects.requireNonNull;

import io.dynamo.spi.PluginContext;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * The {@link PluginContext} a node hands a factory, for a plugin's own tests: a node id and an
 * existing, writable data directory (a JUnit {@code @TempDir}, or a {@link TempDataDirectory}).
 * Immutable.
 *
 * <pre>{@code
 * @TempDir Path data;
 *
 * @Test
 * void createsWithItsDocumentedSettings() {
 *     PluginContext context = TestPluginContext.in(data);
 *     try (StorageEngine engine = new SkiplistFactory().create(
 *             new PluginConfig("skiplist", Map.of("max-keys-per-partition", "10")), context)) {
 *         ...
 *     }
 * }
 * }</pre>
 */
public final class TestPluginContext implements PluginContext {
    /** The node id {@link #in(Path)} uses. */
    public static final String DEFAULT_NODE_ID = "test-node";

    private final String nodeId;
    private final Path dataDirectory;

    /**
     * A context for node {@code nodeId} whose data directory is {@code dataDirectory}, which must
     * exist and be a writable directory, as a node's is.
     */
    public TestPluginContext(String nodeId, Path dataDirectory) {
        this.nodeId = requireNonNull(nodeId, "nodeId is null");
        this.dataDirectory = requireNonNull(dataDirectory, "dataDirectory is null");
        if (nodeId.isBlank()) {
            throw new IllegalArgumentException("nodeId is blank");
        }
        if (!Files.isDirectory(dataDirectory) || !Files.isWritable(dataDirectory)) {
            throw new IllegalArgumentException("the data directory " + dataDirectory
                    + " must exist and be writable, as a node's is");
        }
    }

    /** A context for node {@value #DEFAULT_NODE_ID} with {@code dataDirectory}. */
    public static TestPluginContext in(Path dataDirectory) {
        return new TestPluginContext(DEFAULT_NODE_ID, dataDirectory);
    }

    @Override
    public String nodeId() {
        return nodeId;
    }

    @Override
    public Path dataDirectory() {
        return dataDirectory;
    }

    @Override
    public String toString() {
        return "TestPluginContext{node " + nodeId + ", data in " + dataDirectory + "}";
    }
}
