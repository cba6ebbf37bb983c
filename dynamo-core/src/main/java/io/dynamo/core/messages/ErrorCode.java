package io.dynamo.core.messages;

import io.dynamo.api.codec.MalformedDataException;

/** Why a request failed, as carried by an {@link Message.Error} response. Codes never change meaning. */
public enum ErrorCode {
    /** Fewer replicas answered than the request's R or W. */
    QUORUM(1),
    /** The request did not complete within its timeout. */
    TIMEOUT(2),
    /** A key or value over the limits, a bad quorum, a malformed context. */
    INVALID_ARGUMENT(3),
    /** No node could take the request (e.g. no replica of the key reachable). */
    UNAVAILABLE(4),
    /** The request's bytes did not decode. */
    MALFORMED(5),
    /** Anything else: a bug or a storage failure on the answering node. */
    INTERNAL(6),
    /** The caller's role (client, admin, peer) may not send the request. */
    FORBIDDEN(7),
    /** The request named a store the node does not have; the message lists the node's stores. */
    UNKNOWN_STORE(8),
    /** Fewer primary replicas answered than the request's pr or pw; the counts are of primaries. */
    PRIMARY_QUORUM(9);

    private final int wire;

    ErrorCode(int wire) {
        this.wire = wire;
    }

    /** The code's byte on the wire. */
    public int wire() {
        return wire;
    }

    static ErrorCode fromWire(int wire) {
        for (ErrorCode code : values()) {
            if (code.wire == wire) {
                return code;
            }
        }
        throw new MalformedDataException("unknown error code " + wire);
    }
}
