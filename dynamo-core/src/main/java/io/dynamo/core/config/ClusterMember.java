package io.dynamo.core.config;

import static java.util.Objects.requireNonNull;

import io.dynamo.spi.transport.Endpoint;

/**
 * One node of the cluster as listed in {@code cluster.members}: its id and the endpoint its
 * peers reach it at. Written {@code id@host:port} in the config.
 */
public record ClusterMember(String id, Endpoint endpoint) {
    public ClusterMember {
        requireNonNull(id, "id is null");
        requireNonNull(endpoint, "endpoint is null");
    }

    @Override
    public String toString() {
        return id + "@" + endpoint;
    }
}
