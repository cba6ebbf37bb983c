package io.dynamo.core.plugin;

import static java.util.Objects.requireNonNull;

import java.util.List;

/**
 * What a node was assembled from: every factory of its {@link PluginRegistry}, described once
 * when the node is made ({@link PluginModule} binds it), for {@code dynamo plugins --node}.
 *
 * @param descriptions by extension point, then name
 */
public record LoadedPlugins(List<PluginDescription> descriptions) {
    /** What a node assembled without a {@link PluginRegistry} lists: nothing. */
    public static final LoadedPlugins NONE = new LoadedPlugins(List.of());

    public LoadedPlugins {
        descriptions = List.copyOf(requireNonNull(descriptions, "descriptions is null"));
    }
}
