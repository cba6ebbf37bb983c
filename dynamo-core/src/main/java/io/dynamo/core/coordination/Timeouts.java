package io.dynamo.core.coordination;

import java.time.Duration;

/** How long a hop that forwards a request waits beyond the request's own timeout. */
public final class Timeouts {
    private Timeouts() {}

    /**
     * {@code timeout} plus a quarter of it and 50 ms: room for the coordinator to report a
     * quorum failure before the caller gives up on it.
     */
    public static Duration withSlack(Duration timeout) {
        return timeout.plus(timeout.dividedBy(4)).plusMillis(50);
    }
}
