package io.dynamo.lab;

import java.time.Duration;
import java.util.Optional;

/**
 * A fault with its place in the run: it starts when {@code start} of the operations have been
 * invoked and ends when {@code endFraction} of them have, or {@code endAfter} of virtual time
 * later; with neither it lasts to the end of the workload. Every fault heals before the final
 * measurements.
 */
public record ScheduledFault(double start, Fault fault, Optional<Double> endFraction, Optional<Duration> endAfter) {
    public ScheduledFault {
        if (!(start >= 0 && start <= 1)) {
            throw new LabException("a fault starts between 0% and 100% of the run: " + start);
        }
        if (endFraction.isPresent() && endAfter.isPresent()) {
            throw new LabException("a fault ends after a share of the run or after a time, not both");
        }
        endFraction.ifPresent(end -> {
            if (!(end > start && end <= 1)) {
                throw new LabException("a fault must end after it starts and by 100%: " + start + " to " + end);
            }
        });
        endAfter.ifPresent(d -> {
            if (d.isNegative() || d.isZero()) {
                throw new LabException("a fault lasts a positive time: " + d);
            }
        });
    }

    /** Virtual time a fault lasts, when it is set by time. */
    public Optional<Duration> length() {
        return endAfter;
    }
}
