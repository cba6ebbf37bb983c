package io.dynamo.core.transport.local;

import io.dynamo.api.InvalidArgumentException;
import java.time.Duration;

/**
 * How a {@link LocalNetwork} mistreats messages: each message is independently dropped,
 * duplicated or held back with the given probabilities, and delayed by a uniform random time
 * in {@code [minDelay, maxDelay]}; a message held back ("reordered") waits up to
 * {@code reorderDelay} more, so later messages overtake it.
 */
public record Faults(double dropRate, double duplicateRate, double reorderRate, Duration minDelay, Duration maxDelay,
        Duration reorderDelay) {
    /** Every message delivered, once, at once. */
    public static final Faults NONE = new Faults(0, 0, 0, Duration.ZERO, Duration.ZERO, Duration.ZERO);

    public Faults {
        checkRate("dropRate", dropRate);
        checkRate("duplicateRate", duplicateRate);
        checkRate("reorderRate", reorderRate);
        if (minDelay == null || maxDelay == null || reorderDelay == null) {
            throw new InvalidArgumentException("delays must not be null");
        }
        if (minDelay.isNegative() || maxDelay.compareTo(minDelay) < 0 || reorderDelay.isNegative()) {
            throw new InvalidArgumentException("delays must satisfy 0 <= minDelay <= maxDelay and reorderDelay >= 0: "
                    + minDelay + ", " + maxDelay + ", " + reorderDelay);
        }
    }

    /** No loss, a uniform delay in {@code [min, max]}. */
    public static Faults delay(Duration min, Duration max) {
        return new Faults(0, 0, 0, min, max, Duration.ZERO);
    }

    public Faults withDropRate(double rate) {
        return new Faults(rate, duplicateRate, reorderRate, minDelay, maxDelay, reorderDelay);
    }

    public Faults withDuplicateRate(double rate) {
        return new Faults(dropRate, rate, reorderRate, minDelay, maxDelay, reorderDelay);
    }

    public Faults withReordering(double rate, Duration extraDelay) {
        return new Faults(dropRate, duplicateRate, rate, minDelay, maxDelay, extraDelay);
    }

    private static void checkRate(String name, double rate) {
        if (!(rate >= 0 && rate <= 1)) {
            throw new InvalidArgumentException(name + " must be in [0, 1]: " + rate);
        }
    }
}
