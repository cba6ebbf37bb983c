package io.dynamo.core.coordination;

import static java.util.Objects.requireNonNull;

import io.dynamo.api.InvalidArgumentException;
import io.dynamo.core.ring.Ring;
import io.dynamo.spi.transport.Endpoint;
import java.util.Map;

/**
 * What a node knows of the cluster at one moment: the ring and where each member listens.
 * Immutable; membership changes publish a new view.
 */
public record ClusterView(Ring ring, Map<String, Endpoint> endpoints) {
    public ClusterView {
        requireNonNull(ring, "ring is null");
        endpoints = Map.copyOf(requireNonNull(endpoints, "endpoints is null"));
        for (String member : ring.members()) {
            if (!endpoints.containsKey(member)) {
                throw new InvalidArgumentException("no endpoint for ring member " + member);
            }
        }
    }

    public Endpoint endpoint(String nodeId) {
        Endpoint endpoint = endpoints.get(nodeId);
        if (endpoint == null) {
            throw new InvalidArgumentException("unknown node " + nodeId + "; members: " + ring.members());
        }
        return endpoint;
    }
}
