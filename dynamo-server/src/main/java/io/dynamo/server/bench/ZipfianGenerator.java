package io.dynamo.server.bench;

import java.util.random.RandomGenerator;

/**
 * Draws item numbers in {@code [0, items)} with a Zipfian distribution: item {@code i} has
 * probability proportional to {@code 1 / (i + 1)^theta}, so item 0 is the most popular.
 *
 * <p>Uses the constant-time method of Gray et al., "Quickly Generating Billion-Record Synthetic
 * Databases" (SIGMOD 1994), the one YCSB uses: exact for items 0 and 1, a close approximation
 * beyond. Immutable and thread-safe; the randomness comes from the caller's generator, so each
 * thread keeps its own seeded source and a run replays exactly.
 */
public final class ZipfianGenerator {
    /** YCSB's default skew. */
    public static final double DEFAULT_THETA = 0.99;

    private final long items;
    private final double theta;
    private final double zetaN;
    private final double alpha;
    private final double eta;
    private final double secondItemThreshold;

    public ZipfianGenerator(long items, double theta) {
        if (items < 1) {
            throw new IllegalArgumentException("items must be at least 1: " + items);
        }
        if (!(theta > 0 && theta < 1)) {
            throw new IllegalArgumentException("theta must be in (0, 1): " + theta);
        }
        this.items = items;
        this.theta = theta;
        this.zetaN = Zeta.of(items, theta);
        double zeta2 = Zeta.of(2, theta);
        this.alpha = 1.0 / (1.0 - theta);
        this.eta = (1 - Math.pow(2.0 / items, 1 - theta)) / (1 - zeta2 / zetaN);
        this.secondItemThreshold = 1 + Math.pow(0.5, theta);
    }

    /** The next item number, in {@code [0, items)}. */
    public long next(RandomGenerator random) {
        double u = random.nextDouble();
        double uz = u * zetaN;
        if (uz < 1.0) {
            return 0;
        }
        if (uz < secondItemThreshold) {
            return Math.min(1, items - 1);
        }
        long item = (long) (items * Math.pow(eta * u - eta + 1, alpha));
        return Math.min(item, items - 1);
    }

    /** The exact probability of item {@code i} under the Zipfian law this generator approximates. */
    public double probability(long i) {
        if (i < 0 || i >= items) {
            throw new IllegalArgumentException("item " + i + " is outside [0, " + items + ")");
        }
        return 1.0 / (Math.pow(i + 1, theta) * zetaN);
    }

    public long items() {
        return items;
    }

    public double theta() {
        return theta;
    }
}
