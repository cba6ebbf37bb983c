package io.dynamo.core.coordination;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.time.Duration;
import org.junit.jupiter.api.Test;

/** A request's deadline runs on the monotonic clock: a wall-clock jump does not move it. */
class DeadlineTest {
    private final ManualClock clock = new ManualClock();

    @Test
    void aWallClockJumpNeitherExpiresNorStretchesADeadline() {
        Deadline deadline = Deadline.after(clock, Duration.ofSeconds(2));
        clock.advance(Duration.ofMillis(500));
        assertEquals(1500, deadline.remainingMillis());

        clock.jumpWallClock(Duration.ofHours(1));
        assertEquals(1500, deadline.remainingMillis());
        clock.jumpWallClock(Duration.ofHours(-2));
        assertEquals(1500, deadline.remainingMillis());

        clock.advance(Duration.ofMillis(1500));
        assertEquals(0, deadline.remainingMillis());
    }
}
