package io.dynamo.core.metrics;

import static java.util.Objects.requireNonNull;

import io.dynamo.spi.ConfigException;
import io.dynamo.spi.PluginConfig;
import java.util.OptionalInt;

/**
 * The {@code metrics.*} settings of a node.
 *
 * @param enabled {@code metrics.enabled} (default true): record meters at all; false makes every
 *     meter a no-op and turns the endpoint and JMX off
 * @param address {@code metrics.address} (default {@code 127.0.0.1}): where the Prometheus endpoint listens
 * @param port {@code metrics.port} (default none: no endpoint): the Prometheus endpoint's port, 1–65535,
 *     or 0 for any free port
 * @param jmx {@code metrics.jmx} (default false): publish the meters as JMX MBeans (domain {@code io.dynamo}) too;
 *     off by default because every meter is then recorded twice, the second time into Dropwizard's meters
 * @param jvm {@code metrics.jvm} (default true): JVM memory, GC, threads, class loading, CPU and uptime meters
 */
public record MetricsSettings(boolean enabled, String address, OptionalInt port, boolean jmx, boolean jvm) {
    public static final String NAMESPACE = "metrics";
    public static final String ENABLED = "enabled";
    public static final String ADDRESS = "address";
    public static final String PORT = "port";
    public static final String JMX = "jmx";
    public static final String JVM = "jvm";
    public static final String DEFAULT_ADDRESS = "127.0.0.1";
    /** Meters recorded, no endpoint, no JMX, no JVM meters: what embedded nodes and tests use. */
    public static final MetricsSettings IN_MEMORY = new MetricsSettings(true, DEFAULT_ADDRESS, OptionalInt.empty(), false,
            false);

    public MetricsSettings {
        requireNonNull(address, "address is null");
        requireNonNull(port, "port is null");
        if (address.isBlank()) {
            throw new ConfigException(NAMESPACE + "." + ADDRESS, "is empty");
        }
        if (port.isPresent() && (port.getAsInt() < 0 || port.getAsInt() > 65535)) {
            throw new ConfigException(NAMESPACE + "." + PORT, port.getAsInt() + " is not a port (0-65535)");
        }
    }

    /** The settings of {@code section}, the node config's {@code metrics} section. */
    public static MetricsSettings from(PluginConfig section) {
        OptionalInt port = section.get(PORT).isPresent() ? OptionalInt.of(section.getInt(PORT, 0)) : OptionalInt.empty();
        if (port.isPresent() && (port.getAsInt() < 0 || port.getAsInt() > 65535)) {
            throw new ConfigException(section.fullKey(PORT), port.getAsInt() + " is not a port (0-65535)");
        }
        String address = section.getString(ADDRESS, DEFAULT_ADDRESS).trim();
        if (address.isEmpty()) {
            throw new ConfigException(section.fullKey(ADDRESS), "is empty; give an address such as 127.0.0.1");
        }
        return new MetricsSettings(section.getBoolean(ENABLED, true), address, port, section.getBoolean(JMX, false),
                section.getBoolean(JVM, true));
    }

    /** True when a Prometheus endpoint is to be served. */
    public boolean serves() {
        return enabled && port.isPresent();
    }
}
