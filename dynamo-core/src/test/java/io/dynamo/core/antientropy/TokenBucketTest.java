package io.dynamo.core.antientropy;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.dynamo.core.coordination.ManualClock;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/** The anti-entropy rate limiter: a burst of one second's worth, then pauses; wall-clock jumps change nothing. */
class TokenBucketTest {
    private final ManualClock clock = new ManualClock();
    private final TokenBucket bucket = new TokenBucket(1000, clock);

    @Test
    void pausesOnceTheBurstIsSpent() {
        assertEquals(Duration.ZERO, bucket.take(1000));
        assertEquals(Duration.ofMillis(250), bucket.take(250));
        clock.advance(Duration.ofMillis(250));
        assertEquals(Duration.ZERO, bucket.take(0));
    }

    @Test
    void aWallClockJumpBackNeitherStallsRepair() {
        assertEquals(Duration.ZERO, bucket.take(1000));
        clock.jumpWallClock(Duration.ofHours(-1));
        // on the wall clock the bucket would owe an hour of refill and pause for it
        assertEquals(Duration.ofMillis(500), bucket.take(500));
    }

    @Test
    void norAJumpForwardLiftsTheLimit() {
        assertEquals(Duration.ZERO, bucket.take(1000));
        clock.jumpWallClock(Duration.ofHours(1));
        assertEquals(Duration.ofMillis(1000), bucket.take(1000));
    }
}
