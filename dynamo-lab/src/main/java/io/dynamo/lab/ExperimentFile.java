package io.dynamo.lab;

import io.dynamo.api.InvalidArgumentException;
import io.dynamo.core.transport.local.Faults;
import java.io.IOException;
import java.io.Reader;
import java.io.StringReader;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Properties;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * An experiment as a properties file (format and every key in the module README). Unknown keys
 * and names are refused with the list of what exists; impossible settings with one line. A
 * {@code sweep.key} with {@code sweep.values} makes one experiment per value.
 */
public final class ExperimentFile {
    /** Every key a file may set, besides {@code fault.*}. */
    public static final Set<String> KEYS = new TreeSet<>(List.of("name", "description", "nodes", "n", "r", "w",
            "partitions", "timeout", "max-clock-entries", "strategies", "workload", "clients", "keys", "popularity",
            "reads", "think-time", "robots", "hot-keys", "robot-think-time", "network.delay", "network.drop",
            "network.duplicate", "network.reorder", "network.reorder-delay", "anti-entropy", "anti-entropy.interval",
            "seeds", "operations", "warmup", "settle-limit", "membership", "sweep.key", "sweep.values", "sweep.x"));
    private static final Pattern FAULT = Pattern.compile(
            "at\\s+(\\d+(?:\\.\\d+)?)%\\s+(\\S+)(.*?)(?:\\s+for\\s+(\\S+))?\\s*");

    /** One experiment of the file, with its sweep label ({@code key=value}, or empty) and x for plots. */
    public record Point(Experiment experiment, String label, double x) {}

    private final String text;
    private final List<Point> points;
    private final String sweepKey;

    private ExperimentFile(String text, List<Point> points, String sweepKey) {
        this.text = text;
        this.points = List.copyOf(points);
        this.sweepKey = sweepKey;
    }

    /** Reads an experiment; {@code seed}, when given, replaces the file's seeds. */
    public static ExperimentFile parse(String text, Optional<Long> seed) {
        Properties properties = new Properties();
        try (Reader reader = new StringReader(text)) {
            properties.load(reader);
        } catch (IOException | IllegalArgumentException e) {
            throw new LabException("the experiment file is not a properties file: " + e.getMessage());
        }
        for (String key : properties.stringPropertyNames()) {
            if (!KEYS.contains(key) && !key.startsWith("fault.")) {
                throw new LabException("unknown key '" + key + "'. Known keys: " + String.join(", ", KEYS) + ", fault.NAME");
            }
        }
        String sweepKey = properties.getProperty("sweep.key", "").trim();
        List<Point> points = new ArrayList<>();
        if (sweepKey.isEmpty()) {
            points.add(new Point(build(properties, seed), "", 0));
        } else {
            List<String> sweptKeys = split(sweepKey, "+");
            for (String swept : sweptKeys) {
                if (!KEYS.contains(swept) && !swept.startsWith("fault.") || swept.startsWith("sweep.")) {
                    throw new LabException("sweep.key: '" + swept + "' is not a key to sweep. Known keys: " + String.join(", ", KEYS));
                }
            }
            List<String> values = split(properties.getProperty("sweep.values", ""), ";");
            if (values.isEmpty()) {
                throw new LabException("sweep.values: give the values of " + sweepKey + ", separated by ';'");
            }
            List<String> xs = split(properties.getProperty("sweep.x", ""), ",");
            if (!xs.isEmpty() && xs.size() != values.size()) {
                throw new LabException("sweep.x has " + xs.size() + " numbers for " + values.size() + " sweep.values");
            }
            for (int i = 0; i < values.size(); i++) {
                Properties point = new Properties();
                point.putAll(properties);
                List<String> parts = sweptKeys.size() == 1 ? List.of(values.get(i)) : split(values.get(i), "+");
                if (parts.size() != sweptKeys.size()) {
                    throw new LabException("sweep.values: '" + values.get(i) + "' needs " + sweptKeys.size() + " values joined by '+'");
                }
                for (int k = 0; k < parts.size(); k++) {
                    point.setProperty(sweptKeys.get(k), parts.get(k));
                }
                double x = xs.isEmpty() ? leadingNumber(values.get(i), i + 1) : number("sweep.x", xs.get(i));
                points.add(new Point(build(point, seed), sweepKey + "=" + values.get(i), x));
            }
        }
        return new ExperimentFile(text, points, sweepKey);
    }

    public List<Point> points() {
        return points;
    }

    /** The swept key, or empty. */
    public String sweepKey() {
        return sweepKey;
    }

    public String text() {
        return text;
    }

    /** The first point's experiment (the only one without a sweep). */
    public Experiment experiment() {
        return points.get(0).experiment();
    }

