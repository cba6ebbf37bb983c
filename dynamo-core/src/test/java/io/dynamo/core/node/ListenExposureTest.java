package io.dynamo.core.node;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.dynamo.spi.transport.Endpoint;
import org.junit.jupiter.api.Test;

/** Which listen addresses count as loopback for a node whose transport does not authenticate its callers. */
class ListenExposureTest {
    @Test
    void loopbackAddressesAndNames() {
        assertTrue(ListenExposure.isLoopback(new Endpoint("127.0.0.1:7000")));
        assertTrue(ListenExposure.isLoopback(new Endpoint("127.0.0.2:7000")));
        assertTrue(ListenExposure.isLoopback(new Endpoint("[::1]:7000")));
        assertFalse(ListenExposure.isLoopback(new Endpoint("0.0.0.0:7000")));
        assertFalse(ListenExposure.isLoopback(new Endpoint("[::]:7000")));
        assertFalse(ListenExposure.isLoopback(new Endpoint("10.1.2.3:7000")));
        assertFalse(ListenExposure.isLoopback(new Endpoint("not-host-port")));
    }

}
