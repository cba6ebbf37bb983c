package io.dynamo.server;

import io.dynamo.api.InvalidArgumentException;
import io.dynamo.spi.transport.Endpoint;
import java.util.ArrayList;
import java.util.List;

/** Parses the {@code host:port} lists of the command line. */
final class Addresses {
    private Addresses() {}

    /** {@code host:port,host:port,...}; every entry must have a host and a port in 1-65535. */
    static List<Endpoint> parse(String option, List<String> addresses) {
        List<Endpoint> endpoints = new ArrayList<>();
        for (String raw : addresses) {
            String address = raw.trim();
            try {
                Endpoint endpoint = new Endpoint(address);
                if (endpoint.host().isEmpty() || endpoint.port() == 0) {
                    throw new InvalidArgumentException("no host or port 0");
                }
                endpoints.add(endpoint);
            } catch (InvalidArgumentException e) {
                throw new InvalidArgumentException(option + ": '" + address + "' is not host:port");
            }
        }
        if (endpoints.isEmpty()) {
            throw new InvalidArgumentException(option + ": no address given");
        }
        return List.copyOf(endpoints);
    }
}
