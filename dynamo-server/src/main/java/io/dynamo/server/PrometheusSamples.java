package io.dynamo.server;

import static java.util.Objects.requireNonNull;

import io.dynamo.api.InvalidArgumentException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.Predicate;

/**
 * The samples of one scrape of a Prometheus endpoint (text format 0.0.4), and the sums and
 * quantiles {@code dynamo stats} prints from them. Comment lines are skipped; a line that is not
 * a sample is refused with its number, so a wrong port (another service) is reported as such.
 */
record PrometheusSamples(List<Sample> samples) {
    /** One sample: metric name, labels, value. */
    record Sample(String name, Map<String, String> labels, double value) {
        Sample {
            requireNonNull(name, "name is null");
            labels = Map.copyOf(labels);
        }
    }

    /** At most this many samples are read from one endpoint: the text is a stranger's bytes. */
    static final int MAX_SAMPLES = 200_000;

    PrometheusSamples {
        samples = List.copyOf(samples);
    }

    static PrometheusSamples parse(String text) {
        List<Sample> samples = new ArrayList<>();
        int number = 0;
        for (String line : text.split("\n")) {
            number++;
            if (line.isBlank() || line.startsWith("#")) {
                continue;
            }
            if (samples.size() == MAX_SAMPLES) {
                throw new InvalidArgumentException("more than " + MAX_SAMPLES + " samples");
            }
            samples.add(sample(line, number));
        }
        return new PrometheusSamples(samples);
    }

    private static Sample sample(String line, int number) {
        int brace = line.indexOf('{');
        int space;
        String name;
        Map<String, String> labels = new LinkedHashMap<>();
        if (brace >= 0 && brace < line.indexOf(' ')) {
            name = line.substring(0, brace);
            int at = brace + 1;
            while (line.charAt(at) != '}') {
                int equals = line.indexOf("=\"", at);
                if (equals < 0) {
                    throw bad(line, number);
                }
                String key = line.substring(at, equals);
                StringBuilder value = new StringBuilder();
                int i = equals + 2;
                for (; i < line.length() && line.charAt(i) != '"'; i++) {
                    char c = line.charAt(i);
                    if (c == '\\' && i + 1 < line.length()) {
                        char next = line.charAt(++i);
                        value.append(next == 'n' ? '\n' : next);
                    } else {
                        value.append(c);
                    }
                }
                if (i + 1 >= line.length()) {
                    throw bad(line, number);
                }
                labels.put(key, value.toString());
                at = i + 1;
                if (line.charAt(at) == ',') {
                    at++;
                }
            }
            space = at + 1;
        } else {
            space = line.indexOf(' ');
            if (space < 0) {
                throw bad(line, number);
            }
            name = line.substring(0, space);
        }
        String[] rest = line.substring(space).trim().split(" ");
        try {
            return new Sample(name, labels, Double.parseDouble(rest[0].replace("Inf", "Infinity")));
        } catch (NumberFormatException e) {
            throw bad(line, number);
        }
    }

    private static InvalidArgumentException bad(String line, int number) {
        String shown = line.length() > 80 ? line.substring(0, 80) + "…" : line;
        return new InvalidArgumentException("line " + number + " is not a Prometheus sample: " + shown);
    }

    /** The sum of the samples named {@code name} whose labels pass {@code labels}. */
    double sum(String name, Predicate<Map<String, String>> labels) {
        double sum = 0;
        for (Sample s : samples) {
            if (s.name().equals(name) && labels.test(s.labels()) && !Double.isNaN(s.value())) {
                sum += s.value();
            }
        }
        return sum;
    }

    double sum(String name) {
        return sum(name, labels -> true);
    }

    /** True when some sample is named {@code name}. */
    boolean has(String name) {
        return samples.stream().anyMatch(s -> s.name().equals(name));
    }

    /** The values of label {@code label} among the samples named {@code name}, in order of first appearance. */
    List<String> labelValues(String name, String label) {
        List<String> values = new ArrayList<>();
        for (Sample s : samples) {
            String value = s.labels().get(label);
            if (s.name().equals(name) && value != null && !values.contains(value)) {
                values.add(value);
            }
        }
        return values;
    }

    /** Cumulative bucket counts by upper bound of histogram {@code name} (its {@code _bucket} samples), summed over series. */
    TreeMap<Double, Double> buckets(String name, Predicate<Map<String, String>> labels) {
        TreeMap<Double, Double> buckets = new TreeMap<>();
        for (Sample s : samples) {
            if (s.name().equals(name + "_bucket") && labels.test(s.labels()) && s.labels().containsKey("le")) {
                double bound = Double.parseDouble(s.labels().get("le").replace("Inf", "Infinity"));
                buckets.merge(bound, s.value(), Double::sum);
            }
        }
        return buckets;
    }

    /**
     * The {@code q} quantile of cumulative {@code buckets}, interpolated linearly inside the
     * bucket it falls in (as Prometheus' {@code histogram_quantile}); NaN when empty.
     */
    static double quantile(double q, TreeMap<Double, Double> buckets) {
        if (buckets.isEmpty()) {
            return Double.NaN;
        }
        double total = buckets.lastEntry().getValue();
        if (total <= 0) {
            return Double.NaN;
        }
        double rank = q * total;
        double lowerBound = 0;
        double lowerCount = 0;
        for (Map.Entry<Double, Double> bucket : buckets.entrySet()) {
            if (bucket.getValue() >= rank) {
                if (bucket.getKey().isInfinite()) {
                    return lowerBound; // above the highest finite bound: that bound is all that is known
                }
                double inBucket = bucket.getValue() - lowerCount;
                return inBucket <= 0 ? bucket.getKey()
                        : lowerBound + (bucket.getKey() - lowerBound) * (rank - lowerCount) / inBucket;
            }
            lowerBound = bucket.getKey();
            lowerCount = bucket.getValue();
        }
        return lowerBound;
    }
}
