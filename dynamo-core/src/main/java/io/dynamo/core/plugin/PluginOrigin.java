package io.dynamo.core.plugin;

import static java.util.Objects.requireNonNull;

/**
 * Where a plugin was found.
 *
 * @param source the plugin's jar or folder under the plugins directory, or {@code class path}
 * @param pluginClass the class implementing {@link io.dynamo.spi.DynamoPlugin}
 * @param codeLocation where that class was loaded from (a jar or class folder URL), or
 *     {@code unknown}
 */
public record PluginOrigin(String source, String pluginClass, String codeLocation) {
    /** The {@link #source} of every plugin found on the application class path. */
    public static final String CLASS_PATH = "class path";

    public PluginOrigin {
        requireNonNull(source, "source is null");
        requireNonNull(pluginClass, "pluginClass is null");
        requireNonNull(codeLocation, "codeLocation is null");
    }

    /** The source alone, as shown in lists of available names. */
    @Override
    public String toString() {
        return source;
    }

    /** Source, plugin class and code location, to tell apart two plugins from one source. */
    public String describe() {
        return source + " (" + pluginClass + " at " + codeLocation + ")";
    }
}
