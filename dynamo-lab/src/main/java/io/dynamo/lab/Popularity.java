package io.dynamo.lab;

import java.util.SplittableRandom;

/** How clients pick keys: every key alike, or a few much more often (Zipf, exponent {@code s}). */
public sealed interface Popularity {
    /** A key index in {@code [0, keys)}. */
    int pick(SplittableRandom random, int keys);

    record Uniform() implements Popularity {
        @Override
        public int pick(SplittableRandom random, int keys) {
            return random.nextInt(keys);
        }
    }

    /** Zipf by inversion of the cumulative weights {@code 1/k^s}, computed once per key count. */
    final class Zipfian implements Popularity {
        private final double exponent;
        private double[] cumulative = new double[0];

        public Zipfian(double exponent) {
            if (!(exponent > 0 && exponent <= 5)) {
                throw new LabException("zipf exponent must be in (0, 5]: " + exponent);
            }
            this.exponent = exponent;
        }

        public double exponent() {
            return exponent;
        }

        @Override
        public int pick(SplittableRandom random, int keys) {
            if (cumulative.length != keys) {
                cumulative = new double[keys];
                double sum = 0;
                for (int k = 0; k < keys; k++) {
                    sum += 1 / Math.pow(k + 1, exponent);
                    cumulative[k] = sum;
                }
            }
            double u = random.nextDouble() * cumulative[keys - 1];
            int index = java.util.Arrays.binarySearch(cumulative, u);
            return Math.min(keys - 1, index >= 0 ? index : -index - 1);
        }

        @Override
        public String toString() {
            return "zipfian(" + exponent + ")";
        }
    }
}
