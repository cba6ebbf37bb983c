package io.dynamo.core.coordination;

import static java.util.Objects.requireNonNull;

import java.time.Duration;

/**
 * When a request must be done by, on its scheduler's monotonic clock
 * ({@link Scheduler#monotonicMillis}): a wall-clock jump neither expires it early nor
 * stretches it.
 *
 * @param scheduler whose monotonic clock measures it
 * @param atMillis the moment, in that clock's milliseconds
 */
public record Deadline(Scheduler scheduler, long atMillis) {
    public Deadline {
        requireNonNull(scheduler, "scheduler is null");
    }

    /** The deadline {@code timeout} from now. */
    public static Deadline after(Scheduler scheduler, Duration timeout) {
        return new Deadline(scheduler, scheduler.monotonicMillis() + timeout.toMillis());
    }

    /** Milliseconds left; zero or less once it passed. */
    public long remainingMillis() {
        return atMillis - scheduler.monotonicMillis();
    }
}
