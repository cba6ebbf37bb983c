package io.dynamo.core.ring;

import io.dynamo.api.Bytes;
import io.dynamo.spi.partition.Partitioner;
import java.math.BigInteger;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;

/** Deterministic partitioners for ring tests; core must not depend on the md5 plugin. */
final class TestPartitioners {
    private TestPartitioners() {}

    /** FNV-1a over the key, then a 64-bit finalizer so that the top bits are well mixed. */
    static Partitioner hash64() {
        return Partitioner.of64Bits(key -> {
            long h = 0xcbf29ce484222325L;
            for (int i = 0; i < key.length(); i++) {
                h = (h ^ (key.byteAt(i) & 0xff)) * 0x100000001b3L;
            }
            h = (h ^ (h >>> 33)) * 0xff51afd7ed558ccdL;
            h = (h ^ (h >>> 33)) * 0xc4ceb9fe1a85ec53L;
            return h ^ (h >>> 33);
        });
    }

    /** MD5 of the key as a 128-bit token, as Cassandra's RandomPartitioner and Dynamo do. */
    static Partitioner md5() {
        return new Partitioner() {
            @Override
            public int tokenBits() {
                return 128;
            }

            @Override
            public BigInteger token(Bytes key) {
                return new BigInteger(1, digest(key));
            }

            @Override
            public long position(Bytes key) {
                byte[] d = digest(key);
                long position = 0;
                for (int i = 0; i < 8; i++) {
                    position = (position << 8) | (d[i] & 0xff);
                }
                return position;
            }

            // a digest is stateful: one per thread keeps the partitioner thread-safe
            private final ThreadLocal<MessageDigest> digests = ThreadLocal.withInitial(() -> {
                try {
                    return MessageDigest.getInstance("MD5");
                } catch (NoSuchAlgorithmException e) {
                    throw new IllegalStateException("every JDK has MD5", e);
                }
            });

            private byte[] digest(Bytes key) {
                return digests.get().digest(key.toByteArray());
            }
        };
    }
}
