package io.dynamo.transport.tcp;

/**
 * A connection would take the server past one of its resource limits; that connection is closed
 * (after an error frame naming the setting), and the refusal goes to the rate-limited log.
 */
final class LimitExceededException extends RuntimeException {
    LimitExceededException(String message) {
        super(message);
    }
}
