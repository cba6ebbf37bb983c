package io.dynamo.transport.tcp;

import io.dynamo.spi.transport.Endpoint;
import io.dynamo.spi.transport.Transport;
import io.dynamo.tck.TransportContractTest;

class TcpTransportContractTest extends TransportContractTest {
    private int created;

    @Override
    protected Transport newTransport() {
        return Transports.create("node-" + ++created);
    }

    @Override
    protected Endpoint bindAddress(String name) {
        return Transports.ANY_LOOPBACK_PORT;
    }
}
