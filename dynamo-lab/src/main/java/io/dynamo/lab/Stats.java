package io.dynamo.lab;

import java.util.List;

/** Mean and 95% confidence interval (Student's t) of one measure over the seeds of a configuration. */
public record Stats(double mean, double halfWidth, int samples) {
    /** Two-sided 95% t quantiles for 1..30 degrees of freedom; 1.96 beyond. */
    private static final double[] T95 = {12.706, 4.303, 3.182, 2.776, 2.571, 2.447, 2.365, 2.306, 2.262, 2.228, 2.201,
        2.179, 2.160, 2.145, 2.131, 2.120, 2.110, 2.101, 2.093, 2.086, 2.080, 2.074, 2.069, 2.064, 2.060, 2.056, 2.052,
        2.048, 2.045, 2.042};

    /** Over the values that are numbers (a NaN measure did not apply to that run). */
    public static Stats of(List<Double> values) {
        double[] xs = values.stream().filter(v -> !v.isNaN()).mapToDouble(Double::doubleValue).toArray();
        if (xs.length == 0) {
            return new Stats(Double.NaN, Double.NaN, 0);
        }
        double mean = 0;
        for (double x : xs) {
            mean += x;
        }
        mean /= xs.length;
        if (xs.length == 1) {
            return new Stats(mean, 0, 1);
        }
        double squares = 0;
        for (double x : xs) {
            squares += (x - mean) * (x - mean);
        }
        double sd = Math.sqrt(squares / (xs.length - 1));
        int df = xs.length - 1;
        double t = df <= T95.length ? T95[df - 1] : 1.96;
        return new Stats(mean, t * sd / Math.sqrt(xs.length), xs.length);
    }
}
