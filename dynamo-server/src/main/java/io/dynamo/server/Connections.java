package io.dynamo.server;

import static java.util.Objects.requireNonNull;

import io.dynamo.api.Bytes;
import io.dynamo.api.Context;
import io.dynamo.api.DynamoStore;
import io.dynamo.api.ReadResult;
import io.dynamo.api.RequestOptions;
import io.dynamo.core.client.DynamoClient;
import io.dynamo.core.plugin.ExtensionPoint;
import io.dynamo.core.plugin.PluginRegistry;
import io.dynamo.spi.PluginConfig;
import io.dynamo.spi.PluginContext;
import io.dynamo.spi.transport.Transport;
import java.nio.file.Path;
import java.time.Duration;

/**
 * How the command line reaches a cluster: the {@code tcp} transport, found like any plugin,
 * client side only (never bound), under the client library.
 */
final class Connections {
    /** The transport the client commands use; the nodes' default. */
    static final String TRANSPORT = "tcp";

    private Connections() {}

    static StoreOpener storeOpener() {
        return (nodes, timeout) -> {
            PluginRegistry plugins = PluginRegistry.load(pluginsDirectory());
            try {
                Transport transport = clientTransport(plugins);
                DynamoClient client = DynamoClient.builder(transport, nodes).timeout(timeout).build();
                return new ClientStore(client, plugins);
            } catch (RuntimeException | Error e) {
                plugins.close();
                throw e;
            }
        };
    }

    static NodeProbe probe() {
        PluginRegistry plugins = PluginRegistry.load(pluginsDirectory());
        try {
            return new TransportProbe(clientTransport(plugins), clientContext().nodeId(), plugins);
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
        return new ClientContext("dynamo-cli", Path.of(System.getProperty("java.io.tmpdir")));
    }

    private static Transport clientTransport(PluginRegistry plugins) {
        return plugins.create(ExtensionPoint.TRANSPORT, TRANSPORT, PluginConfig.empty(TRANSPORT), clientContext());
    }

    private record ClientContext(String nodeId, Path dataDirectory) implements PluginContext {}

    /** The client and the plugin class loaders its transport came from, closed together. */
    private record ClientStore(DynamoClient client, PluginRegistry plugins) implements DynamoStore {
        ClientStore {
            requireNonNull(client, "client is null");
            requireNonNull(plugins, "plugins is null");
        }

        @Override
        public ReadResult get(Bytes key, RequestOptions options) {
            return client.get(key, options);
        }

        @Override
        public Context put(Bytes key, Bytes value, Context context, RequestOptions options) {
            return client.put(key, value, context, options);
        }

        @Override
        public Context delete(Bytes key, Context context, RequestOptions options) {
            return client.delete(key, context, options);
        }

        @Override
        public void close() {
            try {
                client.close();
            } finally {
                plugins.close();
            }
        }
    }

}
