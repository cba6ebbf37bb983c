package io.dynamo.lab;

import io.dynamo.core.config.NodePluginContext;
import io.dynamo.core.plugin.ExtensionPoint;
import io.dynamo.core.plugin.LoadedFactory;
import io.dynamo.core.plugin.PluginRegistry;
import io.dynamo.spi.PluginConfig;
import io.dynamo.spi.PluginContext;
import io.dynamo.spi.causality.CausalityScheme;
import io.dynamo.spi.resolution.ConflictResolver;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;

/**
 * Strategies by name. The named ones pair a causality scheme with a resolver:
 * {@code vector-clock} (writer slots, siblings to the client), {@code plain-vector-clock}
 * (Dynamo's per-coordinator entries, the baseline), {@code dvv} (dotted version vectors), and
 * {@code lww} and {@code set-union} over writer slots. Any other conflict resolver the plugin
 * registry finds (class path or plugins directory: {@code max-register}, a CRDT module's
 * {@code or-set} and {@code pn-counter}, …) is a strategy of its own name over writer slots, and
 * {@code SCHEME+RESOLVER} pairs any scheme with any resolver (e.g. {@code dvv+lww}). So a
 * resolver jar added to the class path is a strategy without a change here.
 */
public final class Strategies {
    private static final Map<String, Strategy> NAMED = named();

    private final PluginRegistry registry;

    public Strategies(PluginRegistry registry) {
        this.registry = registry;
    }

    /** Strategies over the class path and {@code plugins} (which may be missing). */
    public static PluginRegistry registry(Path plugins) {
        return PluginRegistry.load(Strategies.class.getClassLoader(), plugins);
    }

    private static Map<String, Strategy> named() {
        Map<String, Strategy> named = new LinkedHashMap<>();
        named.put("vector-clock", new Strategy("vector-clock", "vector-clock", "vector-clock"));
        named.put("plain-vector-clock", new Strategy("plain-vector-clock", "plain-vector-clock", "vector-clock"));
        named.put("dvv", new Strategy("dvv", "dvv", "vector-clock"));
        named.put("lww", new Strategy("lww", "vector-clock", "lww"));
        named.put("set-union", new Strategy("set-union", "vector-clock", "set-union"));
        return java.util.Collections.unmodifiableMap(named);
    }

    /** The strategy called {@code name}, or a {@link LabException} listing what exists. */
    public Strategy strategy(String name) {
        Strategy named = NAMED.get(name);
        if (named != null) {
            return named;
        }
        int plus = name.indexOf('+');
        String scheme = plus < 0 ? "vector-clock" : name.substring(0, plus);
        String resolver = plus < 0 ? name : name.substring(plus + 1);
        if (!names(ExtensionPoint.CAUSALITY).contains(scheme) || !names(ExtensionPoint.CONFLICT_RESOLVER).contains(resolver)) {
            throw new LabException("strategies: no strategy named '" + name + "'. Available: " + String.join(", ", available())
                    + " (or SCHEME+RESOLVER with a scheme of " + names(ExtensionPoint.CAUSALITY) + ")");
        }
        return new Strategy(name, scheme, resolver);
    }

    /** Every strategy name that works without the {@code +} form. */
    public List<String> available() {
        TreeSet<String> all = new TreeSet<>(NAMED.keySet());
        all.addAll(names(ExtensionPoint.CONFLICT_RESOLVER));
        return List.copyOf(all);
    }

    public CausalityScheme causality(Strategy strategy) {
        return registry.create(ExtensionPoint.CAUSALITY, strategy.causality(), PluginConfig.empty(strategy.causality()),
                context());
    }

    public ConflictResolver resolver(Strategy strategy) {
        return registry.create(ExtensionPoint.CONFLICT_RESOLVER, strategy.resolver(), PluginConfig.empty(strategy.resolver()),
                context());
    }

    private <T, F extends io.dynamo.spi.ExtensionFactory<T>> List<String> names(ExtensionPoint<T, F> point) {
        List<String> names = new ArrayList<>();
        for (LoadedFactory<T, F> factory : registry.factories(point)) {
            names.add(factory.name());
        }
        return names;
    }

    private static PluginContext context() {
        return new NodePluginContext("lab", Path.of(System.getProperty("java.io.tmpdir"), "dynamo-lab"));
    }
}
