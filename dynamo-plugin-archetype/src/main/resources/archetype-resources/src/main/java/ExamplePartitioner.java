package ${package};

import io.dynamo.api.Bytes;
import io.dynamo.spi.partition.Partitioner;
import java.math.BigInteger;
import java.nio.ByteBuffer;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;

/**
 * Places a key by the first 8 bytes of its SHA-256 digest, a 64-bit token space. Stateless and
 * unseeded, so every node, in every process, places a key alike (the TCK checks that across
 * class loaders).
 */
final class ExamplePartitioner implements Partitioner {
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
        try {
            byte[] digest = MessageDigest.getInstance("SHA-256").digest(key.toByteArray());
            return ByteBuffer.wrap(digest).getLong();
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every Java runtime has SHA-256", e);
        }
    }
}
