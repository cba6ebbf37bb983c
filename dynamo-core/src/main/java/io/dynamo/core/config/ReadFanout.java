package io.dynamo.core.config;

import io.dynamo.spi.ConfigException;
import java.util.Arrays;
import java.util.Locale;

/**
 * Which replicas a coordinator asks on a read ({@code replication.read-fanout}).
 *
 * <p>{@link #QUORUM} asks R of them (itself first) and one more for each that fails or has
 * not answered within {@code replication.speculative-retry}: the fewest messages, and read
 * repair covers the replicas asked. {@link #ALL} asks all N, as the Dynamo paper describes:
 * the fastest R answers win and every read repairs every replica, at N−R extra exchanges per
 * read.
 */
public enum ReadFanout {
    QUORUM,
    ALL;

    /** The lower-case name used in configs. */
    public String configName() {
        return name().toLowerCase(Locale.ROOT);
    }

    static ReadFanout parse(String key, String value) {
        return Arrays.stream(values())
                .filter(fanout -> fanout.configName().equals(value.trim()))
                .findFirst()
                .orElseThrow(() -> new ConfigException(key, "'" + value + "' is neither quorum nor all"));
    }
}
