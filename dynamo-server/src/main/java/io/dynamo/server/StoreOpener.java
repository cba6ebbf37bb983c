package io.dynamo.server;

import io.dynamo.core.client.DynamoClient;
import io.dynamo.spi.PluginConfig;
import io.dynamo.spi.transport.Endpoint;
import java.time.Duration;
import java.util.List;

/**
 * Opens a client connection to a cluster: how every client command reaches the store, with the
 * transport settings ({@code tcp.*}: secret, TLS) the cluster requires.
 */
@FunctionalInterface
interface StoreOpener {
    /**
     * A client that sends requests to {@code nodes}, failing over between them; closed by the
     * caller, which releases everything it holds (transport, plugin class loaders).
     */
    default DynamoClient open(List<Endpoint> nodes, Duration timeout, PluginConfig transportConfig) {
        return open(nodes, timeout, transportConfig, false);
    }

    /**
     * As {@link #open(List, Duration, PluginConfig)}; with {@code coordinateReads}, the client
     * coordinates its reads itself, placing keys with the partitioner the nodes name, made from
     * the plugins it finds (see {@link DynamoClient.Builder#coordinateReads}).
     */
    DynamoClient open(List<Endpoint> nodes, Duration timeout, PluginConfig transportConfig, boolean coordinateReads);
}
