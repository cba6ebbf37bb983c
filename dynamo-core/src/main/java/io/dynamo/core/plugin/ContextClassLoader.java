package io.dynamo.core.plugin;

import java.util.function.Supplier;

/**
 * Runs plugin code with the thread's context class loader set to the plugin's loader, so that
 * libraries inside the plugin that look classes or resources up through the context loader
 * (ServiceLoader, JAXB, many serialization libraries) find the plugin's own.
 */
final class ContextClassLoader {
    private ContextClassLoader() {}

    static <T> T call(ClassLoader loader, Supplier<T> action) {
        Thread thread = Thread.currentThread();
        ClassLoader previous = thread.getContextClassLoader();
        thread.setContextClassLoader(loader);
        try {
            return action.get();
        } finally {
            thread.setContextClassLoader(previous);
        }
    }
}
