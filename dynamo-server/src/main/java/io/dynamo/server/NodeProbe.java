package io.dynamo.server;

import io.dynamo.spi.transport.Endpoint;
import java.time.Duration;

/** Asks one node whether it is up and serving. */
interface NodeProbe extends AutoCloseable {
    /** True when the node at {@code endpoint} answered within {@code timeout}. Never throws for a node that is down. */
    boolean answers(Endpoint endpoint, Duration timeout);

    /** What the node knows by gossip, or empty when it does not answer or has no gossip. Never throws. */
    default java.util.Optional<io.dynamo.core.membership.GossipState> membership(Endpoint endpoint, Duration timeout) {
        return java.util.Optional.empty();
    }

    /**
     * The plugins the node at {@code endpoint} loaded ({@code dynamo plugins --node}). Throws
     * what the node answered instead (e.g. {@link io.dynamo.api.ForbiddenException} without the
     * admin credential), or {@link io.dynamo.api.UnavailableException} when it does not answer.
     */
    default java.util.List<io.dynamo.core.plugin.PluginDescription> plugins(Endpoint endpoint, Duration timeout) {
        throw new UnsupportedOperationException("this probe cannot list a node's plugins");
    }

    @Override
    void close();
}
