package io.dynamo.core.cluster;

import io.dynamo.api.Bytes;
import io.dynamo.spi.partition.Partitioner;
import java.math.BigInteger;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;

/**
 * The default partitioner of an {@link InProcessCluster}: the first 8 bytes of the key's
 * SHA-256 as a 64-bit token. Core cannot depend on the {@code md5} plugin; a cluster that wants
 * it passes it to the builder.
 */
final class DigestPartitioner implements Partitioner {
    @Override
    public int tokenBits() {
        return 64;
    }

    @Override
    public BigInteger token(Bytes key) {
        return new BigInteger(Long.toUnsignedString(position(key)));
    }

    @Override
    public long position(Bytes key) {
        byte[] digest = sha256().digest(key.toByteArray());
        long position = 0;
        for (int i = 0; i < 8; i++) {
            position = (position << 8) | (digest[i] & 0xFF);
        }
        return position;
    }

    private static MessageDigest sha256() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every Java platform has SHA-256", e);
        }
    }
}
