package io.dynamo.api;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.dynamo.spi.transport.Endpoint;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** {@link Endpoint}, from {@code io.dynamo.spi.transport}; kept with the other dynamo-api tests. */
class EndpointTest {
    @Test
    void hostAndPort() {
        Endpoint endpoint = new Endpoint("127.0.0.1:7000");
        assertEquals("127.0.0.1", endpoint.host());
        assertEquals(7000, endpoint.port());
        assertEquals("127.0.0.1:7000", endpoint.toString());
    }

    @Test
    void ipv6HostsAreBracketed() {
        Endpoint endpoint = Endpoint.of("::1", 7000);
        assertEquals("[::1]:7000", endpoint.address());
        assertEquals("::1", endpoint.host());
        assertEquals(7000, endpoint.port());
        assertEquals(endpoint, new Endpoint("[::1]:7000"));
    }

    @Test
    void ofBuildsHostColonPort() {
        assertEquals(new Endpoint("localhost:0"), Endpoint.of("localhost", 0));
        assertEquals(65535, Endpoint.of("localhost", 65535).port());
    }

    @Test
    void aNodeIdIsAnEndpointButHasNoPort() {
        Endpoint local = new Endpoint("node-1");
        assertEquals("endpoint 'node-1' is not host:port", assertThrows(InvalidArgumentException.class, local::port).getMessage());
        assertThrows(InvalidArgumentException.class, local::host);
    }

    @ParameterizedTest
    @ValueSource(strings = {"host:", "host:x", "host:65536", "host:-1", "8080"})
    void badPortsAreInvalidArguments(String address) {
        assertEquals("endpoint '" + address + "' is not host:port",
                assertThrows(InvalidArgumentException.class, () -> new Endpoint(address).port()).getMessage());
    }

    @ParameterizedTest
    @ValueSource(strings = {"", " ", "\t"})
    void blankAddressesAreRefused(String address) {
        assertThrows(InvalidArgumentException.class, () -> new Endpoint(address));
    }

    @Test
    void nullIsRefused() {
        assertThrows(InvalidArgumentException.class, () -> new Endpoint(null));
    }
}