    private static Experiment build(Properties p, Optional<Long> seed) {
        Experiment.Builder b = Experiment.builder();
        get(p, "name").ifPresent(b::name);
        get(p, "description").ifPresent(b::description);
        Experiment defaults = Experiment.builder().build();
        b.nodes(integer(p, "nodes", defaults.nodes()));
        b.replication(integer(p, "n", defaults.n()), integer(p, "r", defaults.r()), integer(p, "w", defaults.w()));
        b.partitions(integer(p, "partitions", defaults.partitions()));
        get(p, "timeout").ifPresent(t -> b.timeout(Durations.parse("timeout", t)));
        b.maxClockEntries(integer(p, "max-clock-entries", defaults.maxClockEntries()));
        get(p, "strategies").ifPresent(s -> b.strategies(split(s, ",")));
        get(p, "workload").ifPresent(w -> b.workload(WorkloadKind.parse(w)));
        b.clients(integer(p, "clients", defaults.clients()));
        b.keys(integer(p, "keys", defaults.keys()));
        get(p, "popularity").ifPresent(text -> b.popularity(popularity(text)));
        get(p, "reads").ifPresent(r -> b.readShare(share("reads", r)));
        get(p, "think-time").ifPresent(t -> b.thinkTime(Durations.parse("think-time", t)));
        b.robots(integer(p, "robots", 0), integer(p, "hot-keys", 1),
                get(p, "robot-think-time").map(t -> Durations.parse("robot-think-time", t)).orElse(defaults.robotThinkTime()));
        b.network(network(p, defaults.network()));
        b.faults(faults(p));
        b.antiEntropy(get(p, "anti-entropy").map(v -> flag("anti-entropy", v)).orElse(false),
                get(p, "anti-entropy.interval").map(v -> Durations.parse("anti-entropy.interval", v))
                        .orElse(defaults.antiEntropyInterval()));
        b.seeds(seed.map(List::of).orElseGet(() -> get(p, "seeds").map(ExperimentFile::seeds).orElse(List.of(1L))));
        b.operations(integer(p, "operations", defaults.operations()));
        get(p, "warmup").ifPresent(w -> b.warmup(share("warmup", w)));
        get(p, "membership").ifPresent(m -> b.gossip(switch (m) {
            case "static" -> false;
            case "gossip" -> true;
            default -> throw new LabException("membership: '" + m + "' is not static or gossip");
        }));
        get(p, "settle-limit").ifPresent(t -> b.settleLimit(Durations.parse("settle-limit", t)));
        return b.build();
    }

    private static Faults network(Properties p, Faults defaults) {
        Faults faults = defaults;
        Optional<String> delay = get(p, "network.delay");
        if (delay.isPresent()) {
            List<String> range = split(delay.get(), "-");
            if (range.size() > 2 || range.isEmpty()) {
                throw new LabException("network.delay: '" + delay.get() + "' is not DURATION or MIN-MAX (e.g. 1ms-20ms)");
            }
            Duration min = Durations.parse("network.delay", range.get(0));
            Duration max = Durations.parse("network.delay", range.get(range.size() - 1));
            faults = new Faults(0, 0, 0, min, max, Duration.ZERO);
        }
        try {
            faults = faults.withDropRate(get(p, "network.drop").map(v -> share("network.drop", v)).orElse(0.0));
            faults = faults.withDuplicateRate(get(p, "network.duplicate").map(v -> share("network.duplicate", v)).orElse(0.0));
            faults = faults.withReordering(get(p, "network.reorder").map(v -> share("network.reorder", v)).orElse(0.0),
                    get(p, "network.reorder-delay").map(v -> Durations.parse("network.reorder-delay", v))
                            .orElse(Duration.ofMillis(20)));
        } catch (InvalidArgumentException e) {
            throw new LabException("network: " + e.getMessage());
        }
        return faults;
    }

    private static List<ScheduledFault> faults(Properties p) {
        List<ScheduledFault> faults = new ArrayList<>();
        for (String key : new TreeSet<>(p.stringPropertyNames())) {
            if (key.startsWith("fault.")) {
                faults.add(fault(key, p.getProperty(key).trim()));
            }
        }
        return faults;
    }

    /** {@code at 25% partition node-1,node-2 | rest for 25%} and the like (README lists each kind). */
    static ScheduledFault fault(String key, String text) {
        Matcher m = FAULT.matcher(text);
        if (!m.matches()) {
            throw new LabException(key + ": '" + text + "' is not 'at P% KIND ARGUMENTS [for P%|DURATION]'");
        }
        double start = Double.parseDouble(m.group(1)) / 100;
        String kind = m.group(2);
        List<String> args = split(m.group(3), " ");
        Optional<Double> endFraction = Optional.empty();
        Optional<Duration> endAfter = Optional.empty();
        String until = m.group(4);
        if (until != null) {
            if (until.endsWith("%")) {
                endFraction = Optional.of(start + number(key, until.substring(0, until.length() - 1)) / 100);
            } else {
                endAfter = Optional.of(Durations.parse(key, until));
            }
        }
        Fault fault = switch (kind) {
            case "partition" -> new Fault.Partition(split(String.join(" ", args), "|").stream()
                    .map(group -> split(group, ",")).toList());
            case "one-way" -> {
                List<String> sides = split(String.join(" ", args), "->");
                if (sides.size() != 2) {
                    throw new LabException(key + ": one-way needs FROM,… -> TO,…");
                }
                yield new Fault.OneWay(split(sides.get(0), ","), split(sides.get(1), ","));
            }
            case "crash", "crash-wipe" -> new Fault.Crash(single(key, kind, args), kind.equals("crash-wipe"));
            case "pause" -> {
                if (endAfter.isEmpty()) {
                    throw new LabException(key + ": a pause needs 'for DURATION' (longer than the timeout to matter)");
                }
                Fault.Pause pause = new Fault.Pause(single(key, kind, args), endAfter.get());
                endAfter = Optional.empty(); // the pause ends by itself
                yield pause;
            }
            case "skew" -> {
                if (args.size() != 2) {
                    throw new LabException(key + ": skew needs NODE DURATION (e.g. skew node-1 -2s)");
                }
                yield new Fault.Skew(args.get(0), Durations.parse(key, args.get(1)));
            }
            case "network" -> new Fault.Network(networkFault(key, args));
            case "join" -> new Fault.Join(single(key, kind, args));
            case "leave" -> new Fault.Leave(single(key, kind, args));
            default -> throw new LabException(key + ": no fault named '" + kind + "'. Available: " + String.join(", ", Fault.NAMES));
        };
        return new ScheduledFault(start, fault, endFraction, endAfter);
    }

