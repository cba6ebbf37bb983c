package io.dynamo.api;

/**
 * The caller's credential does not allow the request: e.g. a client connection sent a message
 * only nodes may send, or an administrative operation without the admin credential.
 */
public class ForbiddenException extends DynamoException {
    public ForbiddenException(String message) {
        super(message);
    }
}
