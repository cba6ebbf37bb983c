package io.dynamo.server;

import io.dynamo.core.config.NodeConfig;
import io.dynamo.core.node.ReplicationModule;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code dynamo join --seed HOST:PORT}: runs a new node, like {@code dynamo server}, that joins a
 * running cluster: it learns the ring from the seed by gossip, proposes the ring with itself
 * (it takes about 1/(S+1) of the partitions) and receives its partitions, then serves them.
 */
@Command(name = "join", mixinStandardHelpOptions = true,
        description = {"Run a new node in the foreground that joins a running cluster through a seed, until SIGTERM or"
                + " Ctrl-C.",
                "It takes about 1/(S+1) of the partitions from the S members, showing the partitions and keys received"
                        + " (a bar on a terminal, plain lines otherwise); `dynamo status` shows the move too."
                        + " Other settings as for `dynamo server` (Q, N and the plugins must match the cluster's)."})
final class JoinCommand implements Callable<Integer> {
    @Spec CommandSpec spec;

    @Option(names = "--seed", required = true, split = ",", paramLabel = "HOST:PORT",
            description = "A member of the running cluster (repeatable).")
    List<String> seeds;

    @Option(names = "--config", paramLabel = "FILE", description = "The node's config file (properties).")
    Path config;

    @Option(names = "--node-id", paramLabel = "ID", description = "node.id")
    String nodeId;

    @Option(names = "--listen", paramLabel = "HOST:PORT", description = "node.listen (default 127.0.0.1:7000)")
    String listen;

    @Option(names = "--data-dir", paramLabel = "DIR", description = "node.data-dir (default data/<node.id>)")
    String dataDirectory;

    @Option(names = "--standby", description = "Join gossip but not the ring: wait until `dynamo replace DEAD --with"
            + " <this node's id>` gives this node a dead member's partitions (membership.standby=true).")
    boolean standby;

    @Option(names = "--set", paramLabel = "KEY=VALUE", description = "Any other config key (repeatable).")
    Map<String, String> settings = new LinkedHashMap<>();

    @Override
    public Integer call() throws InterruptedException {
        ServerCommand server = new ServerCommand();
        server.spec = spec;
        server.config = config;
        server.nodeId = nodeId;
        server.listen = listen;
        server.dataDirectory = dataDirectory;
        server.settings = new LinkedHashMap<>(settings);
        server.settings.put(NodeConfig.MEMBERSHIP_JOIN, "true");
        server.settings.put("membership." + ReplicationModule.SEEDS, String.join(",", seeds));
        if (standby) {
            server.settings.put("membership." + ReplicationModule.STANDBY, "true");
        }
        server.onStarted = node -> JoinProgress.watch(node, spec.commandLine().getOut(), java.time.Duration.ofSeconds(1));
        return server.call();
    }
}
