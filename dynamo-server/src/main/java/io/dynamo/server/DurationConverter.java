package io.dynamo.server;

import java.time.Duration;
import java.time.format.DateTimeParseException;
import java.util.Locale;
import picocli.CommandLine.ITypeConverter;
import picocli.CommandLine.TypeConversionException;

/**
 * Reads durations as people type them: {@code 250ms}, {@code 30s}, {@code 2m}, {@code 1h}, or
 * ISO-8601 ({@code PT1M30S}).
 */
final class DurationConverter implements ITypeConverter<Duration> {
    @Override
    public Duration convert(String text) {
        Duration duration = parse(text);
        if (duration.isNegative() || duration.isZero()) {
            throw new TypeConversionException("'" + text + "' is not a positive duration");
        }
        return duration;
    }

    static Duration parse(String text) {
        String t = text.trim().toLowerCase(Locale.ROOT);
        try {
            if (t.startsWith("pt") || t.startsWith("p")) {
                return Duration.parse(t.toUpperCase(Locale.ROOT));
            }
            if (t.endsWith("ms")) {
                return Duration.ofMillis(Long.parseLong(t.substring(0, t.length() - 2).trim()));
            }
            if (t.endsWith("s")) {
                return Duration.ofSeconds(Long.parseLong(t.substring(0, t.length() - 1).trim()));
            }
            if (t.endsWith("m")) {
                return Duration.ofMinutes(Long.parseLong(t.substring(0, t.length() - 1).trim()));
            }
            if (t.endsWith("h")) {
                return Duration.ofHours(Long.parseLong(t.substring(0, t.length() - 1).trim()));
            }
        } catch (NumberFormatException | DateTimeParseException e) {
            // reported below
        }
        throw new TypeConversionException("'" + text + "' is not a duration (e.g. 500ms, 30s, 2m, 1h)");
    }
}
