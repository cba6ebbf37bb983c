package io.dynamo.server;

import com.google.inject.CreationException;
import com.google.inject.Guice;
import com.google.inject.Injector;
import com.google.inject.Module;
import com.google.inject.ProvisionException;
import com.google.inject.Stage;
import com.google.inject.spi.Message;
import io.dynamo.api.DynamoException;
import io.dynamo.core.config.ConfigModule;
import io.dynamo.core.config.NodeConfig;
import io.dynamo.core.node.DynamoNode;
import io.dynamo.core.node.ReplicationModule;
import io.dynamo.core.plugin.ConfigNamespaces;
import io.dynamo.core.plugin.CreatedExtensions;
import io.dynamo.core.plugin.PluginModule;
import io.dynamo.core.plugin.PluginRegistry;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicReference;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/**
 * {@code dynamo server}: runs one node until SIGTERM (or Ctrl-C), then stops it cleanly: the
 * transport drains the requests in flight, the storage engine flushes and closes, the data
 * directory lock is released.
 *
 * <p>The node is assembled by one Guice injector made here ({@link Stage#PRODUCTION}, so a bad
 * plugin name or a missing binding fails at once).
 */
@Command(name = "server", mixinStandardHelpOptions = true,
        description = {"Run one node in the foreground until SIGTERM or Ctrl-C.",
                "Settings come from the config file (a Java properties file; keys: see README) and the flags, which"
                        + " override it. Defaults: partitioner md5, storage chronicle, transport tcp, resolver"
                        + " vector-clock, listen 127.0.0.1:7000. Logs go to the console and to <data-dir>/dynamo.log."})
final class ServerCommand implements Callable<Integer> {
    @Spec CommandSpec spec;

    @Option(names = "--config", paramLabel = "FILE", description = "The node's config file (properties).")
    Path config;

    @Option(names = "--node-id", paramLabel = "ID", description = "node.id")
    String nodeId;

    @Option(names = "--listen", paramLabel = "HOST:PORT", description = "node.listen (default 127.0.0.1:7000)")
    String listen;

    @Option(names = "--members", paramLabel = "ID@HOST:PORT,...", description = "cluster.members")
    String members;

    @Option(names = "--data-dir", paramLabel = "DIR", description = "node.data-dir (default data/<node.id>)")
    String dataDirectory;

    @Option(names = "--plugins-dir", paramLabel = "DIR", description = "node.plugins-dir (default: the distribution's plugins/)")
    String pluginsDirectory;

    @Option(names = "--partitions", paramLabel = "Q", description = "cluster.partitions (default 256)")
    String partitions;

    @Option(names = "--partitioner", paramLabel = "NAME", description = "partitioner (default md5)")
    String partitioner;

    @Option(names = "--storage", paramLabel = "NAME", description = "storage (default chronicle)")
    String storage;

    @Option(names = "--transport", paramLabel = "NAME", description = "transport (default tcp)")
    String transport;

    @Option(names = "--resolver", paramLabel = "NAME", description = "resolver (default vector-clock)")
    String resolver;

    @Option(names = {"-N", "--replicas"}, paramLabel = "N", description = "replication.n")
    String replicas;

    @Option(names = {"-R", "--read-quorum"}, paramLabel = "R", description = "replication.r")
    String readQuorum;

    @Option(names = {"-W", "--write-quorum"}, paramLabel = "W", description = "replication.w")
    String writeQuorum;

    @Option(names = "--set", paramLabel = "KEY=VALUE", description = "Any other config key, e.g. --set chronicle.entries=1000000 (repeatable).")
    Map<String, String> settings = new LinkedHashMap<>();

    /** Told of the node once it serves ({@code dynamo join} shows its progress). */
    java.util.function.Consumer<DynamoNode> onStarted = node -> { };

