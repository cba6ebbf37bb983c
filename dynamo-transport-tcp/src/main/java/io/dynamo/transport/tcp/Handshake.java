package io.dynamo.transport.tcp;

/** Constants of the HELLO / AUTH / AUTH_OK exchange that opens every connection. */
final class Handshake {
    /** Bit 0 of the HELLO flags: the server requires the cluster-secret proof. */
    static final byte FLAG_SECRET_REQUIRED = 1;

    private Handshake() {}
}
