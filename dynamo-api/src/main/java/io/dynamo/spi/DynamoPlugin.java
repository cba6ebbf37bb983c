package io.dynamo.spi;

import io.dynamo.spi.causality.CausalitySchemeFactory;
import io.dynamo.spi.partition.PartitionerFactory;
import io.dynamo.spi.resolution.ConflictResolverFactory;
import io.dynamo.spi.storage.StorageEngineFactory;
import io.dynamo.spi.transport.TransportFactory;
import java.util.List;

/**
 * The one entry point of a plugin, found by {@link java.util.ServiceLoader}: list the
 * implementing class in {@code META-INF/services/io.dynamo.spi.DynamoPlugin}. Override the
 * methods for what the plugin contributes; the rest contribute nothing.
 *
 * <p>The class needs a public no-argument constructor, which should do no work: a constructor
 * that throws makes the node report the plugin's jar as broken. Every method is called once,
 * at start, from one thread. New extension points arrive as new {@code default} methods, so a
 * plugin built against an older API keeps working.
 */
public interface DynamoPlugin {
    default List<PartitionerFactory> partitioners() {
        return List.of();
    }

    default List<ConflictResolverFactory> conflictResolvers() {
        return List.of();
    }

    default List<StorageEngineFactory> storageEngines() {
        return List.of();
    }

    default List<TransportFactory> transports() {
        return List.of();
    }

    /** Since SPI version 3. */
    default List<CausalitySchemeFactory> causalitySchemes() {
        return List.of();
    }
}
