package io.dynamo.transport.tcp;

import io.dynamo.spi.PluginConfig;
import io.dynamo.spi.PluginContext;
import io.dynamo.spi.transport.Transport;
import io.dynamo.spi.transport.TransportFactory;
import java.util.Optional;
import java.util.Set;

/** Makes {@code tcp} transports from the {@code tcp.*} config keys. */
final class TcpTransportFactory implements TransportFactory {
    static final String NAME = "tcp";

    @Override
    public String name() {
        return NAME;
    }

    /** {@inheritDoc} See {@link TcpConfig#KEYS}. */
    @Override
    public Optional<Set<String>> settingKeys() {
        return Optional.of(TcpConfig.KEYS);
    }

    @Override
    public Transport create(PluginConfig config, PluginContext context) {
        return new TcpTransport(context.nodeId(), TcpConfig.from(config), context.metrics());
    }
}
