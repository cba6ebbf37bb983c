package io.dynamo.core.coordination;

import static java.util.Objects.requireNonNull;

import io.dynamo.api.InvalidArgumentException;
import io.dynamo.core.ring.Ring;
import io.dynamo.spi.transport.Endpoint;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * What a node knows of the cluster at one moment: the ring, where each member listens, and the
 * ring a membership change is moving towards, if one is in progress. Reads use {@code ring};
 * writes also reach the replicas that {@code pending} adds ({@link #pendingReplicas}).
 * Immutable; membership changes publish a new view.
 */
public record ClusterView(Ring ring, Map<String, Endpoint> endpoints, Optional<Ring> pending) {
    public ClusterView {
        requireNonNull(ring, "ring is null");
        endpoints = Map.copyOf(requireNonNull(endpoints, "endpoints is null"));
        requireNonNull(pending, "pending is null");
        for (String member : ring.members()) {
            if (!endpoints.containsKey(member)) {
                throw new InvalidArgumentException("no endpoint for ring member " + member);
            }
        }
        if (pending.isPresent()) {
            Ring target = pending.get();
            if (target.partitionCount() != ring.partitionCount()) {
                throw new InvalidArgumentException("the pending ring has " + target.partitionCount()
                        + " partitions, the ring " + ring.partitionCount());
            }
            for (String member : target.members()) {
                if (!endpoints.containsKey(member)) {
                    throw new InvalidArgumentException("no endpoint for pending ring member " + member);
                }
            }
        }
    }

    /** A view with no membership change in progress. */
    public ClusterView(Ring ring, Map<String, Endpoint> endpoints) {
        this(ring, endpoints, Optional.empty());
    }

    public Endpoint endpoint(String nodeId) {
        Endpoint endpoint = endpoints.get(nodeId);
        if (endpoint == null) {
            throw new InvalidArgumentException("unknown node " + nodeId + "; members: " + ring.members());
        }
        return endpoint;
    }

    /**
     * The nodes that will replicate {@code partition} once the pending change completes but do
     * not now: the first {@code n} of its preference list in the pending ring, less those of the
     * current ring. Empty when no change is in progress.
     */
    public List<String> pendingReplicas(int partition, int n) {
        if (pending.isEmpty()) {
            return List.of();
        }
        Ring target = pending.get();
        List<String> now = ring.preferenceList(partition, Math.min(n, ring.members().size()));
        List<String> added = new ArrayList<>(1);
        for (String node : target.preferenceList(partition, Math.min(n, target.members().size()))) {
            if (!now.contains(node)) {
                added.add(node);
            }
        }
        return added;
    }
}
