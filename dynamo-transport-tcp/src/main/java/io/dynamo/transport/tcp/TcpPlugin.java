package io.dynamo.transport.tcp;

import io.dynamo.spi.DynamoPlugin;
import io.dynamo.spi.transport.TransportFactory;
import java.util.List;

/**
 * The {@code tcp} transport plugin: node-to-node and client-to-node requests over TCP, on
 * Netty. Select it with {@code transport=tcp}; configure it with the {@code tcp.*} keys listed
 * in this module's README.
 */
public final class TcpPlugin implements DynamoPlugin {
    @Override
    public List<TransportFactory> transports() {
        return List.of(new TcpTransportFactory());
    }
}
