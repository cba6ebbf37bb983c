package io.dynamo.server;

import static java.util.Objects.requireNonNull;

import io.dynamo.core.client.DynamoClient;
import io.dynamo.core.config.NodePluginContext;
import io.dynamo.core.plugin.ExtensionPoint;
import io.dynamo.core.plugin.PluginRegistry;
import io.dynamo.spi.PluginConfig;
import io.dynamo.spi.PluginContext;
import io.dynamo.spi.transport.Endpoint;
import io.dynamo.spi.transport.RequestHandler;
import io.dynamo.spi.transport.Transport;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;

/**
 * How the command line reaches a cluster: the {@code tcp} transport, found like any plugin,
 * client side only (never bound), with the settings the command was given (see
 * {@link ClientTransportSettings}), under the client library.
 *
 * <p>The client commands use the transport and, when they coordinate reads, a partitioner, and
 * nothing else: they load the plugins skipping broken ones
 * ({@link PluginRegistry#loadSkippingBroken}), so one bad jar in {@code plugins/} that they do
 * not use costs a warning naming it, not the command.
 */
final class Connections {
    /** The transport the client commands use; the nodes' default. */
    static final String TRANSPORT = "tcp";

    private Connections() {}

    static StoreOpener storeOpener() {
        return storeOpener(pluginsDirectory());
    }

    /** Clients with the plugins of the class path and of {@code pluginsDirectory}. */
    static StoreOpener storeOpener(Path pluginsDirectory) {
        return (nodes, timeout, transportConfig, coordinateReads) -> {
            PluginRegistry plugins = PluginRegistry.loadSkippingBroken(pluginsDirectory);
            Transport transport;
            try {
                transport = new PluginTransport(clientTransport(plugins, transportConfig), plugins);
            } catch (RuntimeException | Error e) {
                plugins.close();
                throw e;
            }
            try {
                DynamoClient.Builder client = DynamoClient.builder(transport, nodes).timeout(timeout);
                if (coordinateReads) {
                    client.coordinateReads(plugins.partitioners(clientContext()));
                }
                return client.build();
            } catch (RuntimeException | Error e) {
                transport.close(); // and the plugins with it
                throw e;
            }
        };
    }

    static NodeProbe probe(PluginConfig transportConfig) {
        return probe(pluginsDirectory(), transportConfig);
    }

    /** A probe with the plugins of the class path and of {@code pluginsDirectory}. */
    static NodeProbe probe(Path pluginsDirectory, PluginConfig transportConfig) {
        PluginRegistry plugins = PluginRegistry.loadSkippingBroken(pluginsDirectory);
        try {
            return new TransportProbe(clientTransport(plugins, transportConfig), clientContext().nodeId(), plugins);
        } catch (RuntimeException | Error e) {
            plugins.close();
            throw e;
        }
    }

    /** The distribution's plugins/ directory, or ./plugins when run from a build. */
    static Path pluginsDirectory() {
        String home = System.getProperty(NodeProcesses.HOME_PROPERTY);
        return home == null ? Path.of("plugins") : Path.of(home, "plugins");
    }

    /** What a client-side plugin is told: it serves no node and keeps no files. */
    static PluginContext clientContext() {
        return new NodePluginContext("dynamo-cli", Path.of(System.getProperty("java.io.tmpdir")));
    }

    private static Transport clientTransport(PluginRegistry plugins, PluginConfig transportConfig) {
        return plugins.create(ExtensionPoint.TRANSPORT, TRANSPORT, transportConfig, clientContext());
    }

    /** A transport and the plugin class loaders it came from, closed together (the client closes its transport). */
    private record PluginTransport(Transport transport, PluginRegistry plugins) implements Transport {
        PluginTransport {
            requireNonNull(transport, "transport is null");
            requireNonNull(plugins, "plugins is null");
        }

        @Override
        public Endpoint bind(Endpoint local, RequestHandler handler) {
            return transport.bind(local, handler);
        }

        @Override
        public CompletableFuture<byte[]> request(Endpoint peer, byte[] payload, Duration timeout) {
            return transport.request(peer, payload, timeout);
        }

        @Override
        public boolean authenticates() {
            return transport.authenticates();
        }

        @Override
        public void close() {
            try {
                transport.close();
            } finally {
                plugins.close();
            }
        }
    }
}
