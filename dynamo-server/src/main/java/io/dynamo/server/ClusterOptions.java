package io.dynamo.server;

import io.dynamo.spi.PluginConfig;
import io.dynamo.spi.transport.Endpoint;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.IntStream;
import picocli.CommandLine.Option;

/**
 * How a command finds a running cluster and connects to it: its nodes, its cluster directory,
 * and the client transport's settings. Mixed into every command that talks to a cluster.
 */
final class ClusterOptions {
    /** Where `cluster start` puts its cluster unless told otherwise; also read by client commands. */
    static final String DEFAULT_CLUSTER_DIR = "${env:DYNAMO_CLUSTER_DIR:-dynamo-cluster}";

    @Option(names = "--nodes", split = ",", paramLabel = "HOST:PORT",
            description = "Nodes to send requests to, comma-separated; the client fails over between them. "
                    + "Default: the nodes of the cluster directory (--dir) if it has any, else 127.0.0.1:7001,127.0.0.1:7002,127.0.0.1:7003.")
    List<String> nodes;

    @Option(names = "--dir", paramLabel = "DIR", defaultValue = DEFAULT_CLUSTER_DIR,
            description = "Cluster directory written by `dynamo cluster start` (default: $DYNAMO_CLUSTER_DIR or ./dynamo-cluster).")
    Path clusterDirectory;

    @Option(names = "--config", paramLabel = "FILE",
            description = "A node config file whose tcp.* keys (cluster secret, TLS) the client uses too. Default: the"
                    + " cluster directory's first node config when --nodes is not given.")
    Path config;

    @Option(names = "--set", paramLabel = "tcp.KEY=VALUE",
            description = "A transport setting of the client, e.g. --set tcp.secret-file=FILE (repeatable; replaces --config's).")
    Map<String, String> transportSettings = new LinkedHashMap<>();

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
        return Files.isRegularFile(first) ? first : null;
    }
}
