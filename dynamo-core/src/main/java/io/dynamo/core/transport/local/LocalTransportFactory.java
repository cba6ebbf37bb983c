package io.dynamo.core.transport.local;

import io.dynamo.spi.PluginConfig;
import io.dynamo.spi.PluginContext;
import io.dynamo.spi.transport.Transport;
import io.dynamo.spi.transport.TransportFactory;
import java.util.Optional;
import java.util.Set;

/**
 * The {@value #NAME} transport: nodes of one process talk through a {@link LocalNetwork} held
 * by this factory instance (so every node made from one plugin registry shares it). The
 * network runs on real time without faults; tests that inject faults or need replay make
 * their own {@link LocalNetwork} (see {@link io.dynamo.core.cluster.InProcessCluster}).
 *
 * <p>Settings: {@code local.seed} (default 0), the seed of the network's random source,
 * read when the first transport is made.
 */
public final class LocalTransportFactory implements TransportFactory {
    public static final String NAME = "local";

    private LocalNetwork network; // guarded by this

    @Override
    public String name() {
        return NAME;
    }

    /** {@inheritDoc} {@code seed}. */
    @Override
    public Optional<Set<String>> settingKeys() {
        return Optional.of(Set.of("seed"));
    }

    @Override
    public Transport create(PluginConfig config, PluginContext context) {
        long seed = config.getLong("seed", 0);
        synchronized (this) {
            if (network == null) {
                network = LocalNetwork.realTime(seed);
            }
            return network.transport(context.nodeId());
        }
    }
}
