package io.dynamo.server.bench;

/**
 * The generalized harmonic number {@code zeta(n, theta) = sum over i = 1..n of 1 / i^theta}, the
 * normalising constant of a Zipfian distribution over n items.
 */
final class Zeta {
    /** Terms summed one by one; the rest of the sum comes from the Euler-Maclaurin formula. */
    static final long EXACT_TERMS = 1_000_000;

    private Zeta() {}

    static double of(long n, double theta) {
        if (n < 1) {
            throw new IllegalArgumentException("n must be at least 1: " + n);
        }
        long exact = Math.min(n, EXACT_TERMS);
        double sum = 0;
        // Smallest terms first, for accuracy.
        for (long i = exact; i >= 1; i--) {
            sum += Math.pow(i, -theta);
        }
        return exact == n ? sum : sum + tail(exact, n, theta);
    }

    /**
     * {@code sum over i = m+1..n of i^-theta} for large m, by Euler-Maclaurin: the integral of
     * x^-theta from m to n, half the end-point difference, and two derivative corrections. At
     * m = 10^6 the first omitted term is below 10^-25.
     */
    static double tail(long m, long n, double theta) {
        double integral = theta == 1.0
                ? Math.log((double) n / m)
                : (Math.pow(n, 1 - theta) - Math.pow(m, 1 - theta)) / (1 - theta);
        double ends = (Math.pow(n, -theta) - Math.pow(m, -theta)) / 2;
        double first = (-theta * Math.pow(n, -theta - 1) + theta * Math.pow(m, -theta - 1)) / 12;
        double third = -theta * (theta + 1) * (theta + 2);
        double thirdTerm = (third * Math.pow(n, -theta - 3) - third * Math.pow(m, -theta - 3)) / 720;
        return integral + ends + first - thirdTerm;
    }
}
