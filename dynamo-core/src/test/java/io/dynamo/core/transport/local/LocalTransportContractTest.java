package io.dynamo.core.transport.local;

import io.dynamo.spi.transport.Endpoint;
import io.dynamo.spi.transport.Transport;
import io.dynamo.tck.TransportContractTest;
import org.junit.jupiter.api.AfterEach;

/** The transport contract, for the {@code local} transport on a real-time network (one per test). */
class LocalTransportContractTest extends TransportContractTest {
    private final LocalNetwork network = LocalNetwork.realTime(5);

    @Override
    protected Transport newTransport() {
        return network.transport();
    }

    @Override
    protected Endpoint bindAddress(String name) {
        return new Endpoint(name);
    }

    @AfterEach
    void closeNetwork() {
        network.close();
    }
}
