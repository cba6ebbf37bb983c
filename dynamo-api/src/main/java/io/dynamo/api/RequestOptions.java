package io.dynamo.api;

import static java.util.Objects.requireNonNull;

import java.time.Duration;

/**
 * Per-request overrides of the store's defaults. Zero / null keep the store's configured value.
 *
 * @param quorum R for a read, W for a write: how many replicas (primaries or stand-ins) must answer
 * @param timeout how long to wait
 * @param primaries pr for a read, pw for a write: how many of the key's primary replicas (the first
 *     N distinct owners in its preference list, not stand-ins) must answer, Riak's {@code pr}/{@code pw};
 *     at most N (checked by the coordinator, which knows N). A request then needs
 *     max(quorum, primaries) answers, of which {@code primaries} from primaries, and fails with
 *     {@link PrimaryQuorumException} rather than being satisfied by stand-ins
 * @param condition when a put or delete may be applied ({@link Condition}); ignored by reads
 */
public record RequestOptions(int quorum, Duration timeout, int primaries, Condition condition) {
    public static final RequestOptions DEFAULT = new RequestOptions(0, null);

    /** The largest quorum or primaries a request may name (the wire's limit). */
    public static final int MAX_QUORUM = 255;

    public RequestOptions {
        if (quorum < 0 || quorum > MAX_QUORUM) {
            throw new InvalidArgumentException("quorum must be in [0, " + MAX_QUORUM + "]: " + quorum);
        }
        if (timeout != null && (timeout.isNegative() || timeout.isZero())) {
            throw new InvalidArgumentException("timeout must be positive: " + timeout);
        }
        if (primaries < 0 || primaries > MAX_QUORUM) {
            throw new InvalidArgumentException("primaries (pr/pw) must be in [0, " + MAX_QUORUM + "]: " + primaries);
        }
        if (condition == null) {
            throw new InvalidArgumentException("condition is null (use Condition.NONE)");
        }
    }

    public RequestOptions(int quorum, Duration timeout) {
        this(quorum, timeout, 0, Condition.NONE);
    }

    /** Require {@code quorum} answers (R or W) for this request. */
    public static RequestOptions quorum(int quorum) {
        return new RequestOptions(quorum, null);
    }

    /** Require {@code primaries} answers from primary replicas (pr or pw) for this request. */
    public static RequestOptions primaries(int primaries) {
        return DEFAULT.withPrimaries(primaries);
    }

    public RequestOptions withTimeout(Duration timeout) {
        return new RequestOptions(quorum, timeout, primaries, condition);
    }

    public RequestOptions withQuorum(int quorum) {
        return new RequestOptions(quorum, timeout, primaries, condition);
    }

    public RequestOptions withPrimaries(int primaries) {
        return new RequestOptions(quorum, timeout, primaries, condition);
    }

    public RequestOptions withCondition(Condition condition) {
        return new RequestOptions(quorum, timeout, primaries, requireNonNull(condition, "condition is null"));
    }
}
