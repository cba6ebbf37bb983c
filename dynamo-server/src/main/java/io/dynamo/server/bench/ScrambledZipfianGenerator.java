package io.dynamo.server.bench;

import java.util.random.RandomGenerator;

/**
 * A Zipfian key chooser whose popular items are spread over the whole key range instead of
 * bunched at its start, as YCSB's {@code requestdistribution=zipfian} does: draw from a Zipfian
 * over a fixed space of {@value #SPACE} items (theta 0.99), hash the draw with 64-bit FNV-1a,
 * and reduce it modulo the number of records.
 *
 * <p>Because the space is fixed, the popularity of the hottest records does not depend on how
 * many records there are (the hottest gets about 1/26.5 = 3.8% of the requests), and adding
 * records does not move which records are hot. Immutable and thread-safe; randomness comes from
 * the caller.
 */
public final class ScrambledZipfianGenerator {
    /** The size of the underlying Zipfian space, YCSB's. */
    public static final long SPACE = 10_000_000_000L;

    private static final long FNV_OFFSET_BASIS = 0xcbf29ce484222325L;
    private static final long FNV_PRIME = 0x100000001b3L;

    private final long items;
    private final ZipfianGenerator space;

    public ScrambledZipfianGenerator(long items) {
        if (items < 1) {
            throw new IllegalArgumentException("items must be at least 1: " + items);
        }
        this.items = items;
        this.space = new ZipfianGenerator(SPACE, ZipfianGenerator.DEFAULT_THETA);
    }

    /** The next item number, in {@code [0, items)}. */
    public long next(RandomGenerator random) {
        return Long.remainderUnsigned(fnv1a(space.next(random)), items);
    }

    public long items() {
        return items;
    }

    /** 64-bit FNV-1a over the eight bytes of {@code value}, low byte first. */
    static long fnv1a(long value) {
        long hash = FNV_OFFSET_BASIS;
        for (int i = 0; i < Long.BYTES; i++) {
            hash ^= (value >>> (8 * i)) & 0xff;
            hash *= FNV_PRIME;
        }
        return hash;
    }
}
