package io.dynamo.partitioner.md5;

import io.dynamo.api.Bytes;
import io.dynamo.spi.partition.Partitioner;
import java.math.BigInteger;
import java.security.MessageDigest;
import org.apache.commons.codec.digest.DigestUtils;

/**
 * A key's token is its MD5 digest read as an unsigned 128-bit big-endian number, as in
 * Dynamo and Cassandra's {@code RandomPartitioner}. MD5 is used for its spread, not for
 * security: nothing here relies on it resisting collisions.
 *
 * <p>Thread-safe: each thread reuses its own {@link MessageDigest} (making one per key cost
 * about a third of the hashing time on the request path); a digest resets itself after each use.
 */
final class Md5Partitioner implements Partitioner {
    static final int TOKEN_BITS = 128;

    private final ThreadLocal<MessageDigest> digests = ThreadLocal.withInitial(DigestUtils::getMd5Digest);

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

    private byte[] digest(Bytes key) {
        return digests.get().digest(key.toByteArray());
    }

    @Override
    public String toString() {
        return Md5Plugin.NAME;
    }
}
