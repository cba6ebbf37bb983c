package io.dynamo.core.plugin;

import static java.util.Objects.requireNonNull;

import java.net.URL;
import java.net.URLClassLoader;
import java.util.List;

/**
 * The class loader of one plugin (one jar, or one folder of jars). Its parent is the platform
 * class loader, so the plugin sees the JDK and its own jars, and nothing of the application
 * or of other plugins, except the shared packages: the API and SPI (so that the plugin's
 * classes implement the very interfaces the core calls) and SLF4J (so that the plugin logs
 * through the node's logging). Those are always taken from the application, even when the
 * plugin bundles a copy.
 */
final class PluginClassLoader extends URLClassLoader {
    static final List<String> SHARED_PACKAGES = List.of("io.dynamo.api.", "io.dynamo.spi.", "org.slf4j.");

    static {
        registerAsParallelCapable();
    }

    private final ClassLoader shared;

    PluginClassLoader(String name, List<URL> urls, ClassLoader shared) {
        super(name, urls.toArray(URL[]::new), ClassLoader.getPlatformClassLoader());
        this.shared = requireNonNull(shared, "shared is null");
    }

    static boolean isShared(String className) {
        return SHARED_PACKAGES.stream().anyMatch(className::startsWith);
    }

    @Override
    protected Class<?> loadClass(String name, boolean resolve) throws ClassNotFoundException {
        if (isShared(name)) {
            return shared.loadClass(name);
        }
        // Platform first (the JDK), then the plugin's own jars.
        return super.loadClass(name, resolve);
    }

    @Override
    public String toString() {
        return "PluginClassLoader[" + getName() + "]";
    }
}
