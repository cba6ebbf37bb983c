package io.dynamo.core.membership;

import static java.util.Objects.requireNonNull;

import java.util.Map;
import java.util.TreeMap;

/**
 * What one node knows of the cluster and gossips in full: every member's newest entry and the
 * ring state. Merging keeps, per member, the newer entry and the newer ring state, so merging is
 * commutative, associative and idempotent and every node that heard the same entries holds the
 * same state.
 */
public record GossipState(Map<String, MemberInfo> members, RingState ring) {
    /** Knows nothing: what an operator sends to ask a node for its state. */
    public static final GossipState EMPTY = new GossipState(Map.of(), RingState.UNKNOWN);

    public GossipState {
        members = Map.copyOf(requireNonNull(members, "members is null"));
        requireNonNull(ring, "ring is null");
        members.forEach((id, info) -> {
            if (!id.equals(info.id())) {
                throw new io.dynamo.api.InvalidArgumentException("entry of " + info.id() + " filed under " + id);
            }
        });
    }

    /** This state merged with {@code other} by the rules of {@link MemberInfo} and {@link RingState}. */
    public GossipState merge(GossipState other) {
        Map<String, MemberInfo> merged = new TreeMap<>(members);
        other.members.forEach((id, info) -> merged.merge(id, info, (mine, theirs) -> theirs.newerThan(mine) ? theirs : mine));
        return new GossipState(merged, other.ring.newerThan(ring) ? other.ring : ring);
    }
}
