package io.dynamo.bench.ycsb;

import com.google.inject.Guice;
import com.google.inject.Stage;
import io.dynamo.api.Bytes;
import io.dynamo.api.DynamoException;
import io.dynamo.api.RequestOptions;
import io.dynamo.core.client.DynamoClient;
import io.dynamo.core.config.ConfigModule;
import io.dynamo.core.config.NodeConfig;
import io.dynamo.core.config.NodePluginContext;
import io.dynamo.core.node.DynamoNode;
import io.dynamo.core.node.ReplicationModule;
import io.dynamo.core.plugin.ExtensionPoint;
import io.dynamo.core.plugin.PluginModule;
import io.dynamo.core.plugin.PluginRegistry;
import io.dynamo.spi.PluginConfig;
import io.dynamo.spi.transport.Endpoint;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * Real nodes in this JVM, each assembled as {@code dynamo server} assembles one (an injector of
 * the config, the class path's plugins and the replication module), serving over the tcp
 * transport on 127.0.0.1 with the memory storage engine.
 */
final class TcpNodes implements AutoCloseable {
    private final PluginRegistry plugins;
    private final List<DynamoNode> nodes = new ArrayList<>();
    private final List<Endpoint> endpoints = new ArrayList<>();

    private TcpNodes(PluginRegistry plugins) {
        this.plugins = plugins;
    }

    /** Starts {@code count} nodes (N = 3, R = W = 2 once there are 3) and waits until each reaches every other. */
    static TcpNodes start(int count, Path directory, Map<String, String> settings) {
        List<Integer> ports = freePorts(count);
        String members = java.util.stream.IntStream.range(0, count)
                .mapToObj(i -> "node-" + (i + 1) + "@127.0.0.1:" + ports.get(i))
                .collect(Collectors.joining(","));
        // no plugins directory: the class path has the tcp transport and the md5 partitioner
        TcpNodes cluster = new TcpNodes(PluginRegistry.load(directory.resolve("no-plugins")));
        try {
            for (int i = 0; i < count; i++) {
                String id = "node-" + (i + 1);
                Map<String, String> config = new LinkedHashMap<>(settings);
                config.put(NodeConfig.NODE_ID, id);
                config.put(NodeConfig.NODE_DATA_DIR, directory.resolve(id).toString());
                config.put(NodeConfig.CLUSTER_MEMBERS, members);
                config.put(NodeConfig.STORAGE, "memory");
                config.put(NodeConfig.TRANSPORT, "tcp");
                NodeConfig nodeConfig = NodeConfig.of(config);
                DynamoNode node = Guice.createInjector(Stage.PRODUCTION, new ConfigModule(nodeConfig),
                        new PluginModule(cluster.plugins), new ReplicationModule()).getInstance(DynamoNode.class);
                cluster.nodes.add(node.start());
                cluster.endpoints.add(nodeConfig.listen());
            }
            cluster.awaitConnected(directory);
            return cluster;
        } catch (RuntimeException | Error e) {
            cluster.close();
            throw e;
        }
    }

    /** {@code host:port,...} of every node, for {@code dynamo.nodes}. */
    String addresses() {
        return endpoints.stream().map(Endpoint::toString).collect(Collectors.joining(","));
    }

    /**
     * Waits until every node, as coordinator, reaches every replica (a read at R = all nodes
     * succeeds through it): nodes started one after another have tried peers that were not
     * listening yet, and back off from them for a moment.
     */
    private void awaitConnected(Path directory) {
        long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
        for (Endpoint endpoint : endpoints) {
            var transport = plugins.create(ExtensionPoint.TRANSPORT, "tcp", PluginConfig.empty("tcp"),
                    new NodePluginContext("probe", directory));
            try (DynamoClient client = DynamoClient.builder(transport, List.of(endpoint)).timeout(Duration.ofSeconds(2)).build()) {
                while (true) {
                    try {
                        client.get(Bytes.utf8("connectivity-probe"), RequestOptions.quorum(endpoints.size()));
                        break;
                    } catch (DynamoException e) {
                        if (System.nanoTime() > deadline) {
                            throw new IllegalStateException("nodes not connected after 30 s: " + e.getMessage(), e);
                        }
                        Thread.sleep(100);
                    }
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException("interrupted while waiting for the nodes", e);
            }
        }
    }

    @Override
    public void close() {
        try {
            nodes.forEach(DynamoNode::close);
            nodes.clear();
        } finally {
            plugins.close();
        }
    }

    private static List<Integer> freePorts(int count) {
        List<ServerSocket> sockets = new ArrayList<>();
        try {
            for (int i = 0; i < count; i++) {
                sockets.add(new ServerSocket(0, 1, InetAddress.getLoopbackAddress()));
            }
            return sockets.stream().map(ServerSocket::getLocalPort).toList();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } finally {
            for (ServerSocket socket : sockets) {
                try {
                    socket.close();
                } catch (IOException ignored) {
                    // the port number is all we wanted
                }
            }
        }
    }
}
