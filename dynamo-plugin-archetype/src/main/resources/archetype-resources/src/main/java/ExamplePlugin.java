package ${package};

import io.dynamo.spi.DynamoPlugin;
import io.dynamo.spi.resolution.ConflictResolverFactory;
import io.dynamo.spi.partition.PartitionerFactory;
import io.dynamo.spi.storage.StorageEngineFactory;
import java.util.List;

/**
 * The plugin's entry point, listed in {@code META-INF/services/io.dynamo.spi.DynamoPlugin}: a
 * node finds it there and selects each contribution by name in its config, e.g.
 * {@code partitioner=example-hash}, {@code resolver=example-max}, {@code storage=example-memory}.
 * Keep what you contribute; delete the rest.
 */
public final class ExamplePlugin implements DynamoPlugin {
    @Override
    public List<PartitionerFactory> partitioners() {
        return List.of(new ExamplePartitionerFactory());
    }

    @Override
    public List<ConflictResolverFactory> conflictResolvers() {
        return List.of(new ExampleResolverFactory());
    }

    @Override
    public List<StorageEngineFactory> storageEngines() {
        return List.of(new ExampleStorageEngineFactory());
    }
}
