package io.dynamo.spi;

import static java.util.Objects.requireNonNull;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A plugin's own namespace of the node config: in a node config, the keys under
 * {@code <plugin-name>.} (e.g. {@code chronicle.entries=1000000}), with the prefix removed.
 *
 * <p>Immutable and thread-safe. Every getter takes a default used when the key is absent; a
 * present but malformed value throws {@link ConfigException} naming the full key, never falls
 * back to the default silently.
 */
public final class PluginConfig {
    private static final Pattern SIZE = Pattern.compile("(\\d+)\\s*([kmgt]?)(i?b)?", Pattern.CASE_INSENSITIVE);
    private static final Pattern DURATION = Pattern.compile("(\\d+)\\s*(ms|s|m|h)?", Pattern.CASE_INSENSITIVE);

    private final String namespace;
    private final Map<String, String> values;

    public PluginConfig(String namespace, Map<String, String> values) {
        this.namespace = requireNonNull(namespace, "namespace is null");
        this.values = Map.copyOf(requireNonNull(values, "values is null"));
    }

    /** An empty config: every getter returns its default. */
    public static PluginConfig empty(String namespace) {
        return new PluginConfig(namespace, Map.of());
    }

    /** The namespace, e.g. {@code chronicle}. */
    public String namespace() {
        return namespace;
    }

    /** The raw values, keys without the namespace prefix, sorted. */
    public Map<String, String> asMap() {
        return new TreeMap<>(values);
    }

    /** A copy with {@code key} set to {@code value}. */
    public PluginConfig with(String key, String value) {
        Map<String, String> copy = new TreeMap<>(values);
        copy.put(key, value);
        return new PluginConfig(namespace, copy);
    }

    public Optional<String> get(String key) {
        String value = values.get(key);
        return value == null ? Optional.empty() : Optional.of(value.trim());
    }

    public String getString(String key, String defaultValue) {
        return get(key).orElse(defaultValue);
    }

    /** The value of a key that has no sensible default. */
    public String require(String key) {
        return get(key).orElseThrow(() -> new ConfigException(fullKey(key), "is required"));
    }

    public int getInt(String key, int defaultValue) {
        long value = getLong(key, defaultValue);
        if (value < Integer.MIN_VALUE || value > Integer.MAX_VALUE) {
            throw invalid(key, values.get(key), "an int");
        }
        return (int) value;
    }

    public long getLong(String key, long defaultValue) {
        Optional<String> raw = get(key);
        if (raw.isEmpty()) {
            return defaultValue;
        }
        try {
            return Long.parseLong(raw.get().replace("_", ""));
        } catch (NumberFormatException e) {
            throw invalid(key, raw.get(), "an integer");
        }
    }

    public double getDouble(String key, double defaultValue) {
        Optional<String> raw = get(key);
        if (raw.isEmpty()) {
            return defaultValue;
        }
        try {
            double value = Double.parseDouble(raw.get());
            if (Double.isNaN(value) || Double.isInfinite(value)) {
                throw invalid(key, raw.get(), "a finite number");
            }
            return value;
        } catch (NumberFormatException e) {
            throw invalid(key, raw.get(), "a number");
        }
    }

    public boolean getBoolean(String key, boolean defaultValue) {
        Optional<String> raw = get(key);
        if (raw.isEmpty()) {
            return defaultValue;
        }
        return switch (raw.get().toLowerCase()) {
            case "true", "yes", "on" -> true;
            case "false", "no", "off" -> false;
            default -> throw invalid(key, raw.get(), "true or false");
        };
    }

    /** A duration: {@code 250ms}, {@code 5s}, {@code 2m}, {@code 1h}; a bare number is milliseconds. */
    public Duration getDuration(String key, Duration defaultValue) {
        Optional<String> raw = get(key);
        if (raw.isEmpty()) {
            return defaultValue;
        }
        Matcher m = DURATION.matcher(raw.get());
        if (!m.matches()) {
            throw invalid(key, raw.get(), "a duration such as 250ms, 5s, 2m or 1h");
        }
        String unit = m.group(2) == null ? "ms" : m.group(2).toLowerCase();
        try {
            long amount = Long.parseLong(m.group(1));
            return switch (unit) {
                case "s" -> Duration.ofSeconds(amount);
                case "m" -> Duration.ofMinutes(amount);
                case "h" -> Duration.ofHours(amount);
                default -> Duration.ofMillis(amount);
            };
        } catch (NumberFormatException | ArithmeticException e) {
            throw invalid(key, raw.get(), "a duration that fits a long");
        }
    }

    /** A size in bytes: {@code 512}, {@code 64k}, {@code 16MiB}, {@code 2g} (binary multiples). */
    public long getSize(String key, long defaultValue) {
        Optional<String> raw = get(key);
        if (raw.isEmpty()) {
            return defaultValue;
        }
        Matcher m = SIZE.matcher(raw.get());
        if (!m.matches()) {
            throw invalid(key, raw.get(), "a size such as 512, 64k, 16m or 2g");
        }
        int shift = switch (m.group(2).toLowerCase()) {
            case "k" -> 10;
            case "m" -> 20;
            case "g" -> 30;
            case "t" -> 40;
            default -> 0;
        };
        long amount;
        try {
            amount = Long.parseLong(m.group(1));
        } catch (NumberFormatException e) {
            throw invalid(key, raw.get(), "a size below 8 EiB");
        }
        if (amount > (Long.MAX_VALUE >> shift)) {
            throw invalid(key, raw.get(), "a size below 8 EiB");
        }
        return amount << shift;
    }

    public Path getPath(String key, Path defaultValue) {
        Optional<String> raw = get(key);
        if (raw.isEmpty()) {
            return defaultValue;
        }
        try {
            return Path.of(raw.get());
        } catch (RuntimeException e) {
            throw invalid(key, raw.get(), "a file path");
        }
    }

    /** The full key as written in the node config, for messages. */
    public String fullKey(String key) {
        return namespace.isEmpty() ? key : namespace + "." + key;
    }

    private ConfigException invalid(String key, String raw, String expected) {
        return new ConfigException(fullKey(key), "'" + raw + "' is not " + expected);
    }

    @Override
    public String toString() {
        return namespace + asMap();
    }
}
