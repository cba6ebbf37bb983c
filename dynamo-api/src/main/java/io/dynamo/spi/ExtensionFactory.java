package io.dynamo.spi;

import java.util.Optional;
import java.util.Set;

/**
 * Makes one kind of extension under a name the node config selects it by.
 *
 * <p>Factories are created once per plugin load and must be thread-safe. {@link #create} may be
 * called more than once per process (an in-process cluster makes one product per node).
 *
 * @param <T> the extension point, e.g. {@link io.dynamo.spi.storage.StorageEngine}
 */
public interface ExtensionFactory<T> {
    /**
     * The name the config selects this implementation by: short, lowercase, matching
     * {@code [a-z][a-z0-9-]*} (e.g. {@code md5}, {@code chronicle}). Unique per extension point
     * across all loaded plugins.
     */
    String name();

    /**
     * The keys this implementation reads from its namespace (for {@code tcp.io-threads}, the key
     * {@code io-threads}), or empty when it does not say. When present, a node refuses any other
     * key in the namespace before {@link #create} runs, naming it, so that a misspelt setting
     * (say, of a cluster secret) stops the start instead of being ignored. The keys are also
     * what {@code dynamo plugins} lists, and a node warns about keys outside them that are set for
     * an installed plugin it does not select.
     */
    default Optional<Set<String>> settingKeys() {
        return Optional.empty();
    }

    /**
     * Makes a new product. Throws {@link ConfigException} naming the key when the config is
     * invalid, or another {@link io.dynamo.api.DynamoException} when the product cannot be
     * made (e.g. an unreadable data file); the node then refuses to start.
     */
    T create(PluginConfig config, PluginContext context);
}