    /** Settings like {@code drop=0.2 delay=1ms-50ms duplicate=0.01 reorder=0.1}. */
    private static Faults networkFault(String key, List<String> args) {
        Properties p = new Properties();
        for (String arg : args) {
            int eq = arg.indexOf('=');
            if (eq < 0) {
                throw new LabException(key + ": network takes NAME=VALUE settings: drop, duplicate, reorder, delay");
            }
            String name = "network." + arg.substring(0, eq);
            if (!KEYS.contains(name)) {
                throw new LabException(key + ": unknown network setting '" + arg.substring(0, eq)
                        + "'. Available: delay, drop, duplicate, reorder, reorder-delay");
            }
            p.setProperty(name, arg.substring(eq + 1));
        }
        return network(p, Experiment.builder().build().network());
    }

    private static String single(String key, String kind, List<String> args) {
        if (args.size() != 1) {
            throw new LabException(key + ": " + kind + " needs one node, e.g. " + kind + " node-2");
        }
        return args.get(0);
    }

    private static Popularity popularity(String text) {
        String t = text.trim();
        if (t.equals("uniform")) {
            return new Popularity.Uniform();
        }
        if (t.equals("zipfian")) {
            return new Popularity.Zipfian(1.0);
        }
        if (t.startsWith("zipfian:")) {
            return new Popularity.Zipfian(number("popularity", t.substring("zipfian:".length())));
        }
        throw new LabException("popularity: '" + t + "' is not one of uniform, zipfian, zipfian:EXPONENT");
    }

    private static List<Long> seeds(String text) {
        String t = text.trim();
        Matcher range = Pattern.compile("(\\d+)\\.\\.(\\d+)").matcher(t);
        if (range.matches()) {
            long from = Long.parseLong(range.group(1));
            long to = Long.parseLong(range.group(2));
            if (to < from || to - from >= 1000) {
                throw new LabException("seeds: '" + t + "' must be FROM..TO with at most 1000 seeds");
            }
            List<Long> seeds = new ArrayList<>();
            for (long s = from; s <= to; s++) {
                seeds.add(s);
            }
            return seeds;
        }
        return split(t, ",").stream().map(s -> (long) number("seeds", s)).toList();
    }

    private static Optional<String> get(Properties p, String key) {
        String value = p.getProperty(key);
        return value == null || value.isBlank() ? Optional.empty() : Optional.of(value.trim());
    }

    private static int integer(Properties p, String key, int fallback) {
        Optional<String> value = get(p, key);
        if (value.isEmpty()) {
            return fallback;
        }
        try {
            return Integer.parseInt(value.get());
        } catch (NumberFormatException e) {
            throw new LabException(key + ": '" + value.get() + "' is not a whole number");
        }
    }

    private static double number(String key, String text) {
        try {
            return Double.parseDouble(text.trim());
        } catch (NumberFormatException e) {
            throw new LabException(key + ": '" + text.trim() + "' is not a number");
        }
    }

    /** {@code 0.25} or {@code 25%}. */
    private static double share(String key, String text) {
        String t = text.trim();
        return t.endsWith("%") ? number(key, t.substring(0, t.length() - 1)) / 100 : number(key, t);
    }

    private static boolean flag(String key, String text) {
        return switch (text.trim().toLowerCase(Locale.ROOT)) {
            case "on", "true", "yes" -> true;
            case "off", "false", "no" -> false;
            default -> throw new LabException(key + ": '" + text.trim() + "' is not on or off");
        };
    }

    private static double leadingNumber(String text, double fallback) {
        Matcher m = Pattern.compile("[^0-9-]*(-?\\d+(?:\\.\\d+)?).*").matcher(text);
        return m.matches() ? Double.parseDouble(m.group(1)) : fallback;
    }

    static List<String> split(String text, String separator) {
        return Arrays.stream(text.split(Pattern.quote(separator))).map(String::trim).filter(s -> !s.isEmpty()).toList();
    }
}
