package io.dynamo.server;

import io.dynamo.api.RequestOptions;
import io.dynamo.spi.PluginConfig;
import io.dynamo.spi.transport.Endpoint;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.IntStream;
import picocli.CommandLine.Option;

/** The options of every command that talks to a running cluster. */
final class ClientOptions {
    /** Where `cluster start` puts its cluster unless told otherwise; also read by client commands. */
    static final String DEFAULT_CLUSTER_DIR = "${env:DYNAMO_CLUSTER_DIR:-dynamo-cluster}";

    @Option(names = "--nodes", split = ",", paramLabel = "HOST:PORT",
            description = "Nodes to send requests to, comma-separated; the client fails over between them. "
                    + "Default: the nodes of the cluster directory (--dir) if it has any, else 127.0.0.1:7001,127.0.0.1:7002,127.0.0.1:7003.")
    List<String> nodes;

    @Option(names = "--dir", paramLabel = "DIR", defaultValue = DEFAULT_CLUSTER_DIR,
            description = "Cluster directory written by `dynamo cluster start` (default: $DYNAMO_CLUSTER_DIR or ./dynamo-cluster).")
    Path clusterDirectory;

    @Option(names = "--timeout", paramLabel = "DURATION", defaultValue = "5s", converter = DurationConverter.class,
            description = "How long one request may take, e.g. 500ms, 5s (default: ${DEFAULT-VALUE}).")
    Duration timeout;

    @Option(names = "--config", paramLabel = "FILE",
            description = "A node config file whose tcp.* keys (cluster secret, TLS) the client uses too. Default: the"
                    + " cluster directory's first node config when --nodes is not given.")
    Path config;

    @Option(names = "--set", paramLabel = "tcp.KEY=VALUE",
            description = "A transport setting of the client, e.g. --set tcp.secret-file=FILE (repeatable; replaces --config's).")
    Map<String, String> transportSettings = new LinkedHashMap<>();

    @Option(names = "--quorum", paramLabel = "Q", defaultValue = "0",
            description = "Replicas that must answer (R for a read, W for a write); 0 keeps the cluster's setting.")
    int quorum;

    List<Endpoint> endpoints() {
        return endpoints(nodes, clusterDirectory);
    }

    /** The {@code --nodes} given, else the nodes of the cluster directory, else the default ones. */
    static List<Endpoint> endpoints(List<String> nodes, Path clusterDirectory) {
        if (nodes != null && !nodes.isEmpty()) {
            return Addresses.parse("--nodes", nodes);
        }
        ClusterDirectory directory = new ClusterDirectory(clusterDirectory);
        if (directory.hasMembers()) {
            return directory.endpoints();
        }
        return defaultEndpoints();
    }

    /** 127.0.0.1:7001 to 7003, where `cluster start` puts a default cluster. */
    static List<Endpoint> defaultEndpoints() {
        return IntStream.rangeClosed(7001, 7003).mapToObj(port -> Endpoint.of("127.0.0.1", port)).toList();
    }

    /** The client transport's settings: {@code --config}'s (or the cluster directory's) tcp.* keys and {@code --set}. */
    PluginConfig transportConfig() {
        return ClientTransportSettings.of(configFile(config, nodes, clusterDirectory), transportSettings);
    }

    /** {@code config}, else the cluster directory's first node config when no {@code --nodes} were given, else null. */
    static Path configFile(Path config, List<String> nodes, Path clusterDirectory) {
        if (config != null || (nodes != null && !nodes.isEmpty())) {
            return config;
        }
        ClusterDirectory directory = new ClusterDirectory(clusterDirectory);
        if (!directory.hasMembers()) {
            return null;
        }
        Path first = directory.configFile(directory.members().get(0).id());
        return java.nio.file.Files.isRegularFile(first) ? first : null;
    }

    RequestOptions requestOptions() {
        if (quorum < 0) {
            throw new IllegalArgumentException("--quorum must not be negative: " + quorum);
        }
        return new RequestOptions(quorum, timeout);
    }
}
