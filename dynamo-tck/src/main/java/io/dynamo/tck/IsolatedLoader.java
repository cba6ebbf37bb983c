package io.dynamo.tck;

import java.net.URL;
import java.net.URLClassLoader;

/**
 * Loads a plugin's own classes afresh (child first), as a node's plugin loader does, so their
 * static state is new; shares the JDK, the SPI and SLF4J with its parent, as a node does.
 */
final class IsolatedLoader extends URLClassLoader {
    private static final String[] SHARED = {"java.", "javax.", "jdk.", "sun.", "com.sun.", "io.dynamo.api.", "io.dynamo.spi.",
        "org.slf4j.", "org.junit.", "org.opentest4j.", "net.jqwik."};

    IsolatedLoader(URL[] codeSources, ClassLoader parent) {
        super("dynamo-tck-isolated", codeSources, parent);
    }

    @Override
    protected Class<?> loadClass(String name, boolean resolve) throws ClassNotFoundException {
        if (shared(name)) {
            return super.loadClass(name, resolve);
        }
        synchronized (getClassLoadingLock(name)) {
            Class<?> loaded = findLoadedClass(name);
            if (loaded == null) {
                try {
                    loaded = findClass(name);
                } catch (ClassNotFoundException notOurs) {
                    return super.loadClass(name, resolve); // a dependency: from the parent
                }
            }
            if (resolve) {
                resolveClass(loaded);
            }
            return loaded;
        }
    }

    private static boolean shared(String name) {
        for (String prefix : SHARED) {
            if (name.startsWith(prefix)) {
                return true;
            }
        }
        return false;
    }
}
