package io.dynamo.server;

import io.dynamo.api.RequestOptions;
import io.dynamo.spi.transport.Endpoint;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
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

    RequestOptions requestOptions() {
        if (quorum < 0) {
            throw new IllegalArgumentException("--quorum must not be negative: " + quorum);
        }
        return new RequestOptions(quorum, timeout);
    }
}
