package io.dynamo.spi;

import java.util.function.DoubleSupplier;

/**
 * Where a plugin records its meters: the node's one meter registry, seen without any metrics
 * library (the SPI depends on nothing but the JDK). The core implements it over Micrometer, so a
 * plugin's meters appear on the node's Prometheus endpoint and in JMX beside the core's, with the
 * node's {@code node} tag.
 *
 * <p>Names are lowercase words separated by dots, starting with {@code dynamo.} and the plugin's
 * name, the unit as the last word where there is one ({@code dynamo.tcp.received.bytes}); the
 * Prometheus form replaces the dots with underscores and adds {@code _total} to counters
 * ({@code dynamo_tcp_received_bytes_total}). Tags are key/value pairs.
 *
 * <p>Make each meter once (at creation of the product) and keep it: making one is a registry
 * look-up, recording is an atomic add. Thread-safe. A meter asked for twice with the same name
 * and tags is the same meter.
 */
public interface Metrics {
    /** A monotonic count. */
    interface Counter {
        void increment(long amount);

        default void increment() {
            increment(1);
        }
    }

    /** Meters that record nothing: what a context without a registry gives. */
    Metrics NONE = new Metrics() {
        @Override
        public Counter counter(String name, String description, String... tags) {
            return amount -> {};
        }

        @Override
        public void gauge(String name, String description, DoubleSupplier value, String... tags) {}
    };

    /**
     * The counter {@code name} with {@code tags} ({@code key1, value1, key2, value2, …}).
     *
     * @throws IllegalArgumentException for a bad name or an odd number of tag strings
     */
    Counter counter(String name, String description, String... tags);

    /**
     * A gauge whose value {@code value} gives when read (on a scrape: keep it cheap and
     * thread-safe). The registry holds {@code value} until the node closes.
     *
     * @throws IllegalArgumentException for a bad name or an odd number of tag strings
     */
    void gauge(String name, String description, DoubleSupplier value, String... tags);
}
