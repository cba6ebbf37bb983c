package io.dynamo.core.metrics;

import static java.util.Objects.requireNonNull;

import io.dynamo.spi.Metrics;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import java.util.function.DoubleSupplier;
import java.util.regex.Pattern;

/** The {@link Metrics} a plugin gets from its {@link io.dynamo.spi.PluginContext}: meters in the node's registry. */
public final class PluginMeters implements Metrics {
    private static final Pattern NAME = Pattern.compile("dynamo(\\.[a-z][a-z0-9_]*)+");

    private final MeterRegistry registry;

    public PluginMeters(MeterRegistry registry) {
        this.registry = requireNonNull(registry, "registry is null");
    }

    @Override
    public Counter counter(String name, String description, String... tags) {
        check(name, tags);
        io.micrometer.core.instrument.Counter counter = io.micrometer.core.instrument.Counter.builder(name)
                .description(description).tags(tags).register(registry);
        return counter::increment;
    }

    @Override
    public void gauge(String name, String description, DoubleSupplier value, String... tags) {
        check(name, tags);
        requireNonNull(value, "value is null");
        Gauge.builder(name, value, DoubleSupplier::getAsDouble).description(description).tags(tags)
                .strongReference(true).register(registry);
    }

    private static void check(String name, String[] tags) {
        requireNonNull(name, "name is null");
        if (!NAME.matcher(name).matches()) {
            throw new IllegalArgumentException("meter name '" + name
                    + "' is not lowercase words separated by dots, starting with 'dynamo.'");
        }
        if (tags.length % 2 != 0) {
            throw new IllegalArgumentException("tags of " + name + " are not key/value pairs: " + String.join(",", tags));
        }
    }
}
