package io.dynamo.transport.tcp;

/** The peer sent bytes that break the frame protocol; its connection is closed. */
final class ProtocolException extends RuntimeException {
    ProtocolException(String message) {
        super(message);
    }
}
