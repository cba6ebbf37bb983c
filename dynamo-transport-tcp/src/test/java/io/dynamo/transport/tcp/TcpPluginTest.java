package io.dynamo.transport.tcp;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.dynamo.spi.DynamoPlugin;
import io.dynamo.tck.DynamoPluginContractTest;
import org.junit.jupiter.api.Test;

class TcpPluginTest extends DynamoPluginContractTest {
    @Override
    protected Class<? extends DynamoPlugin> pluginClass() {
        return TcpPlugin.class;
    }

    @Test
    void contributesOneTransportNamedTcp() {
        assertEquals(1, new TcpPlugin().transports().size());
        assertEquals("tcp", new TcpPlugin().transports().get(0).name());
    }
}
