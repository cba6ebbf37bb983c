package io.dynamo.spi.partition;

import io.dynamo.api.Bytes;
import java.math.BigInteger;
import java.util.Objects;
import java.util.function.ToLongFunction;

/**
 * Maps a key to a token on a fixed, ordered token space {@code [0, 2^tokenBits())}.
 *
 * <p>The core cuts the token space into Q equal partitions (Q a power of two) using the top
 * bits of the token, so a good partitioner spreads keys uniformly over those bits.
 *
 * <p>Stateless and thread-safe. Must be deterministic across processes, JVM
 * versions and restarts: every node of a cluster must map a key to the same token forever.
 *
 * <p>Lifecycle: none is needed; one that holds a resource may implement {@link AutoCloseable},
 * and the node closes it when it stops, after the extensions made after it (in reverse order of
 * creation). A failing close is logged, not propagated.
 */
public interface Partitioner {
    /** The width of the token space in bits (e.g. 128 for MD5). At least 64. */
    int tokenBits();

    /** The key's token, an unsigned number below {@code 2^tokenBits()}. Never fails for any key. */
    BigInteger token(Bytes key);

    /**
     * The top 64 bits of the key's token, as an unsigned long: all the core needs to find the
     * partition. Implementations override this to skip the {@link BigInteger}.
     */
    default long position(Bytes key) {
        return token(key).shiftRight(tokenBits() - 64).longValue();
    }

    /** The token in the text form shown by {@code dynamo status}: unsigned decimal. */
    default String formatToken(BigInteger token) {
        return token.toString();
    }

    /**
     * A partitioner over a 64-bit token space whose token is {@code position}'s value for the
     * key, read as an unsigned long: for 64-bit hash functions (FNV-1a, xxHash, the first 8
     * bytes of a digest). {@code position} must be deterministic and thread-safe.
     */
    static Partitioner of64Bits(ToLongFunction<Bytes> position) {
        Objects.requireNonNull(position, "position is null");
        return new Partitioner() {
            @Override
            public int tokenBits() {
                return 64;
            }

            @Override
            public BigInteger token(Bytes key) {
                return new BigInteger(Long.toUnsignedString(position.applyAsLong(key)));
            }

            @Override
            public long position(Bytes key) {
                return position.applyAsLong(key);
            }
        };
    }
}
