package io.dynamo.core.metrics;

import io.dynamo.api.InvalidArgumentException;
import io.dynamo.api.PrimaryQuorumException;
import io.dynamo.api.QuorumException;
import io.dynamo.api.RequestTimeoutException;
import io.dynamo.api.UnavailableException;
import io.dynamo.spi.storage.StorageFullException;
import java.util.Locale;

/**
 * Why a coordinated request failed, as the {@code cause} tag of {@code dynamo_quorum_failures_total}.
 * A fixed set, so the meters are made once.
 */
public enum QuorumFailureCause {
    /** Too few replicas answered in time although enough were asked (slow or lost answers). */
    TIMEOUT,
    /** Too few replicas could even be asked: suspected owners and no stand-in left. */
    UNAVAILABLE,
    /** The request was refused (too large, R or W above N, a bad context). */
    INVALID,
    /** The local disk refused the write. */
    STORAGE_FULL,
    /** Too few primary replicas answered a request with pr/pw (stand-ins do not count), or were up to ask. */
    PRIMARIES,
    /** Anything else (an internal error). */
    OTHER;

    public final String tag = name().toLowerCase(Locale.ROOT).replace('_', '-');

    /** The cause of {@code failure}, a coordinator's exception. */
    public static QuorumFailureCause of(Throwable failure) {
        if (failure instanceof PrimaryQuorumException) {
            return PRIMARIES;
        }
        if (failure instanceof QuorumException q) {
            return q.asked() >= q.required() ? TIMEOUT : UNAVAILABLE;
        }
        if (failure instanceof RequestTimeoutException) {
            return TIMEOUT;
        }
        if (failure instanceof UnavailableException) {
            return UNAVAILABLE;
        }
        if (failure instanceof InvalidArgumentException) {
            return INVALID;
        }
        if (failure instanceof StorageFullException) {
            return STORAGE_FULL;
        }
        return OTHER;
    }
}
