package io.dynamo.server;

import io.dynamo.api.VectorClock;
import io.dynamo.core.config.NodeConfig;
import io.dynamo.core.coordination.RequestLimits;
import io.dynamo.spi.ConfigException;
import io.dynamo.spi.PluginConfig;

/**
 * Refuses, before anything is opened, a {@code tcp} transport whose frames cannot carry the
 * largest message the node's limits allow: a write of a value of {@code replication.max-value-size}
 * under a key of {@code replication.max-key-size} with a full vector clock. Such a node would
 * accept the setting and then fail every large write between replicas.
 *
 * <p>The transport's frame limit is a plugin setting the SPI does not expose, so the server,
 * which ships the {@code tcp} plugin, reads the {@code tcp.max-frame-size} key itself when the
 * node's transport is {@code tcp} (other transports are not checked).
 */
final class FrameSizeCheck {
    static final String TCP = "tcp";
    static final String MAX_FRAME_SIZE = "max-frame-size";
    /** The {@code tcp} transport's default, see its README. */
    static final long TCP_DEFAULT_MAX_FRAME_SIZE = 16 << 20;
    /** Room for the message's header, type, options and length prefixes. */
    static final int FIXED_OVERHEAD = 1024;
    /** One encoded clock entry at most: a node id of 255 characters of up to 3 bytes, counter and timestamp varints. */
    static final int CLOCK_ENTRY_BYTES = 5 + 3 * VectorClock.MAX_NODE_ID_LENGTH + 10 + 10;

    private FrameSizeCheck() {}

    /** The bytes the largest message of a node with {@code limits} and clocks of {@code maxClockEntries} needs. */
    static long largestMessage(RequestLimits limits, int maxClockEntries) {
        return (long) limits.maxValueSize() + limits.maxKeySize() + (long) maxClockEntries * CLOCK_ENTRY_BYTES
                + FIXED_OVERHEAD;
    }

    /** Throws {@link ConfigException} naming {@code tcp.max-frame-size} and the replication limits when frames are too small. */
    static void check(NodeConfig config) {
        if (!TCP.equals(config.transport())) {
            return;
        }
        PluginConfig tcp = config.section(TCP);
        long frame = tcp.getSize(MAX_FRAME_SIZE, TCP_DEFAULT_MAX_FRAME_SIZE);
        RequestLimits limits = RequestLimits.from(config.section("replication"));
        int clockEntries = config.replication().maxClockEntries();
        long needed = largestMessage(limits, clockEntries);
        if (frame < needed) {
            throw new ConfigException(tcp.fullKey(MAX_FRAME_SIZE), frame + " bytes is below the " + needed
                    + " bytes the largest message needs (replication." + RequestLimits.MAX_VALUE_SIZE + "="
                    + limits.maxValueSize() + " plus replication." + RequestLimits.MAX_KEY_SIZE + "="
                    + limits.maxKeySize() + ", " + clockEntries + " clock entries and framing): raise "
                    + tcp.fullKey(MAX_FRAME_SIZE) + " or lower replication." + RequestLimits.MAX_VALUE_SIZE);
        }
    }
}
