package io.dynamo.transport.tcp;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.security.SecureRandom;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * The shared cluster secret and the challenge-response proofs made from it. The secret never
 * leaves the process: each side proves it knows the secret with an HMAC-SHA256 over both
 * sides' fresh nonces, under a label that differs per direction so a proof cannot be replayed
 * back to its sender.
 */
final class ClusterSecret {
    static final int NONCE_SIZE = 32;
    static final int PROOF_SIZE = 32;

    private static final String ALGORITHM = "HmacSHA256";
    private static final byte[] CLIENT_LABEL = "dynamo-tcp/1 client proof".getBytes(StandardCharsets.US_ASCII);
    private static final byte[] SERVER_LABEL = "dynamo-tcp/1 server proof".getBytes(StandardCharsets.US_ASCII);

    private final SecretKeySpec key;
    private final SecureRandom random = new SecureRandom();

    ClusterSecret(byte[] secret) {
        if (secret.length == 0) {
            throw new IllegalArgumentException("cluster secret is empty");
        }
        this.key = new SecretKeySpec(secret, ALGORITHM);
    }

    byte[] newNonce() {
        byte[] nonce = new byte[NONCE_SIZE];
        random.nextBytes(nonce);
        return nonce;
    }

    /** The client's proof: HMAC(secret, client label || server nonce || client nonce). */
    byte[] clientProof(byte[] serverNonce, byte[] clientNonce) {
        return hmac(CLIENT_LABEL, serverNonce, clientNonce);
    }

    /** The server's proof: HMAC(secret, server label || client nonce || server nonce). */
    byte[] serverProof(byte[] serverNonce, byte[] clientNonce) {
        return hmac(SERVER_LABEL, clientNonce, serverNonce);
    }

    /** Constant-time comparison, so timing does not reveal how much of a proof was right. */
    static boolean matches(byte[] expected, byte[] actual) {
        return MessageDigest.isEqual(expected, actual);
    }

    private byte[] hmac(byte[] label, byte[] first, byte[] second) {
        try {
            Mac mac = Mac.getInstance(ALGORITHM);
            mac.init(key);
            mac.update(label);
            mac.update(first);
            mac.update(second);
            return mac.doFinal();
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("HmacSHA256 is unavailable in this JVM", e);
        }
    }

    @Override
    public String toString() {
        return "ClusterSecret[****]";
    }
}
