package io.dynamo.core.transport.local;

import static java.util.Objects.requireNonNull;

/**
 * One entry of a {@link LocalNetwork}'s history: what happened to one message. Two runs of a
 * simulated network with the same seed and schedule record equal histories.
 *
 * @param timeMicros virtual (or, in real-time mode, wall-clock) time of the decision
 * @param from the sending node
 * @param to the receiving node (or the address, when nobody is bound there)
 * @param kind request or response
 * @param fate what the network did with it
 * @param delayMicros the delay before delivery ({@link Fate#SENT} and {@link Fate#DUPLICATED})
 * @param size payload bytes
 * @param checksum CRC-32 of the payload, so equal histories mean equal traffic
 */
public record NetworkEvent(long timeMicros, String from, String to, Kind kind, Fate fate, long delayMicros, int size,
        int checksum) {
    public NetworkEvent {
        requireNonNull(from, "from is null");
        requireNonNull(to, "to is null");
        requireNonNull(kind, "kind is null");
        requireNonNull(fate, "fate is null");
    }

    /** Request or response. */
    public enum Kind { REQUEST, RESPONSE }

    /** What became of a message. */
    public enum Fate {
        /** On its way, to arrive after the delay. */
        SENT,
        /** A second copy, to arrive after its own delay. */
        DUPLICATED,
        /** Lost at random. */
        DROPPED,
        /** Lost because sender and receiver are in different partition groups. */
        PARTITIONED,
        /** Nobody listens at the address (node crashed or never bound): the sender gets an error. */
        REFUSED,
        /** The receiver crashed while the message was on its way. */
        LOST,
        /** Held back on a stalled link ({@link LocalNetwork#hold}), delivered when it is released. */
        HELD
    }

    @Override
    public String toString() {
        return timeMicros + "us " + kind + " " + from + "->" + to + " " + fate
                + (delayMicros > 0 ? " +" + delayMicros + "us" : "") + " " + size + "B#" + Integer.toHexString(checksum);
    }
}
