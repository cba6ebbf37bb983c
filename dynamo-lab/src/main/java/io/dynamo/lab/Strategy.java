package io.dynamo.lab;

import static java.util.Objects.requireNonNull;

/**
 * A way to resolve conflicts, end to end: the causality scheme the nodes stamp writes with, the
 * resolver that reduces the versions a read gathers, and (always) the workload's client merge
 * for whatever siblings still reach the client.
 */
public record Strategy(String name, String causality, String resolver) {
    public Strategy {
        requireNonNull(name, "name is null");
        requireNonNull(causality, "causality is null");
        requireNonNull(resolver, "resolver is null");
    }

    /** True when the resolver decides by write timestamps, so clock skew changes its results. */
    public boolean readsTimestamps() {
        return resolver.equals("lww");
    }
}
