package io.dynamo.transport.tcp;

import static java.util.Objects.requireNonNull;

/** One decoded frame. The payload array is owned by the frame's receiver. */
record Frame(FrameType type, long requestId, byte[] payload) {
    Frame {
        requireNonNull(type, "type is null");
        requireNonNull(payload, "payload is null");
    }
}
