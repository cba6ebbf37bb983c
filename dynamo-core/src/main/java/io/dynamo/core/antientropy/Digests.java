package io.dynamo.core.antientropy;

import io.dynamo.api.Bytes;
import io.dynamo.api.Versioned;
import io.dynamo.api.codec.VersionedCodec;
import java.util.List;

/**
 * The 64-bit digests the hash trees are made of. Every node computes them the same way, from
 * the bytes alone, so trees of two replicas are comparable.
 *
 * <p>A key's digest covers the key and the <em>set</em> of its versions (each version's clock,
 * timestamps included, tombstone flag and value): two replicas holding the same siblings in a
 * different order give the same digest. An absent key has digest 0, so a leaf, the XOR of the
 * digests of its keys, changes by {@code digest(before) ^ digest(after)} when one key changes.
 *
 * <p>The hash is a multiply-rotate mix over 8-byte words with a strong finalizer (in the manner
 * of MurmurHash3's 64-bit variant). It detects accidental differences, not adversarial ones: a
 * collision makes two different leaves look equal with probability about 2^-64 per comparison.
 */
public final class Digests {
    private static final long C1 = 0x87c37b91114253d5L;
    private static final long C2 = 0x4cf5ad432745937fL;
    private static final long KEY_SEED = 0x2545f4914f6cdd1dL;
    private static final long LEAF_SEED = 0x9e3779b97f4a7c15L;
    private static final long VERSION_SEED = 0x632be59bd9b4e019L;

    private Digests() {}

    /** The digest of {@code key} holding {@code versions}; 0 when it holds none. */
    public static long keyDigest(Bytes key, List<Versioned> versions) {
        if (versions.isEmpty()) {
            return 0;
        }
        long versionSum = 0;
        for (Versioned v : versions) {
            // one version at a time, summed: the order of siblings does not matter
            byte[] encoded = VersionedCodec.encode(List.of(v));
            versionSum += hash(encoded, 0, encoded.length, VERSION_SEED);
        }
        byte[] keyBytes = key.toByteArray();
        long digest = mix(hash(keyBytes, 0, keyBytes.length, KEY_SEED) ^ mix(versionSum + versions.size()));
        return digest == 0 ? 1 : digest; // 0 is reserved for "absent"
    }

    /** The leaf of a tree of {@code depth} levels that {@code key} falls in: the top bits of a key hash. */
    public static int leafOf(Bytes key, int depth) {
        byte[] bytes = key.toByteArray();
        long h = hash(bytes, 0, bytes.length, LEAF_SEED);
        return (int) (h >>> (64 - depth));
    }

    /** The hash of an interior node from its children's; order matters. */
    static long combine(long left, long right) {
        return mix(mix(left ^ C1) + Long.rotateLeft(right, 29) * C2 + 0x52dce729L);
    }

    static long hash(byte[] data, int offset, int length, long seed) {
        long h = seed ^ (length * C2);
        int i = offset;
        int end = offset + length;
        for (; i + 8 <= end; i += 8) {
            long k = (data[i] & 0xffL) | (data[i + 1] & 0xffL) << 8 | (data[i + 2] & 0xffL) << 16
                    | (data[i + 3] & 0xffL) << 24 | (data[i + 4] & 0xffL) << 32 | (data[i + 5] & 0xffL) << 40
                    | (data[i + 6] & 0xffL) << 48 | (data[i + 7] & 0xffL) << 56;
            h ^= scramble(k);
            h = Long.rotateLeft(h, 27) * 5 + 0x52dce729L;
        }
        long tail = 0;
        for (int shift = 0; i < end; i++, shift += 8) {
            tail |= (data[i] & 0xffL) << shift;
        }
        h ^= scramble(tail ^ 0xa0761d6478bd642fL);
        return mix(h);
    }

    private static long scramble(long k) {
        return Long.rotateLeft(k * C1, 31) * C2;
    }

    /** A finalizer whose every output bit depends on every input bit. */
    static long mix(long z) {
        z = (z ^ (z >>> 33)) * 0xff51afd7ed558ccdL;
        z = (z ^ (z >>> 33)) * 0xc4ceb9fe1a85ec53L;
        return z ^ (z >>> 33);
    }
}
