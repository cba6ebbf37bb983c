package io.dynamo.lab;

import java.time.Duration;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** Durations as experiment files write them: {@code 250ms}, {@code 2s}, {@code 1.5s}, {@code 3m}, signed for skews. */
final class Durations {
    private static final Pattern DURATION = Pattern.compile("([+-]?\\d+(?:\\.\\d+)?)\\s*(ms|s|m)");

    private Durations() {}

    static Duration parse(String key, String text) {
        Matcher m = DURATION.matcher(text.trim().toLowerCase(Locale.ROOT));
        if (!m.matches()) {
            throw new LabException(key + ": '" + text + "' is not a duration (e.g. 250ms, 2s, 1m)");
        }
        double amount = Double.parseDouble(m.group(1));
        double millis = switch (m.group(2)) {
            case "ms" -> amount;
            case "s" -> amount * 1000;
            default -> amount * 60_000;
        };
        return Duration.ofNanos(Math.round(millis * 1_000_000));
    }

    static String format(Duration duration) {
        long millis = duration.toMillis();
        return millis % 1000 == 0 && millis != 0 ? millis / 1000 + "s" : millis + "ms";
    }
}
