package io.dynamo.core.plugin;

import static java.util.Objects.requireNonNull;

import io.dynamo.spi.ExtensionFactory;
import io.dynamo.spi.PluginConfig;
import io.dynamo.spi.PluginContext;
import jakarta.inject.Inject;
import jakarta.inject.Singleton;
import java.util.ArrayList;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The extensions made for one node, in the order they were made, so that the node closes every
 * one of them when it stops: any product (partitioner, conflict resolver, storage engine,
 * transport) may implement {@link AutoCloseable}. {@link #closeAll()} closes them newest first,
 * each under its plugin's class loader; a close that fails is logged and the others are still
 * closed.
 *
 * <p>One per injector (a singleton made on demand): the plugin modules make every product
 * through it. Thread-safe.
 */
@Singleton
public final class CreatedExtensions {
    private static final Logger log = LoggerFactory.getLogger(CreatedExtensions.class);

    /** A product and what closing it needs. */
    private record Created(Object product, String description, ClassLoader classLoader) {}

    private final List<Created> created = new ArrayList<>();

    @Inject
    public CreatedExtensions() {}

    /**
     * Makes the product of {@code point}'s factory named {@code name} ({@link PluginRegistry#create})
     * and remembers it, to be closed by {@link #closeAll()}.
     */
    public <T, F extends ExtensionFactory<T>> T create(PluginRegistry registry, ExtensionPoint<T, F> point, String name,
            PluginConfig config, PluginContext context) {
        requireNonNull(registry, "registry is null");
        T product = registry.create(point, name, config, context);
        LoadedFactory<T, F> factory = registry.factory(point, name);
        remember(product, factory.toString(), factory.classLoader());
        return product;
    }

    /** Remembers {@code product}, made by the plugin of {@code classLoader}, to be closed by {@link #closeAll()}. */
    synchronized void remember(Object product, String description, ClassLoader classLoader) {
        created.add(new Created(requireNonNull(product, "product is null"), requireNonNull(description, "description is null"),
                requireNonNull(classLoader, "classLoader is null")));
    }

    /** The products made so far, oldest first. */
    public synchronized List<Object> products() {
        return created.stream().map(Created::product).toList();
    }

    /**
     * Closes every product that is {@link AutoCloseable}, newest first, and forgets them all. A
     * close that throws is logged at WARN (naming the extension) and does not stop the others;
     * nothing is thrown. A product already closed by its user is closed again: closes are
     * idempotent by contract.
     */
    public void closeAll() {
        List<Created> toClose;
        synchronized (this) {
            toClose = new ArrayList<>(created);
            created.clear();
        }
        for (int i = toClose.size() - 1; i >= 0; i--) {
            Created extension = toClose.get(i);
            if (!(extension.product() instanceof AutoCloseable closeable)) {
                continue;
            }
            try {
                ContextClassLoader.call(extension.classLoader(), () -> {
                    try {
                        closeable.close();
                        return null;
                    } catch (Exception e) {
                        throw new CloseFailed(e);
                    }
                });
                log.debug("Closed {}", extension.description());
            } catch (CloseFailed e) {
                log.warn("Closing {} failed; closing the others anyway", extension.description(), e.getCause());
            } catch (RuntimeException | LinkageError e) {
                log.warn("Closing {} failed; closing the others anyway", extension.description(), e);
            }
        }
    }

    /** Carries a checked exception of {@link AutoCloseable#close()} out of a supplier. */
    private static final class CloseFailed extends RuntimeException {
        CloseFailed(Exception cause) {
            super(cause);
        }
    }
}
