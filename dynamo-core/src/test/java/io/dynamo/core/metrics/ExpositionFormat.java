package io.dynamo.core.metrics;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A checker of the Prometheus text exposition format (version 0.0.4): every line a comment, a
 * HELP or TYPE line, or a sample with a valid name, labels and value; every sample of a family
 * whose TYPE was declared first; each histogram's buckets cumulative and ending with
 * {@code le="+Inf"} equal to its {@code _count}. The Prometheus Java client has no parser of this
 * format; {@code promtool check metrics} is run as well where it is installed.
 */
final class ExpositionFormat {
    private static final Pattern HELP = Pattern.compile("# HELP ([a-zA-Z_:][a-zA-Z0-9_:]*) .*");
    private static final Pattern TYPE = Pattern.compile("# TYPE ([a-zA-Z_:][a-zA-Z0-9_:]*) (counter|gauge|histogram|summary|untyped)");
    private static final Pattern SAMPLE = Pattern.compile(
            "([a-zA-Z_:][a-zA-Z0-9_:]*)(\\{(.*)\\})? (\\S+)( -?[0-9]+)?");
    private static final Pattern LABEL = Pattern.compile("([a-zA-Z_][a-zA-Z0-9_]*)=\"((?:[^\"\\\\\\n]|\\\\[\\\\\"n])*)\"(,|$)");
    private static final Pattern VALUE = Pattern.compile("[+-]?(Inf|NaN|[0-9]+(\\.[0-9]*)?([eE][+-]?[0-9]+)?|\\.[0-9]+([eE][+-]?[0-9]+)?)");

    /** One sample: its name, labels and value. */
    record Sample(String name, Map<String, String> labels, double value) {}

    private ExpositionFormat() {}

    /** The samples of {@code text}; throws {@link AssertionError} naming the first line that breaks the format. */
    static List<Sample> parse(String text) {
        Map<String, String> types = new HashMap<>();
        List<Sample> samples = new ArrayList<>();
        String[] lines = text.split("\n", -1);
        if (!text.isEmpty() && !text.endsWith("\n")) {
            throw new AssertionError("the text does not end with a line feed");
        }
        for (int i = 0; i < lines.length; i++) {
            String line = lines[i];
            String where = "line " + (i + 1) + " '" + line + "': ";
            if (line.isEmpty()) {
                continue;
            }
            if (line.startsWith("# HELP ")) {
                if (!HELP.matcher(line).matches()) {
                    throw new AssertionError(where + "a bad HELP line");
                }
                continue;
            }
            if (line.startsWith("# TYPE ")) {
                Matcher m = TYPE.matcher(line);
                if (!m.matches()) {
                    throw new AssertionError(where + "a bad TYPE line");
                }
                if (types.put(m.group(1), m.group(2)) != null) {
                    throw new AssertionError(where + "a second TYPE for " + m.group(1));
                }
                continue;
            }
            if (line.startsWith("#")) {
                continue;
            }
            Matcher m = SAMPLE.matcher(line);
            if (!m.matches()) {
                throw new AssertionError(where + "not a sample");
            }
            String name = m.group(1);
            if (family(name, types) == null) {
                throw new AssertionError(where + "no TYPE declared before the sample of " + name);
            }
            Map<String, String> labels = new LinkedHashMap<>();
            if (m.group(3) != null && !m.group(3).isEmpty()) {
                Matcher l = LABEL.matcher(m.group(3));
                int at = 0;
                while (at < m.group(3).length()) {
                    if (!l.find(at) || l.start() != at) {
                        throw new AssertionError(where + "bad labels at " + m.group(3).substring(at));
                    }
                    if (labels.put(l.group(1), l.group(2)) != null) {
                        throw new AssertionError(where + "label " + l.group(1) + " twice");
                    }
                    at = l.end();
                }
            }
            if (!VALUE.matcher(m.group(4)).matches()) {
                throw new AssertionError(where + "bad value " + m.group(4));
            }
            samples.add(new Sample(name, labels, Double.parseDouble(m.group(4).replace("Inf", "Infinity"))));
        }
        checkHistograms(samples, types);
        return samples;
    }

    private static String family(String name, Map<String, String> types) {
        if (types.containsKey(name)) {
            return name;
        }
        for (String suffix : List.of("_bucket", "_count", "_sum", "_total", "_created")) {
            if (name.endsWith(suffix) && types.containsKey(name.substring(0, name.length() - suffix.length()))) {
                return name.substring(0, name.length() - suffix.length());
            }
        }
        return null;
    }

    /** Buckets cumulative, the last one +Inf and equal to the count, per series. */
    private static void checkHistograms(List<Sample> samples, Map<String, String> types) {
        Map<String, List<Sample>> buckets = new LinkedHashMap<>();
        Map<String, Double> counts = new HashMap<>();
        for (Sample s : samples) {
            String family = family(s.name(), types);
            if (!"histogram".equals(types.get(family))) {
                continue;
            }
            Map<String, String> others = new LinkedHashMap<>(s.labels());
            others.remove("le");
            String series = family + others;
            if (s.name().endsWith("_bucket")) {
                buckets.computeIfAbsent(series, k -> new ArrayList<>()).add(s);
            } else if (s.name().endsWith("_count")) {
                counts.put(series, s.value());
            }
        }
        for (Map.Entry<String, List<Sample>> e : buckets.entrySet()) {
            double previousBound = Double.NEGATIVE_INFINITY;
            double previousCount = 0;
            for (Sample b : e.getValue()) {
                String le = b.labels().get("le");
                if (le == null) {
                    throw new AssertionError(e.getKey() + ": a bucket without le");
                }
                double bound = Double.parseDouble(le.replace("Inf", "Infinity"));
                if (bound <= previousBound || b.value() < previousCount) {
                    throw new AssertionError(e.getKey() + ": buckets not cumulative at le=" + le);
                }
                previousBound = bound;
                previousCount = b.value();
            }
            if (previousBound != Double.POSITIVE_INFINITY) {
                throw new AssertionError(e.getKey() + ": no le=\"+Inf\" bucket");
            }
            Double count = counts.get(e.getKey());
            if (count == null || count != previousCount) {
                throw new AssertionError(e.getKey() + ": +Inf bucket " + previousCount + " but count " + count);
            }
        }
    }
}
