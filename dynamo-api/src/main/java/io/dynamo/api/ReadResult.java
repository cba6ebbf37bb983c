package io.dynamo.api;

import static java.util.Objects.requireNonNull;

import java.util.List;

/**
 * What a read returns: every version of the key that no other version read dominates
 * (siblings, tombstones included, after the store's conflict resolver), and the context to pass
 * to the next write of the key.
 */
public record ReadResult(Bytes key, List<Versioned> versions, Context context) {
    public ReadResult {
        requireNonNull(key, "key is null");
        versions = List.copyOf(requireNonNull(versions, "versions is null"));
        requireNonNull(context, "context is null");
    }

    /** The live values: every sibling that is not a tombstone. */
    public List<Bytes> values() {
        return versions.stream().filter(v -> !v.tombstone()).map(Versioned::value).toList();
    }

    /** True when at least one live value exists. */
    public boolean found() {
        return versions.stream().anyMatch(v -> !v.tombstone());
    }

    /** True when the versions disagree: more than one sibling (tombstones count). */
    public boolean hasConflict() {
        return versions.size() > 1;
    }
}
