package io.dynamo.core.membership;

import static java.util.Objects.requireNonNull;

import io.dynamo.core.store.StoreCatalog;
import java.util.Map;
import java.util.TreeMap;

/**
 * What one node knows of the cluster and gossips in full: every member's newest entry, the ring
 * state and the store catalog. Merging keeps, per member, the newer entry, the newer ring state
 * and, per store, the winning catalog entry, so merging is commutative, associative and idempotent
 * and every node that heard the same entries holds the same state.
 */
public record GossipState(Map<String, MemberInfo> members, RingState ring, StoreCatalog stores) {
    /** Knows nothing: what an operator sends to ask a node for its state. */
    public static final GossipState EMPTY = new GossipState(Map.of(), RingState.UNKNOWN);

    public GossipState {
        members = Map.copyOf(requireNonNull(members, "members is null"));
        requireNonNull(ring, "ring is null");
        requireNonNull(stores, "stores is null");
        members.forEach((id, info) -> {
            if (!id.equals(info.id())) {
                throw new io.dynamo.api.InvalidArgumentException("entry of " + info.id() + " filed under " + id);
            }
        });
    }

    /** A state with an empty store catalog. */
    public GossipState(Map<String, MemberInfo> members, RingState ring) {
        this(members, ring, StoreCatalog.EMPTY);
    }

    /** This state merged with {@code other} by the rules of {@link MemberInfo}, {@link RingState} and {@link StoreCatalog}. */
    public GossipState merge(GossipState other) {
        Map<String, MemberInfo> merged = new TreeMap<>(members);
        other.members.forEach((id, info) -> merged.merge(id, info, (mine, theirs) -> theirs.newerThan(mine) ? theirs : mine));
        return new GossipState(merged, other.ring.newerThan(ring) ? other.ring : ring, stores.merge(other.stores));
    }

    /** This state with {@code next} as its ring. */
    public GossipState withRing(RingState next) {
        return new GossipState(members, next, stores);
    }

    /** This state with {@code next} as its store catalog. */
    public GossipState withStores(StoreCatalog next) {
        return new GossipState(members, ring, next);
    }
}
