package io.dynamo.server;

import io.dynamo.api.Bytes;
import io.dynamo.api.DynamoException;
import io.dynamo.api.RequestOptions;
import io.dynamo.core.client.DynamoClient;
import io.dynamo.core.config.NodeConfig;
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
 * Real nodes in this JVM, each assembled as {@code dynamo server} assembles one (one injector,
 * the plugins of the class path), talking over the tcp transport on 127.0.0.1. Also used by
 * other modules' tests (dynamo-server's test jar).
 */
public final class InProcessNodes implements AutoCloseable {
    private final List<ServerCommand.RunningNode> nodes = new ArrayList<>();
    private final List<Path> configs = new ArrayList<>();
    private final List<String> addresses = new ArrayList<>();

    /** Starts {@code count} nodes with {@code settings} added to each config; files under {@code directory}. */
    public static InProcessNodes start(int count, Path directory, Map<String, String> settings) {
        List<Integer> ports = freePorts(count);
        String members = java.util.stream.IntStream.range(0, count)
                .mapToObj(i -> "node-" + (i + 1) + "@127.0.0.1:" + ports.get(i))
                .collect(Collectors.joining(","));
        InProcessNodes cluster = new InProcessNodes();
        try {
            for (int i = 0; i < count; i++) {
                String id = "node-" + (i + 1);
                Map<String, String> config = new LinkedHashMap<>(settings);
                config.put(NodeConfig.NODE_ID, id);
                config.put(NodeConfig.NODE_DATA_DIR, directory.resolve(id).toString());
                config.put(NodeConfig.NODE_PLUGINS_DIR, directory.resolve("plugins").toString());
                config.put(NodeConfig.CLUSTER_MEMBERS, members);
                Path file = directory.resolve(id + ".properties");
                StringBuilder text = new StringBuilder();
                config.forEach((k, v) -> text.append(k).append('=').append(v).append('\n'));
                ClusterDirectory.write(file, text.toString());
                java.nio.file.Files.createDirectories(directory.resolve(id));
                cluster.configs.add(file);
                cluster.addresses.add("127.0.0.1:" + ports.get(i));
                cluster.nodes.add(ServerCommand.RunningNode.start(NodeConfig.load(file, Map.of())));
            }
            cluster.awaitConnected();
            return cluster;
        } catch (IOException | RuntimeException e) {
            cluster.close();
            throw e instanceof IOException io ? new UncheckedIOException(io) : (RuntimeException) e;
        }
    }

    /** {@code host:port,...} of every node, for --nodes. */
    public String nodesOption() {
        return String.join(",", addresses);
    }

    Path config(int index) {
        return configs.get(index);
    }

    /** Stops node {@code index} and starts it again from its config file (with memory storage: empty). */
    void restart(int index) {
        nodes.get(index).close();
        nodes.set(index, ServerCommand.RunningNode.start(NodeConfig.load(configs.get(index), Map.of())));
        awaitConnected();
    }

    /**
     * Waits until every node, as coordinator, reaches every replica (a read at R = all nodes
     * succeeds through it). Nodes started one after another have tried peers that were not
     * listening yet, and their transports back off from those for a moment; a test that wrote
     * at once would see quorum failures that have nothing to do with what it tests.
     */
    private void awaitConnected() {
        PluginConfig transport = NodeConfig.load(configs.get(0), Map.of()).section(Connections.TRANSPORT);
        long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
        for (String address : addresses) {
            try (DynamoClient client = Connections.storeOpener()
                    .open(List.of(new Endpoint(address)), Duration.ofSeconds(2), transport)) {
                while (true) {
                    try {
                        client.get(Bytes.utf8("connectivity-probe"), RequestOptions.quorum(addresses.size()));
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

    /** Stops node {@code index} for good, as an operator would. */
    void stop(int index) {
        ServerCommand.RunningNode node = nodes.set(index, null);
        if (node != null) {
            node.close();
        }
    }

    /** {@code 127.0.0.1:port} of node {@code index}'s metrics endpoint (start the nodes with {@code metrics.port=0}). */
    public String metricsAddress(int index) {
        return "127.0.0.1:" + nodes.get(index).node().metrics().endpointPort()
                .orElseThrow(() -> new IllegalStateException("node " + index + " serves no metrics endpoint"));
    }

    /** {@code host:port} of node {@code index}. */
    String address(int index) {
        return addresses.get(index);
    }

    @Override
    public void close() {
        nodes.stream().filter(java.util.Objects::nonNull).forEach(ServerCommand.RunningNode::close);
        nodes.clear();
    }

    static List<Integer> freePorts(int count) {
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
                    // the port is what we wanted
                }
            }
        }
    }
}