    @Override
    public Integer call() throws InterruptedException {
        if (config == null && nodeId == null && !settings.containsKey(NodeConfig.NODE_ID)) {
            throw new ParameterException(spec.commandLine(), "give a config file (--config FILE) or at least --node-id");
        }
        NodeConfig nodeConfig = nodeConfig();
        DataDirectoryLock lock = DataDirectoryLock.acquire(nodeConfig.dataDirectory());
        NodeLogging.configure(nodeConfig.dataDirectory());
        Logger log = LoggerFactory.getLogger(ServerCommand.class);
        log.info("Starting {} (data in {}, plugins from {})", nodeConfig, nodeConfig.dataDirectory().toAbsolutePath(),
                nodeConfig.pluginsDirectory().toAbsolutePath());
        // The hook is in place before anything is opened: a SIGTERM during the start (a long
        // recovery) waits for the start to finish, then closes the node as any stop does.
        CountDownLatch startFinished = new CountDownLatch(1);
        AtomicReference<RunningNode> running = new AtomicReference<>();
        CountDownLatch stopped = new CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            awaitUninterruptibly(startFinished);
            RunningNode node = running.get();
            if (node == null) {
                return; // the start failed: it closed what it opened and reported why
            }
            log.info("Stopping node {}", nodeConfig.nodeId());
            try {
                node.close();
            } catch (RuntimeException e) {
                log.error("Stopping node {} failed", nodeConfig.nodeId(), e);
            } finally {
                lock.close();
                log.info("Node {} stopped", nodeConfig.nodeId());
                stopped.countDown();
            }
        }, "dynamo-shutdown"));
        try {
            running.set(RunningNode.start(nodeConfig));
        } catch (RuntimeException | Error e) {
            lock.close();
            throw e;
        } finally {
            startFinished.countDown();
        }
        // `dynamo drain`: once the node refused clients and handed its hints off, it stops as on
        // SIGTERM (the drain's answer is still in flight, and the transport waits for it)
        onStarted.accept(running.get().node());
        running.get().node().drained().thenRun(() -> {
            log.info("Node {} drained: stopping", nodeConfig.nodeId());
            new Thread(() -> System.exit(0), "dynamo-drained").start();
        });
        stopped.await();
        return 0;
    }

    private static void awaitUninterruptibly(CountDownLatch latch) {
        boolean interrupted = false;
        while (true) {
            try {
                latch.await();
                break;
            } catch (InterruptedException e) {
                interrupted = true;
            }
        }
        if (interrupted) {
            Thread.currentThread().interrupt();
        }
    }

    private NodeConfig nodeConfig() {
        Map<String, String> overrides = new LinkedHashMap<>(settings);
        putIfGiven(overrides, NodeConfig.NODE_ID, nodeId);
        putIfGiven(overrides, NodeConfig.NODE_LISTEN, listen);
        putIfGiven(overrides, NodeConfig.CLUSTER_MEMBERS, members);
        putIfGiven(overrides, NodeConfig.NODE_DATA_DIR, dataDirectory);
        putIfGiven(overrides, NodeConfig.NODE_PLUGINS_DIR, pluginsDirectory);
        putIfGiven(overrides, NodeConfig.CLUSTER_PARTITIONS, partitions);
        putIfGiven(overrides, NodeConfig.PARTITIONER, partitioner);
        putIfGiven(overrides, NodeConfig.STORAGE, storage);
        putIfGiven(overrides, NodeConfig.TRANSPORT, transport);
        putIfGiven(overrides, NodeConfig.RESOLVER, resolver);
        putIfGiven(overrides, NodeConfig.REPLICATION_N, replicas);
        putIfGiven(overrides, NodeConfig.REPLICATION_R, readQuorum);
        putIfGiven(overrides, NodeConfig.REPLICATION_W, writeQuorum);
        NodeConfig loaded = load(overrides);
        String home = System.getProperty(NodeProcesses.HOME_PROPERTY);
        if (home != null && !loaded.asMap().containsKey(NodeConfig.NODE_PLUGINS_DIR)) {
            // Run from the distribution: its plugins/ directory, wherever the node was started from.
            overrides.put(NodeConfig.NODE_PLUGINS_DIR, Path.of(home, "plugins").toString());
            return load(overrides);
        }
        return loaded;
    }

    private NodeConfig load(Map<String, String> overrides) {
        return config == null ? NodeConfig.of(overrides) : NodeConfig.load(config, overrides);
    }

    private static void putIfGiven(Map<String, String> overrides, String key, String value) {
        if (value != null) {
            overrides.put(key, value);
        }
    }

    /**
     * A started node and what it was made from, closed in reverse order: the node (it stops
     * serving, the transport drains, the storage engine closes), then every extension made for
     * it, newest first ({@link CreatedExtensions}: a failing close is logged, the others still
     * run), then the plugins' class loaders.
     */
    record RunningNode(DynamoNode node, CreatedExtensions extensions, PluginRegistry plugins) implements AutoCloseable {
        /**
         * Makes the node with one injector and starts it. Every setting is checked before the
         * storage engine opens a file: the cross-checks here, the core's settings and the
         * transport's (its factory checks them) while the injector is made, the storage engine
         * only once they all passed (it is made on the node's request, see
         * {@link io.dynamo.core.plugin.StorageEngineModule}). A start that fails after that
         * closes what it opened (node, storage engine, transport, timer; {@link OpenedOnStart}),
         * so the next start finds its files closed.
         */
        static RunningNode start(NodeConfig config) {
            FrameSizeCheck.check(config);
            PluginRegistry plugins = PluginRegistry.load(config.pluginsDirectory());
            OpenedOnStart opened = new OpenedOnStart();
            try {
                ConfigNamespaces.check(config, plugins);
                Injector injector = Guice.createInjector(Stage.PRODUCTION, modules(config, plugins, opened));
                DynamoNode node = injector.getInstance(DynamoNode.class).start();
                return new RunningNode(node, injector.getInstance(CreatedExtensions.class), plugins);
            } catch (CreationException e) {
                throw closed(unwrapped(e, e.getErrorMessages()), opened, plugins);
            } catch (ProvisionException e) {
                throw closed(unwrapped(e, e.getErrorMessages()), opened, plugins);
            } catch (RuntimeException e) {
                throw closed(e, opened, plugins);
            } catch (Error e) {
                throw closed(e, opened, plugins);
            }
        }

        private static <T extends Throwable> T closed(T failure, OpenedOnStart opened, PluginRegistry plugins) {
            opened.closeAll(failure);
            try {
                plugins.close();
            } catch (RuntimeException e) {
                failure.addSuppressed(e);
            }
            return failure;
        }

        /**
         * Guice wraps what a provider threw (once per place that needed it); one
         * {@link DynamoException} (a bad setting naming its key, a corrupt data file naming the
         * file) is reported as itself, in one line.
         */
        private static RuntimeException unwrapped(RuntimeException wrapper, Collection<Message> errors) {
            Map<String, DynamoException> causes = new LinkedHashMap<>();
            for (Message error : errors) {
                DynamoException cause = dynamoCause(error.getCause());
                if (cause == null) {
                    return wrapper;
                }
                causes.putIfAbsent(cause.getMessage(), cause);
            }
            return causes.size() == 1 ? causes.values().iterator().next() : wrapper;
        }

        private static DynamoException dynamoCause(Throwable failure) {
            for (Throwable cause = failure; cause != null; cause = cause.getCause()) {
                if (cause instanceof DynamoException dynamo) {
                    return dynamo;
                }
            }
            return null;
        }

        static List<Module> modules(NodeConfig config, PluginRegistry plugins, Module... extra) {
            List<Module> modules = new ArrayList<>(List.of(new ConfigModule(config), new PluginModule(plugins),
                    new ReplicationModule()));
            modules.addAll(List.of(extra));
            return modules;
        }

        @Override
        public void close() {
            try {
                node.close();
            } finally {
                try {
                    extensions.closeAll();
                } finally {
                    plugins.close();
                }
            }
        }
    }
}
