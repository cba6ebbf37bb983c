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
 * @param timeout {@code dynamo.timeout}: per request ({@code 5s}, {@code 500ms}; bare number =
 *     ms); 5 s by default, as {@code dynamo bench} and the other client commands
 * @param readQuorum {@code dynamo.read-quorum}: R per read, 0 for the cluster's
 * @param writeQuorum {@code dynamo.write-quorum}: W per write, 0 for the cluster's
 * @param insertRetries {@code dynamo.insert-retries}: how many more times an insert that timed
 *     out or missed its quorum is tried (YCSB ends a loading thread at its first failed insert)
 * @param insertBackoff {@code dynamo.insert-backoff}: the pause before the first retry of an
 *     insert, doubled before each further one
 * @param transport the {@code dynamo.tcp.*} keys, for the tcp transport
 * @param clientReads {@code dynamo.client-reads}: whether the client coordinates reads itself,
 *     with the partitioner the nodes name (true by default); false leaves them to a node
 */
record YcsbSettings(List<Endpoint> nodes, Duration timeout, int readQuorum, int writeQuorum,
        int insertRetries, Duration insertBackoff, PluginConfig transport, boolean clientReads) {
    static final String PREFIX = "dynamo.";
    static final String DEFAULT_NODES = "127.0.0.1:7001,127.0.0.1:7002,127.0.0.1:7003";
    static final Duration DEFAULT_TIMEOUT = Duration.ofSeconds(5);
    static final int DEFAULT_INSERT_RETRIES = 5;
    static final Duration DEFAULT_INSERT_BACKOFF = Duration.ofMillis(200);

    YcsbSettings {
        nodes = List.copyOf(requireNonNull(nodes, "nodes is null"));
        requireNonNull(timeout, "timeout is null");
        requireNonNull(insertBackoff, "insertBackoff is null");
        requireNonNull(transport, "transport is null");
        if (timeout.isZero() || timeout.isNegative()) {
            throw new InvalidArgumentException("dynamo.timeout must be positive: " + timeout);
        }
        if (insertRetries < 0) {
            throw new InvalidArgumentException("dynamo.insert-retries must not be negative: " + insertRetries);
        }
        if (insertBackoff.isNegative()) {
            throw new InvalidArgumentException("dynamo.insert-backoff must not be negative: " + insertBackoff);
        }
    }

    /** What makes two clients the same: where they connect, how, their default timeout and who coordinates reads. */
    record ClientKey(List<Endpoint> nodes, Duration timeout, Map<String, String> transport,
            boolean clientReads) {}

    ClientKey clientKey() {
        return new ClientKey(nodes, timeout, transport.asMap(), clientReads);
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
                config.getDuration("timeout", DEFAULT_TIMEOUT),
                config.getInt("read-quorum", 0),
                config.getInt("write-quorum", 0),
                config.getInt("insert-retries", DEFAULT_INSERT_RETRIES),
                config.getDuration("insert-backoff", DEFAULT_INSERT_BACKOFF),
                new PluginConfig("tcp", tcp),
                config.getBoolean("client-reads", true));
    }
}
