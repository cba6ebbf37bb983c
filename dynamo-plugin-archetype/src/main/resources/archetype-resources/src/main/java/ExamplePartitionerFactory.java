package ${package};

import io.dynamo.spi.PluginConfig;
import io.dynamo.spi.PluginContext;
import io.dynamo.spi.partition.Partitioner;
import io.dynamo.spi.partition.PartitionerFactory;
import java.util.Optional;
import java.util.Set;

/** Makes {@link ExamplePartitioner}s; selected by {@code partitioner=example-hash}. */
final class ExamplePartitionerFactory implements PartitionerFactory {
    static final String NAME = "example-hash";

    @Override
    public String name() {
        return NAME;
    }

    /** No settings: a node refuses any {@code example-hash.*} key, naming it. */
    @Override
    public Optional<Set<String>> settingKeys() {
        return Optional.of(Set.of());
    }

    @Override
    public Partitioner create(PluginConfig config, PluginContext context) {
        return new ExamplePartitioner();
    }
}
