package io.dynamo.partitioner.md5;

import io.dynamo.api.Bytes;
import io.dynamo.spi.partition.Partitioner;
import java.math.BigInteger;
import org.apache.commons.codec.digest.DigestUtils;

/**
 * A key's token is its MD5 digest read as an unsigned 128-bit big-endian number, as in
 * Dynamo and Cassandra's {@code RandomPartitioner}. MD5 is used for its spread, not for
 * security: nothing here relies on it resisting collisions.
 *
 * <p>Stateless and thread-safe ({@link DigestUtils#md5(byte[])} takes a fresh digest per call).
 */
final class Md5Partitioner implements Partitioner {
    static final int TOKEN_BITS = 128;

    @Override
    public int tokenBits() {
        return TOKEN_BITS;
    }

    @Override
    public BigInteger token(Bytes key) {
        return new BigInteger(1, digest(key));
    }

    /** The first eight digest bytes, big-endian: the token's top 64 bits without a BigInteger. */
    @Override
    public long position(Bytes key) {
        byte[] digest = digest(key);
        long position = 0;
        for (int i = 0; i < Long.BYTES; i++) {
            position = (position << 8) | (digest[i] & 0xFF);
        }
        return position;
    }

    private static byte[] digest(Bytes key) {
        return DigestUtils.md5(key.toByteArray());
    }

    @Override
    public String toString() {
        return Md5Plugin.NAME;
    }
}
