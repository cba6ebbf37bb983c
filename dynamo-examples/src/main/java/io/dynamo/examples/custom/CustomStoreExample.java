package io.dynamo.examples.custom;

import io.dynamo.api.Bytes;
import io.dynamo.api.Context;
import io.dynamo.api.DynamoStore;
import io.dynamo.api.ReadResult;
import io.dynamo.core.cluster.InProcessCluster;
import io.dynamo.core.config.NodePluginContext;
import io.dynamo.core.plugin.ExtensionPoint;
import io.dynamo.core.plugin.PluginRegistry;
import io.dynamo.spi.PluginConfig;
import io.dynamo.spi.partition.Partitioner;
import io.dynamo.spi.resolution.ConflictResolver;
import io.dynamo.spi.storage.StorageEngineFactory;
import java.io.IOException;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Assembles a store from plugins chosen by name, as a node config would: every plugin on the
 * class path and in {@code ./plugins} is discovered, then the {@code md5} partitioner, a storage
 * engine (default {@code chronicle}, persistent) and a resolver (default {@code max-register},
 * the third-party plugin of this module) are picked by name and wired into a three-node
 * in-process cluster.
 *
 * <p>Arguments: {@code [storage-name] [resolver-name]}; an unknown name ends with the list of
 * what exists.
 */
public final class CustomStoreExample {
    private final PrintStream out;

    CustomStoreExample(PrintStream out) {
        this.out = out;
    }

    public static void main(String[] args) throws IOException {
        String storage = args.length > 0 ? args[0] : "chronicle";
        String resolver = args.length > 1 ? args[1] : "max-register";
        Path data = Files.createTempDirectory("dynamo-custom-store");
        new CustomStoreExample(System.out).run(Path.of("plugins"), data, storage, resolver);
    }

    /** Builds the store, writes two concurrent high-water marks, and returns what a read sees. */
    ReadResult run(Path pluginsDirectory, Path dataDirectory, String storageName, String resolverName) {
        try (PluginRegistry registry = PluginRegistry.load(pluginsDirectory)) {
            for (ExtensionPoint<?, ?> point : ExtensionPoint.all()) {
                out.println(point.pluralDescription() + ": " + registry.available(point));
            }
            NodePluginContext context = new NodePluginContext("example", dataDirectory);
            Partitioner partitioner = registry.create(ExtensionPoint.PARTITIONER, "md5", PluginConfig.empty("md5"), context);
            ConflictResolver resolver = registry.create(ExtensionPoint.CONFLICT_RESOLVER, resolverName,
                    PluginConfig.empty(resolverName), context);
            StorageEngineFactory storage = registry.factory(ExtensionPoint.STORAGE_ENGINE, storageName).factory();
            out.println("assembled: md5 + " + storageName + " + " + resolverName + " in " + dataDirectory);

            try (InProcessCluster cluster = InProcessCluster.builder().nodes(3).replication(3, 2, 2)
                    .partitioner("md5", partitioner).resolver(resolver).storage(storage).dataDirectory(dataDirectory)
                    .build()) {
                DynamoStore left = cluster.client("left");
                DynamoStore right = cluster.client("right");
                Bytes key = Bytes.utf8("high-water:orders");
                left.put(key, Bytes.utf8("41"), Context.EMPTY);
                right.put(key, Bytes.utf8("57"), Context.EMPTY);
                ReadResult read = left.get(key);
                out.println("two concurrent writes (41, 57) read back as " + read.values().stream().map(Bytes::asUtf8).toList());
                return read;
            }
        } catch (UncheckedIOException e) {
            throw new IllegalStateException("cannot assemble the store: " + e.getMessage(), e);
        }
    }
}
