package io.dynamo.core.cluster;

import io.dynamo.api.Bytes;
import io.dynamo.spi.partition.Partitioner;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;

/**
 * The default partitioner of an {@link InProcessCluster}: the first 8 bytes of the key's
 * SHA-256 as a 64-bit token. Core cannot depend on the {@code md5} plugin; a cluster that wants
 * it passes it to the builder.
 */
final class DigestPartitioner {
    private DigestPartitioner() {}

    static Partitioner sha256() {
        return Partitioner.of64Bits(DigestPartitioner::position);
    }

    private static long position(Bytes key) {
        byte[] digest;
        try {
            digest = MessageDigest.getInstance("SHA-256").digest(key.toByteArray());
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every Java platform has SHA-256", e);
        }
        long position = 0;
        for (int i = 0; i < 8; i++) {
            position = (position << 8) | (digest[i] & 0xFF);
        }
        return position;
    }
}
