package io.dynamo.lab;

/**
 * A bad experiment: an unknown key or name (the message lists what exists) or an impossible
 * setting. One line, meant for the user; the command exits 2.
 */
public final class LabException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    public LabException(String message) {
        super(message);
    }
}
