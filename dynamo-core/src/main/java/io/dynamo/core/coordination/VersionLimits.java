package io.dynamo.core.coordination;

import static java.util.Objects.requireNonNull;

import io.dynamo.api.InvalidArgumentException;
import io.dynamo.spi.ConfigException;
import io.dynamo.spi.PluginConfig;
import java.time.Duration;

/**
 * How many versions a key may have and how far ahead a clock's timestamps may be.
 *
 * @param siblingWarn a key with this many versions (siblings) is logged, at most once per key
 *     every {@link SiblingWarnings#INTERVAL_MILLIS} ({@code replication.sibling-warn}, default 25)
 * @param maxSiblings a client write that would add a version to a key already holding this many
 *     is refused; a write whose context covers some of them (so it replaces them) is always
 *     accepted ({@code replication.max-siblings}, default 100)
 * @param maxClockSkew a vector clock timestamp more than this ahead of the node's clock, in a
 *     context or in versions from the network, is refused ({@code replication.max-clock-skew},
 *     default 5 minutes)
 */
public record VersionLimits(int siblingWarn, int maxSiblings, Duration maxClockSkew) {
    public static final String SIBLING_WARN = "sibling-warn";
    public static final String MAX_SIBLINGS = "max-siblings";
    public static final String MAX_CLOCK_SKEW = "max-clock-skew";
    /**
     * Five minutes, the clock skew Kerberos tolerates by default: clocks kept by NTP differ by
     * milliseconds, and a node whose clock runs further ahead has every write it coordinates
     * refused by its peers, so the bound must be generous; what it must stop is a forged
     * timestamp far in the future deciding truncation and last-writer-wins for good.
     */
    public static final Duration DEFAULT_MAX_CLOCK_SKEW = Duration.ofMinutes(5);
    public static final VersionLimits DEFAULT = new VersionLimits(25, 100, DEFAULT_MAX_CLOCK_SKEW);

    public VersionLimits {
        requireNonNull(maxClockSkew, "maxClockSkew is null");
        if (maxSiblings < 1) {
            throw new InvalidArgumentException("maxSiblings must be at least 1: " + maxSiblings);
        }
        if (siblingWarn < 2) {
            throw new InvalidArgumentException("siblingWarn must be at least 2: " + siblingWarn);
        }
        if (maxClockSkew.isNegative()) {
            throw new InvalidArgumentException("maxClockSkew must not be negative: " + maxClockSkew);
        }
    }

    /** The limits from the {@code replication} section of a node config. */
    public static VersionLimits from(PluginConfig replication) {
        int warn = replication.getInt(SIBLING_WARN, DEFAULT.siblingWarn());
        int max = replication.getInt(MAX_SIBLINGS, DEFAULT.maxSiblings());
        Duration skew = replication.getDuration(MAX_CLOCK_SKEW, DEFAULT.maxClockSkew());
        if (max < 1) {
            throw new ConfigException(replication.fullKey(MAX_SIBLINGS), max + " is not at least 1");
        }
        if (warn < 2) {
            throw new ConfigException(replication.fullKey(SIBLING_WARN), warn + " is not at least 2");
        }
        if (skew.isNegative()) {
            throw new ConfigException(replication.fullKey(MAX_CLOCK_SKEW), skew + " is negative");
        }
        return new VersionLimits(warn, max, skew);
    }
}
