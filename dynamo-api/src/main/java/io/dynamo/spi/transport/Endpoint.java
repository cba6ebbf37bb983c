package io.dynamo.spi.transport;

import io.dynamo.api.InvalidArgumentException;

/**
 * Where a node listens, in the form its transport understands: {@code host:port} for
 * {@code tcp} ({@code [::1]:7000} for IPv6), the node id for the in-process {@code local}
 * transport.
 */
public record Endpoint(String address) {
    public Endpoint {
        if (address == null || address.isBlank()) {
            throw new InvalidArgumentException("endpoint address is empty");
        }
    }

    /** The host part of a {@code host:port} address. */
    public String host() {
        int colon = address.lastIndexOf(':');
        if (colon < 0) {
            throw new InvalidArgumentException("endpoint '" + address + "' is not host:port");
        }
        String host = address.substring(0, colon);
        return host.startsWith("[") && host.endsWith("]") ? host.substring(1, host.length() - 1) : host;
    }

    /** The port of a {@code host:port} address. */
    public int port() {
        int colon = address.lastIndexOf(':');
        try {
            int port = Integer.parseInt(address.substring(colon + 1));
            if (colon < 0 || port < 0 || port > 65535) {
                throw new NumberFormatException();
            }
            return port;
        } catch (NumberFormatException e) {
            throw new InvalidArgumentException("endpoint '" + address + "' is not host:port");
        }
    }

    public static Endpoint of(String host, int port) {
        return new Endpoint(host.contains(":") ? "[" + host + "]:" + port : host + ":" + port);
    }

    @Override
    public String toString() {
        return address;
    }
}
