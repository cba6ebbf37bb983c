package io.dynamo.api;

import java.time.Duration;

/**
 * Per-request overrides of the store's defaults: how many replicas must answer (R for a read,
 * W for a write) and how long to wait. Zero / null keep the store's configured value.
 */
public record RequestOptions(int quorum, Duration timeout) {
    public static final RequestOptions DEFAULT = new RequestOptions(0, null);

    public RequestOptions {
        if (quorum < 0) {
            throw new InvalidArgumentException("quorum must not be negative: " + quorum);
        }
        if (timeout != null && (timeout.isNegative() || timeout.isZero())) {
            throw new InvalidArgumentException("timeout must be positive: " + timeout);
        }
    }

    /** Require {@code quorum} answers (R or W) for this request. */
    public static RequestOptions quorum(int quorum) {
        return new RequestOptions(quorum, null);
    }

    public RequestOptions withTimeout(Duration timeout) {
        return new RequestOptions(quorum, timeout);
    }
}
