package io.dynamo.core.membership;

import io.dynamo.api.InvalidArgumentException;

/**
 * How far a node is in pulling the partitions a ring change gives it.
 *
 * @param ringVersion the version of the ring state (the change) these figures are about; 0 for none
 * @param partitionsTotal partitions this node must receive for that change
 * @param partitionsDone partitions fully received
 * @param keysStreamed keys received so far
 */
public record MoveProgress(long ringVersion, int partitionsTotal, int partitionsDone, long keysStreamed) {
    /** No move. */
    public static final MoveProgress NONE = new MoveProgress(0, 0, 0, 0);

    public MoveProgress {
        if (ringVersion < 0 || partitionsTotal < 0 || partitionsDone < 0 || partitionsDone > partitionsTotal
                || keysStreamed < 0) {
            throw new InvalidArgumentException("invalid move progress: version " + ringVersion + ", "
                    + partitionsDone + " of " + partitionsTotal + " partitions, " + keysStreamed + " keys");
        }
    }

    /** True when every partition of the change {@code version} has been received. */
    public boolean completed(long version) {
        return ringVersion == version && partitionsDone == partitionsTotal;
    }

    /** Done partitions as a fraction in [0, 1] (1 when there is nothing to receive). */
    public double fraction() {
        return partitionsTotal == 0 ? 1.0 : (double) partitionsDone / partitionsTotal;
    }
}
