package io.dynamo.transport.tcp;

import io.dynamo.spi.PluginConfig;
import io.dynamo.spi.PluginContext;
import io.dynamo.spi.transport.Endpoint;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;

/** Makes tcp transports through the plugin's own factory, as a node would. */
final class Transports {
    static final Endpoint ANY_LOOPBACK_PORT = Endpoint.of("127.0.0.1", 0);

    private record Context(String nodeId, Path dataDirectory) implements PluginContext {}

    private Transports() {}

    /** A transport with test-friendly defaults (small pool, one I/O thread) plus {@code settings}. */
    static TcpTransport create(String nodeId, Map<String, String> settings) {
        Map<String, String> values = new HashMap<>();
        values.put("io-threads", "1");
        values.put("reconnect-backoff", "50ms");
        values.put("reconnect-backoff-max", "200ms");
        values.put("shutdown-grace", "500ms");
        values.putAll(settings);
        TcpPlugin plugin = new TcpPlugin();
        return (TcpTransport) plugin.transports().get(0)
                .create(new PluginConfig("tcp", values), new Context(nodeId, Path.of("unused")));
    }

    static TcpTransport create(String nodeId) {
        return create(nodeId, Map.of());
    }
}
