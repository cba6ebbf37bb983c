package io.dynamo.core.plugin;

import static java.util.Objects.requireNonNull;
import static java.util.stream.Collectors.joining;

import io.dynamo.core.config.NodeConfig;
import io.dynamo.spi.ConfigException;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Checks that every {@code namespace.key} of a node config has a reader, before anything is
 * made from it: the core checks the keys of its own sections ({@link NodeConfig}), a selected
 * plugin its own (when its factory lists its {@link io.dynamo.spi.ExtensionFactory#settingKeys}),
 * and this class the namespaces themselves, which nobody else would:
 * <ul>
 *   <li>a namespace that is no core section and no installed plugin's name (a misspelt
 *       {@code skiplst.max-keys-per-partition}) stops the start with a {@link ConfigException}
 *       naming the key and the closest known namespace;</li>
 *   <li>the keys of an installed plugin that is not selected (its settings are read by no one)
 *       are a warning, one line per plugin, which also names the keys the plugin says it does
 *       not read.</li>
 * </ul>
 */
public final class ConfigNamespaces {
    private static final Logger log = LoggerFactory.getLogger(ConfigNamespaces.class);

    private ConfigNamespaces() {}

    /**
     * Checks {@code config}'s namespaces against the core's and {@code registry}'s plugins. Throws
     * {@link ConfigException} for the first key (in sorted order) of an unknown namespace; logs each
     * warning at WARN and returns them.
     */
    public static List<String> check(NodeConfig config, PluginRegistry registry) {
        requireNonNull(config, "config is null");
        requireNonNull(registry, "registry is null");
        Set<String> selected = new TreeSet<>(List.of(config.partitioner(), config.storage(), config.transport(),
                config.resolver()));
        // a store's engine and resolver read their plugins' sections too
        config.stores().values().forEach(store -> selected.addAll(List.of(store.storage(), store.resolver())));
        Map<String, List<LoadedFactory<?, ?>>> installed = new TreeMap<>();
        for (ExtensionPoint<?, ?> point : ExtensionPoint.all()) {
            registry.factories(point).forEach(f -> installed.computeIfAbsent(f.name(), n -> new ArrayList<>()).add(f));
        }
        Map<String, List<String>> unselectedKeys = new LinkedHashMap<>();
        for (String key : config.asMap().keySet()) {
            int dot = key.indexOf('.');
            if (dot < 0) {
                continue; // a bare key is the core's, checked by NodeConfig
            }
            String namespace = key.substring(0, dot);
            if (NodeConfig.RESERVED_NAMESPACES.contains(namespace) || selected.contains(namespace)) {
                continue; // read, and checked, by the core or by the selected plugin
            }
            if (installed.containsKey(namespace)) {
                unselectedKeys.computeIfAbsent(namespace, n -> new ArrayList<>()).add(key);
                continue;
            }
            Set<String> known = new TreeSet<>(NodeConfig.RESERVED_NAMESPACES);
            known.addAll(installed.keySet());
            known.addAll(selected);
            String closest = closest(namespace, known);
            String suggestion = editDistance(namespace, closest) <= Math.max(2, namespace.length() / 3)
                    ? "did you mean '" + closest + "'?"
                    : "none is close (the closest is '" + closest + "').";
            throw new ConfigException(key, "no core section and no installed plugin is named '" + namespace + "'; "
                    + suggestion + " Known namespaces: " + String.join(", ", known)
                    + " (plugins from the class path and " + registry.pluginsDirectory() + ")");
        }
        List<String> warnings = new ArrayList<>();
        unselectedKeys.forEach((namespace, keys) -> {
            String warning = unselectedWarning(namespace, keys, installed.get(namespace), config);
            log.warn(warning);
            warnings.add(warning);
        });
        return List.copyOf(warnings);
    }

    private static String unselectedWarning(String namespace, List<String> keys, List<LoadedFactory<?, ?>> factories,
            NodeConfig config) {
        StringBuilder warning = new StringBuilder("Ignoring ").append(String.join(", ", keys)).append(": ")
                .append(factories.stream().map(LoadedFactory::toString).collect(joining(" and ")))
                .append(" is installed but not selected (")
                .append(factories.stream().map(f -> f.extensionPoint().configKey() + "=" + selection(f.extensionPoint(), config))
                        .distinct().collect(joining(", ")))
                .append(")");
        for (LoadedFactory<?, ?> factory : factories) {
            Optional<Set<String>> readable = factory.settingKeys();
            if (readable.isEmpty()) {
                continue;
            }
            List<String> unknown = keys.stream()
                    .filter(key -> !readable.get().contains(key.substring(namespace.length() + 1)))
                    .toList();
            if (!unknown.isEmpty()) {
                warning.append("; ").append(String.join(", ", unknown)).append(unknown.size() == 1 ? " is" : " are")
                        .append(" not among its settings (")
                        .append(readable.get().isEmpty() ? "it reads none"
                                : readable.get().stream().map(k -> namespace + "." + k).collect(joining(", ")))
                        .append(")");
            }
        }
        return warning.toString();
    }

    private static String selection(ExtensionPoint<?, ?> point, NodeConfig config) {
        if (point == ExtensionPoint.PARTITIONER) {
            return config.partitioner();
        }
        if (point == ExtensionPoint.STORAGE_ENGINE) {
            return config.storage();
        }
        if (point == ExtensionPoint.TRANSPORT) {
            return config.transport();
        }
        return config.resolver();
    }

    /** The name in {@code known} fewest single-character edits away from {@code name} (the first in order on a tie). */
    static String closest(String name, Set<String> known) {
        return known.stream()
                .min(Comparator.comparingInt((String candidate) -> editDistance(name, candidate))
                        .thenComparing(Comparator.naturalOrder()))
                .orElseThrow();
    }

    /** Levenshtein distance: insertions, deletions and substitutions of one character. */
    static int editDistance(String a, String b) {
        int[] previous = new int[b.length() + 1];
        int[] current = new int[b.length() + 1];
        for (int j = 0; j <= b.length(); j++) {
            previous[j] = j;
        }
        for (int i = 1; i <= a.length(); i++) {
            current[0] = i;
            for (int j = 1; j <= b.length(); j++) {
                int substitution = previous[j - 1] + (a.charAt(i - 1) == b.charAt(j - 1) ? 0 : 1);
                current[j] = Math.min(substitution, Math.min(previous[j] + 1, current[j - 1] + 1));
            }
            int[] swap = previous;
            previous = current;
            current = swap;
        }
        return previous[b.length()];
    }
}
