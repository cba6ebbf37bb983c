package io.dynamo.tck;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.attribute.BasicFileAttributes;

/**
 * A fresh data directory for a plugin's tests, deleted with everything in it on {@link #close()}:
 * for tests that make a product outside JUnit's {@code @TempDir} (a {@code main}, a jqwik
 * property with one directory per try), or that reopen an engine in the same directory.
 *
 * <pre>{@code
 * try (TempDataDirectory data = TempDataDirectory.create();
 *         StorageEngine engine = factory.create(config, data.context())) {
 *     ...
 * }
 * }</pre>
 *
 * Close the products made in it first (try-with-resources closes in reverse order).
 */
public final class TempDataDirectory implements AutoCloseable {
    private final Path path;

    private TempDataDirectory(Path path) {
        this.path = path;
    }

    /** A new, empty directory under the system's temporary directory. */
    public static TempDataDirectory create() {
        try {
            return new TempDataDirectory(Files.createTempDirectory("dynamo-tck-data-"));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot create a temporary data directory", e);
        }
    }

    /** The directory. */
    public Path path() {
        return path;
    }

    /** A {@link TestPluginContext} of node {@value TestPluginContext#DEFAULT_NODE_ID} with this directory. */
    public TestPluginContext context() {
        return TestPluginContext.in(path);
    }

    /** A {@link TestPluginContext} of node {@code nodeId} with this directory. */
    public TestPluginContext context(String nodeId) {
        return new TestPluginContext(nodeId, path);
    }

    /** Deletes the directory and everything in it. Idempotent. */
    @Override
    public void close() {
        if (!Files.exists(path)) {
            return;
        }
        try {
            Files.walkFileTree(path, new SimpleFileVisitor<>() {
                @Override
                public FileVisitResult visitFile(Path file, BasicFileAttributes attributes) throws IOException {
                    Files.delete(file);
                    return FileVisitResult.CONTINUE;
                }

                @Override
                public FileVisitResult postVisitDirectory(Path directory, IOException failure) throws IOException {
                    if (failure != null) {
                        throw failure;
                    }
                    Files.delete(directory);
                    return FileVisitResult.CONTINUE;
                }
            });
        } catch (IOException e) {
            throw new UncheckedIOException("cannot delete the temporary data directory " + path, e);
        }
    }

    @Override
    public String toString() {
        return path.toString();
    }
}
