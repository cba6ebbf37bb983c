package io.dynamo.bench.ycsb;

import static java.util.Objects.requireNonNull;

import io.dynamo.api.DynamoStore;
import io.dynamo.core.client.DynamoClient;
import io.dynamo.core.config.NodePluginContext;
import io.dynamo.core.plugin.ExtensionPoint;
import io.dynamo.core.plugin.PluginRegistry;
import io.dynamo.spi.PluginConfig;
import io.dynamo.spi.PluginContext;
import io.dynamo.spi.transport.Transport;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One {@link DynamoClient} per JVM and settings, shared by the binding's instances and closed
 * when the last of them is cleaned up.
 *
 * <p>This is the binding's one piece of static mutable state, and YCSB forces it: YCSB makes a
 * {@code DB} per client thread through a no-argument constructor, with no hook to hand them a
 * shared object, and a client per thread would mean a transport (event loops, connections) per
 * thread. Guarded by the class lock; touched only in {@code init} and {@code cleanup}.
 */
final class SharedClients {
    private static final Logger log = LoggerFactory.getLogger(SharedClients.class);
    private static final Map<YcsbSettings.ClientKey, Shared> CLIENTS = new HashMap<>();

    private SharedClients() {}

    /** A lease on the client for {@code settings}, made on first use. */
    static synchronized Lease acquire(YcsbSettings settings) {
        Shared shared = CLIENTS.get(settings.clientKey());
        if (shared == null) {
            shared = open(settings);
            CLIENTS.put(settings.clientKey(), shared);
        }
        shared.leases++;
        return new Lease(settings, shared.client);
    }

    private static synchronized void release(YcsbSettings settings) {
        Shared shared = CLIENTS.get(settings.clientKey());
        if (shared != null && --shared.leases == 0) {
            CLIENTS.remove(settings.clientKey());
            try {
                shared.client.close();
            } finally {
                shared.plugins.close();
            }
        }
    }

    private static Shared open(YcsbSettings settings) {
        // The class path only: the binding ships the tcp transport as a dependency.
        PluginRegistry plugins = PluginRegistry.load(Path.of("plugins"));
        try {
            PluginContext context = new NodePluginContext("ycsb", Path.of(System.getProperty("java.io.tmpdir")));
            Transport transport = plugins.create(ExtensionPoint.TRANSPORT, "tcp", settings.transport(), context);
            DynamoClient.Builder builder = DynamoClient.builder(transport, settings.nodes()).timeout(settings.timeout());
            if (settings.clientReads()) {
                builder.coordinateReads(plugins.partitioners(context));
            }
            DynamoClient client = builder.build();
            log.info("Dynamo client for nodes {}, request timeout {} ms, reads coordinated by {}", settings.nodes(),
                    settings.timeout().toMillis(), settings.clientReads() ? "the client" : "the nodes");
            return new Shared(client, plugins);
        } catch (RuntimeException | Error e) {
            plugins.close();
            throw e;
        }
    }

    private static final class Shared {
        final DynamoClient client;
        final PluginRegistry plugins;
        int leases;

        Shared(DynamoClient client, PluginRegistry plugins) {
            this.client = client;
            this.plugins = plugins;
        }
    }


    /** One binding instance's hold on a shared client; {@link #close()} once. */
    static final class Lease implements AutoCloseable {
        /** The table YCSB uses when none is given ({@code -p table=...}). */
        static final String YCSB_DEFAULT_TABLE = "usertable";
        private final YcsbSettings settings;
        private final DynamoClient client;
        private boolean closed;

        Lease(YcsbSettings settings, DynamoClient client) {
            this.settings = requireNonNull(settings, "settings is null");
            this.client = requireNonNull(client, "client is null");
        }

        /**
         * The store of a YCSB table: the table names the store, except YCSB's default table,
         * {@value #YCSB_DEFAULT_TABLE}, which is the {@code default} store.
         */
        DynamoStore store(String table) {
            return client.store(YCSB_DEFAULT_TABLE.equals(table) ? DynamoClient.DEFAULT_STORE : table);
        }

        @Override
        public void close() {
            if (!closed) {
                closed = true;
                release(settings);
            }
        }
    }
}
