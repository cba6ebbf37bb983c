package io.dynamo.server;

import static java.util.Objects.requireNonNull;

import io.dynamo.core.plugin.ExtensionPoint;
import io.dynamo.core.plugin.LoadedFactory;
import io.dynamo.core.plugin.PluginDescription;
import io.dynamo.core.plugin.PluginLoadException;
import io.dynamo.core.plugin.PluginOrigin;
import io.dynamo.core.plugin.PluginRegistry;
import io.dynamo.core.plugin.PluginRegistry.BrokenPlugin;
import io.dynamo.spi.PluginConfig;
import io.dynamo.spi.transport.Endpoint;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.function.Function;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/**
 * {@code dynamo plugins}: every plugin this distribution finds (its class path and its
 * {@code plugins/} directory), one line per factory, then the broken ones; with {@code --check},
 * exit code 1 when any is broken, for a plugin author's CI.
 */
@Command(name = "plugins", mixinStandardHelpOptions = true,
        description = {"List every plugin found on the class path and in the plugins directory: name, extension point,"
                + " SPI version its jar declares, origin (jar or folder; for the class path, the jar), and the settings it"
                + " reads ('(not listed)' when its factory does not say). Broken plugins are listed after them.",
                "With --node HOST:PORT, list what that running node loaded instead (an admin request).",
                "Exit code 0, or with --check 1 when any plugin is broken or the plugins directory holds a jar or folder"
                        + " that is no plugin (e.g. a jar without META-INF/services/io.dynamo.spi.DynamoPlugin)."})
final class PluginsCommand implements Callable<Integer> {
    private final Path defaultPluginsDirectory;
    private final Function<PluginConfig, NodeProbe> probes;

    @Spec CommandSpec spec;

    @Option(names = "--node", paramLabel = "HOST:PORT",
            description = "Ask this running node what it loaded instead (needs the admin credential when the cluster has"
                    + " secrets: --set tcp.admin-secret-file=FILE, or a --config whose tcp.* keys hold it).")
    String node;

    @Option(names = "--timeout", paramLabel = "DURATION", defaultValue = "5s", converter = DurationConverter.class,
            description = "With --node: how long to wait for the answer (default: ${DEFAULT-VALUE}).")
    Duration timeout;

    @Option(names = "--config", paramLabel = "FILE",
            description = "With --node: a node config file whose tcp.* keys (secrets, TLS) the request uses.")
    Path config;

    @Option(names = "--set", paramLabel = "tcp.KEY=VALUE",
            description = "With --node: a transport setting, e.g. --set tcp.admin-secret-file=FILE (repeatable).")
    Map<String, String> transportSettings = new LinkedHashMap<>();

    @Option(names = "--plugins-dir", paramLabel = "DIR",
            description = "The plugins directory to look in (default: the distribution's plugins/).")
    Path pluginsDirectory;

    @Option(names = "--check",
            description = "Load every plugin, ask each factory for its settings, and exit with 1 if any plugin is broken.")
    boolean check;

    PluginsCommand(Path defaultPluginsDirectory, Function<PluginConfig, NodeProbe> probes) {
        this.defaultPluginsDirectory = requireNonNull(defaultPluginsDirectory, "defaultPluginsDirectory is null");
        this.probes = requireNonNull(probes, "probes is null");
    }

    @Override
    public Integer call() {
        PrintWriter out = spec.commandLine().getOut();
        if (node != null) {
            if (check || pluginsDirectory != null) {
                throw new ParameterException(spec.commandLine(), "--node lists what a running node loaded: it takes"
                        + " neither --check nor --plugins-dir");
            }
            Endpoint endpoint = Addresses.parse("--node", List.of(node)).get(0);
            List<PluginDescription> loaded;
            try (NodeProbe probe = probes.apply(ClientTransportSettings.of(config, transportSettings))) {
                loaded = probe.plugins(endpoint, timeout);
            }
            print(out, loaded);
            out.printf("%d plugin factor%s loaded by the node at %s%n", loaded.size(), loaded.size() == 1 ? "y" : "ies",
                    endpoint);
            out.flush();
            return 0;
        }
        Path directory = pluginsDirectory != null ? pluginsDirectory : defaultPluginsDirectory;
        try (PluginRegistry registry = PluginRegistry.loadSkippingBroken(directory)) {
            List<PluginDescription> found = new ArrayList<>();
            List<BrokenPlugin> broken = new ArrayList<>(registry.broken());
            for (ExtensionPoint<?, ?> point : ExtensionPoint.all()) {
                for (LoadedFactory<?, ?> factory : registry.factories(point)) {
                    try {
                        found.add(PluginDescription.of(factory));
                    } catch (PluginLoadException e) {
                        broken.add(new BrokenPlugin(factory.origin().source(), e.getMessage()));
                    }
                }
            }
            print(out, found);
            for (BrokenPlugin plugin : broken) {
                out.printf("BROKEN %s: %s%n", plugin.source(), plugin.problem().replace("\n", "\n  "));
            }
            for (BrokenPlugin plugin : registry.ignored()) {
                out.printf("NOT A PLUGIN %s: %s%n", plugin.source(), plugin.problem());
            }
            out.printf("%d plugin factor%s from the class path and %s; %d broken, %d not a plugin%n", found.size(),
                    found.size() == 1 ? "y" : "ies", directory.toAbsolutePath(), broken.size(), registry.ignored().size());
            out.flush();
            boolean faulty = !broken.isEmpty() || !registry.ignored().isEmpty();
            return check && faulty ? DynamoCli.FAILURE : 0;
        }
    }

    /** One line per factory: name, extension point, SPI version, origin, settings. */
    static void print(PrintWriter out, List<PluginDescription> plugins) {
        String format = "%-16s %-18s %-5s %-44s %s%n";
        out.printf(format, "name", "extension point", "spi", "origin", "settings");
        for (PluginDescription plugin : plugins) {
            out.printf(format, plugin.name(), plugin.extensionPoint(), plugin.spiVersion(), origin(plugin),
                    plugin.settingsText());
        }
    }

    /** The jar or folder under plugins/; for the class path, the jar (or class folder) the plugin came from. */
    private static String origin(PluginDescription plugin) {
        if (!plugin.source().equals(PluginOrigin.CLASS_PATH)) {
            return plugin.source();
        }
        String location = plugin.codeLocation();
        String trimmed = location.endsWith("/") ? location.substring(0, location.length() - 1) : location;
        return PluginOrigin.CLASS_PATH + " (" + trimmed.substring(trimmed.lastIndexOf('/') + 1) + ")";
    }
}
