package io.dynamo.core.membership;

import io.dynamo.api.codec.MalformedDataException;

/** Where a member is in its life in the cluster, as it announces itself by gossip. */
public enum MemberState {
    /** Taking partitions: in the target ring of a change in progress, not yet in the current ring. */
    JOINING(1),
    /** In the current ring, with nothing moving away from it. */
    UP(2),
    /** Giving its partitions away: in the current ring, not in the target ring. */
    LEAVING(3),
    /** Out of the ring: its partitions are elsewhere and it may be stopped. */
    LEFT(4);

    private final int wire;

    MemberState(int wire) {
        this.wire = wire;
    }

    /** The byte that stands for this state in messages. */
    public int wire() {
        return wire;
    }

    public static MemberState fromWire(int wire) {
        for (MemberState state : values()) {
            if (state.wire == wire) {
                return state;
            }
        }
        throw new MalformedDataException("unknown member state " + wire);
    }
}
