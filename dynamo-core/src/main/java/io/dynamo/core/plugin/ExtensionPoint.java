package io.dynamo.core.plugin;

import static java.util.Objects.requireNonNull;

import io.dynamo.core.config.NodeConfig;
import io.dynamo.spi.DynamoPlugin;
import io.dynamo.spi.ExtensionFactory;
import io.dynamo.spi.causality.CausalityScheme;
import io.dynamo.spi.causality.CausalitySchemeFactory;
import io.dynamo.spi.partition.Partitioner;
import io.dynamo.spi.partition.PartitionerFactory;
import io.dynamo.spi.resolution.ConflictResolver;
import io.dynamo.spi.resolution.ConflictResolverFactory;
import io.dynamo.spi.storage.StorageEngine;
import io.dynamo.spi.storage.StorageEngineFactory;
import io.dynamo.spi.transport.Transport;
import io.dynamo.spi.transport.TransportFactory;
import java.util.List;
import java.util.function.Function;

/**
 * One kind of extension a plugin contributes: how to read its factories off a
 * {@link DynamoPlugin}, how people call it, and which node config key selects it. Immutable;
 * the instances are the constants below.
 *
 * @param <T> the product, e.g. {@link StorageEngine}
 * @param <F> its factory, e.g. {@link StorageEngineFactory}
 */
public final class ExtensionPoint<T, F extends ExtensionFactory<T>> {
    public static final ExtensionPoint<Partitioner, PartitionerFactory> PARTITIONER = new ExtensionPoint<>(
            "partitioner", "partitioners", NodeConfig.PARTITIONER, DynamoPlugin::partitioners);
    public static final ExtensionPoint<ConflictResolver, ConflictResolverFactory> CONFLICT_RESOLVER = new ExtensionPoint<>(
            "conflict resolver", "conflict resolvers", NodeConfig.RESOLVER, DynamoPlugin::conflictResolvers);
    public static final ExtensionPoint<StorageEngine, StorageEngineFactory> STORAGE_ENGINE = new ExtensionPoint<>(
            "storage engine", "storage engines", NodeConfig.STORAGE, DynamoPlugin::storageEngines);
    public static final ExtensionPoint<Transport, TransportFactory> TRANSPORT = new ExtensionPoint<>(
            "transport", "transports", NodeConfig.TRANSPORT, DynamoPlugin::transports);
    public static final ExtensionPoint<CausalityScheme, CausalitySchemeFactory> CAUSALITY = new ExtensionPoint<>(
            "causality scheme", "causality schemes", NodeConfig.CAUSALITY, DynamoPlugin::causalitySchemes);

    private static final List<ExtensionPoint<?, ?>> ALL =
            List.of(PARTITIONER, CONFLICT_RESOLVER, STORAGE_ENGINE, TRANSPORT, CAUSALITY);

    private final String description;
    private final String pluralDescription;
    private final String configKey;
    private final Function<DynamoPlugin, List<F>> contributions;

    private ExtensionPoint(String description, String pluralDescription, String configKey,
            Function<DynamoPlugin, List<F>> contributions) {
        this.description = requireNonNull(description, "description is null");
        this.pluralDescription = requireNonNull(pluralDescription, "pluralDescription is null");
        this.configKey = requireNonNull(configKey, "configKey is null");
        this.contributions = requireNonNull(contributions, "contributions is null");
    }

    /** Every extension point, in a fixed order. */
    public static List<ExtensionPoint<?, ?>> all() {
        return ALL;
    }

    /** What people call it, e.g. {@code storage engine}. */
    public String description() {
        return description;
    }

    /** The plural, e.g. {@code storage engines}. */
    public String pluralDescription() {
        return pluralDescription;
    }

    /** The node config key that selects an implementation by name, e.g. {@code storage}. */
    public String configKey() {
        return configKey;
    }

    /** The factories {@code plugin} contributes; a call into plugin code. */
    List<F> contributionsOf(DynamoPlugin plugin) {
        return contributions.apply(plugin);
    }

    @Override
    public String toString() {
        return description;
    }
}
