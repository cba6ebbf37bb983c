package io.dynamo.core.membership;

import static java.util.Objects.requireNonNull;

import io.dynamo.api.InvalidArgumentException;
import io.dynamo.api.VectorClock;
import io.dynamo.spi.transport.Endpoint;

/**
 * One member as it last described itself: only the member itself creates new versions of its
 * entry, and every other node keeps the newest it heard of.
 *
 * @param id the node id
 * @param endpoint where it listens
 * @param generation when its current incarnation started (ms); a restart starts a higher one
 * @param version its heartbeat: raised every gossip round and on every change of this entry
 * @param state where it is in its life in the cluster
 * @param progress how far it is in receiving the partitions of a ring change
 */
public record MemberInfo(String id, Endpoint endpoint, long generation, long version, MemberState state,
        MoveProgress progress) {
    public MemberInfo {
        if (id == null || id.isEmpty() || id.length() > VectorClock.MAX_NODE_ID_LENGTH) {
            throw new InvalidArgumentException("member id must have 1 to " + VectorClock.MAX_NODE_ID_LENGTH
                    + " characters: " + id);
        }
        requireNonNull(endpoint, "endpoint is null");
        requireNonNull(state, "state is null");
        requireNonNull(progress, "progress is null");
        if (generation < 0 || version < 0) {
            throw new InvalidArgumentException("negative generation or version for " + id);
        }
    }

    /** The merge rule: a higher generation wins, then a higher version. */
    public boolean newerThan(MemberInfo other) {
        return generation != other.generation ? generation > other.generation : version > other.version;
    }

    MemberInfo next(MemberState newState, MoveProgress newProgress) {
        return new MemberInfo(id, endpoint, generation, version + 1, newState, newProgress);
    }
}
