package io.dynamo.core.plugin;

import static java.util.Objects.requireNonNull;

import io.dynamo.api.DynamoException;
import io.dynamo.spi.ConfigException;
import io.dynamo.spi.ExtensionFactory;
import io.dynamo.spi.PluginConfig;
import io.dynamo.spi.PluginContext;
import java.util.Collections;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;

/**
 * A factory found in a plugin, with its name, where it came from and the class loader its
 * plugin runs in. Immutable and thread-safe (factories are thread-safe by contract).
 *
 * @param <T> the product
 * @param <F> the factory type
 */
public final class LoadedFactory<T, F extends ExtensionFactory<T>> {
    private final ExtensionPoint<T, F> extensionPoint;
    private final String name;
    private final F factory;
    private final PluginOrigin origin;
    private final ClassLoader classLoader;

    LoadedFactory(ExtensionPoint<T, F> extensionPoint, String name, F factory, PluginOrigin origin, ClassLoader classLoader) {
        this.extensionPoint = requireNonNull(extensionPoint, "extensionPoint is null");
        this.name = requireNonNull(name, "name is null");
        this.factory = requireNonNull(factory, "factory is null");
        this.origin = requireNonNull(origin, "origin is null");
        this.classLoader = requireNonNull(classLoader, "classLoader is null");
    }

    public ExtensionPoint<T, F> extensionPoint() {
        return extensionPoint;
    }

    /** The name the config selects it by. */
    public String name() {
        return name;
    }

    public F factory() {
        return factory;
    }

    public PluginOrigin origin() {
        return origin;
    }

    /** The class loader of the plugin that contributed it. */
    public ClassLoader classLoader() {
        return classLoader;
    }

    /**
     * The keys the factory says it reads in its namespace ({@link ExtensionFactory#settingKeys}),
     * sorted, or empty when it does not say. Asked under the plugin's class loader; a plugin that
     * fails to answer is reported as a {@link PluginLoadException} naming it.
     */
    public Optional<Set<String>> settingKeys() {
        Optional<Set<String>> keys;
        try {
            keys = ContextClassLoader.call(classLoader, factory::settingKeys);
        } catch (RuntimeException | LinkageError e) {
            throw new PluginLoadException(this + ": its settingKeys() failed: " + e, e);
        }
        return keys == null ? Optional.empty() : keys.map(TreeSet::new).map(Collections::unmodifiableSet);
    }

    /**
     * Makes a product with the plugin's class loader as the thread's context loader.
     * {@link DynamoException}s (a {@link io.dynamo.spi.ConfigException} naming its key, a
     * corrupt data file...) pass through unchanged; anything else the plugin throws, including
     * a class missing from its jar, becomes a {@link PluginLoadException} naming the plugin.
     */
    public T create(PluginConfig config, PluginContext context) {
        requireNonNull(config, "config is null");
        requireNonNull(context, "context is null");
        T product;
        try {
            Optional<Set<String>> known = settingKeys();
            product = ContextClassLoader.call(classLoader, () -> {
                checkSettings(config, known);
                return factory.create(config, context);
            });
        } catch (DynamoException e) {
            throw e;
        } catch (RuntimeException | LinkageError e) {
            throw new PluginLoadException(this + " failed to create its " + extensionPoint + ": " + e, e);
        }
        if (product == null) {
            throw new PluginLoadException(this + " created null");
        }
        return product;
    }

    /** Refuses a key of {@code config} the factory says it does not read (see {@link ExtensionFactory#settingKeys}). */
    private void checkSettings(PluginConfig config, Optional<Set<String>> known) {
        if (known.isEmpty()) {
            return;
        }
        for (String key : new TreeSet<>(config.asMap().keySet())) {
            if (!known.get().contains(key)) {
                throw new ConfigException(config.fullKey(key), "unknown setting of " + this
                        + (known.get().isEmpty() ? " (it reads none)"
                                : "; the known ones are " + new TreeSet<>(known.get()).stream()
                                        .map(config::fullKey).collect(Collectors.joining(", "))));
            }
        }
    }

    /** E.g. {@code storage engine 'chronicle' from plugins/chronicle.jar}. */
    @Override
    public String toString() {
        return extensionPoint + " '" + name + "' from " + origin;
    }
}
