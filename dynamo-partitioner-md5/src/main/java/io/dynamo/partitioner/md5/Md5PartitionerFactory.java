package io.dynamo.partitioner.md5;

import io.dynamo.spi.PluginConfig;
import io.dynamo.spi.PluginContext;
import io.dynamo.spi.partition.Partitioner;
import io.dynamo.spi.partition.PartitionerFactory;
import java.util.Optional;
import java.util.Set;

/** Makes the {@value Md5Plugin#NAME} partitioner. It has no settings. */
final class Md5PartitionerFactory implements PartitionerFactory {
    @Override
    public String name() {
        return Md5Plugin.NAME;
    }

    /** {@inheritDoc} Reads none. */
    @Override
    public Optional<Set<String>> settingKeys() {
        return Optional.of(Set.of());
    }

    @Override
    public Partitioner create(PluginConfig config, PluginContext context) {
        return new Md5Partitioner();
    }
}
