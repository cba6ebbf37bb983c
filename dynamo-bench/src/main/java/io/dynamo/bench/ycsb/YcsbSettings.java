package io.dynamo.bench.ycsb;

import static java.util.Objects.requireNonNull;

import io.dynamo.api.InvalidArgumentException;
import io.dynamo.spi.PluginConfig;
import io.dynamo.spi.transport.Endpoint;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;

/**
 * The binding's settings, read from the YCSB properties.
 *
 * @param nodes {@code dynamo.nodes}: host:port,... the client sends requests to
 * @param timeout {@code dynamo.timeout}: per request ({@code 2s}, {@code 500ms}; bare number = ms)
 * @param readQuorum {@code dynamo.read-quorum}: R per read, 0 for the cluster's
 * @param writeQuorum {@code dynamo.write-quorum}: W per write, 0 for the cluster's
 * @param transport the {@code dynamo.tcp.*} keys, for the tcp transport
 */
record YcsbSettings(List<Endpoint> nodes, Duration timeout, int readQuorum, int writeQuorum, PluginConfig transport) {
    static final String PREFIX = "dynamo.";
    static final String DEFAULT_NODES = "127.0.0.1:7001,127.0.0.1:7002,127.0.0.1:7003";

    YcsbSettings {
        nodes = List.copyOf(requireNonNull(nodes, "nodes is null"));
        requireNonNull(timeout, "timeout is null");
        requireNonNull(transport, "transport is null");
    }

    /** What makes two clients the same: where they connect, how, and their default timeout. */
    record ClientKey(List<Endpoint> nodes, Duration timeout, Map<String, String> transport) {}

    ClientKey clientKey() {
        return new ClientKey(nodes, timeout, transport.asMap());
    }

    static YcsbSettings from(Properties properties) {
        Map<String, String> dynamo = new HashMap<>();
        for (String name : properties.stringPropertyNames()) {
            if (name.startsWith(PREFIX)) {
                dynamo.put(name.substring(PREFIX.length()), properties.getProperty(name).trim());
            }
        }
        // PluginConfig gives typed parsing with errors that name the full key.
        PluginConfig config = new PluginConfig("dynamo", dynamo);
        List<Endpoint> nodes = new ArrayList<>();
        for (String address : config.getString("nodes", DEFAULT_NODES).split(",")) {
            Endpoint endpoint = new Endpoint(address.trim());
            try {
                endpoint.port();
            } catch (InvalidArgumentException e) {
                throw new InvalidArgumentException("dynamo.nodes: '" + address.trim() + "' is not host:port");
            }
            nodes.add(endpoint);
        }
        Map<String, String> tcp = new HashMap<>();
        dynamo.forEach((key, value) -> {
            if (key.startsWith("tcp.")) {
                tcp.put(key.substring("tcp.".length()), value);
            }
        });
        return new YcsbSettings(nodes,
                config.getDuration("timeout", Duration.ofSeconds(2)),
                config.getInt("read-quorum", 0),
                config.getInt("write-quorum", 0),
                new PluginConfig("tcp", tcp));
    }
}
