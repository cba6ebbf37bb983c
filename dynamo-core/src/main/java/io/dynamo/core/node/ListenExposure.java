package io.dynamo.core.node;

import io.dynamo.core.config.NodeConfig;
import io.dynamo.spi.ConfigException;
import io.dynamo.spi.transport.Endpoint;
import io.dynamo.spi.transport.Transport;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.Arrays;
import org.slf4j.Logger;

/**
 * A node whose transport does not authenticate its callers ({@link Transport#authenticates()}
 * is false) serves anyone who can reach it, every request treated as a peer's; such a node
 * listens on a loopback address only. Checked when the node is assembled, before its storage
 * is opened and before anything is bound.
 */
final class ListenExposure {
    private ListenExposure() {}

    /**
     * Refuses a non-loopback {@code listen} address of an unauthenticated {@code transport}
     * (named {@code transportName}) with a {@link ConfigException} naming {@code node.listen} and
     * the transport's secret; on loopback, logs one WARN line saying so.
     */
    static void check(Endpoint listen, String transportName, Transport transport, Logger log) {
        if (transport.authenticates()) {
            return;
        }
        if (!isLoopback(listen)) {
            throw new ConfigException(NodeConfig.NODE_LISTEN, listen + " is not a loopback address, and the "
                    + transportName + " transport does not authenticate its callers: anyone who reaches the node could"
                    + " read, write and change the ring. Set " + transportName + ".secret (or " + transportName
                    + ".secret-file) on every node and client, or listen on 127.0.0.1");
        }
        log.warn("node accepts unauthenticated requests (no {}.secret): it listens on loopback {} only", transportName,
                listen);
    }

    /** True when every address {@code listen}'s host names is a loopback address. */
    static boolean isLoopback(Endpoint listen) {
        String host;
        try {
            host = listen.host();
        } catch (RuntimeException notHostPort) {
            return false;
        }
        try {
            InetAddress[] addresses = InetAddress.getAllByName(host);
            return addresses.length > 0 && Arrays.stream(addresses).allMatch(InetAddress::isLoopbackAddress);
        } catch (UnknownHostException e) {
            return false;
        }
    }
}
