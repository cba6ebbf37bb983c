package io.dynamo.core.plugin;

import static java.util.Objects.requireNonNull;
import static java.util.stream.Collectors.joining;

import io.dynamo.core.config.NodeConfig;
import io.dynamo.spi.ConfigException;
import io.dynamo.spi.DynamoPlugin;
import io.dynamo.spi.ExtensionFactory;
import io.dynamo.spi.PluginConfig;
import io.dynamo.spi.PluginContext;
import io.dynamo.spi.SpiVersion;
import io.dynamo.spi.partition.Partitioner;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.MalformedURLException;
import java.net.URI;
import java.net.URL;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.CodeSource;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.Enumeration;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.ServiceConfigurationError;
import java.util.ServiceLoader;
import java.util.TreeMap;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Function;
import java.util.jar.JarFile;
import java.util.jar.Manifest;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Every {@link DynamoPlugin} the node can use, and the factories they contribute, by extension
 * point and name.
 *
 * <p>Plugins come from two places:
 * <ul>
 *   <li>the application class path (the built-ins of {@code dynamo-core}, and any plugin jar the
 *       application was started with), found with {@link ServiceLoader};</li>
 *   <li>the plugins directory: each {@code *.jar} directly in it is one plugin, and each
 *       subdirectory is one plugin made of the {@code *.jar} files directly in it (the plugin
 *       and the libraries it bundles). Each gets its own {@link PluginClassLoader}, whose parent
 *       is the platform class loader and which shares with the application only the packages
 *       {@code io.dynamo.api.}, {@code io.dynamo.spi.} and {@code org.slf4j.}: two plugins
 *       bundling different versions of one library each see their own. A missing directory
 *       means no plugins beyond the class path; other files in it are skipped with a warning,
 *       as is a jar or folder that holds no {@code DynamoPlugin}.</li>
 * </ul>
 *
 * <p><b>Errors fail the start.</b> A broken plugin (its provider class is missing, its
 * constructor throws, a class it needs is absent, a factory name is malformed, its jar was built
 * for a newer {@link SpiVersion} than this node's) throws
 * {@link PluginLoadException} naming the jar or folder, rather than being skipped: a node that
 * started without a plugin its operator installed would either fail later with a misleading
 * "no such name" or, worse, run with a different implementation than intended over existing
 * data. Two factories with one name for one extension point also fail, with a message listing
 * every extension point's names and where each came from. An unknown name asked of
 * {@link #factory} throws {@link ConfigException} naming the config key and listing the
 * available names.
 *
 * <p><b>Commands that use only a part</b> (a client needs the transport and, to coordinate its
 * reads, a partitioner) load with {@link BrokenPlugins#SKIP}: a broken jar or folder under the
 * plugins directory is then skipped with one warning naming it and listed by {@link #broken()},
 * and a name two plugins share is left out (asking for it throws the duplicate message), so one
 * unrelated bad jar does not break them. The class path (the distribution's own jars) is always
 * loaded strictly.
 *
 * <p>Every call into plugin code (construction, listing factories, {@code name()},
 * {@code create}) runs with the plugin's class loader as the thread's context class loader.
 *
 * <p>Thread-safe once loaded. {@link #close()} closes the plugins' class loaders: call it after
 * closing every product made from them.
 */
public final class PluginRegistry implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(PluginRegistry.class);
    private static final Pattern NAME = Pattern.compile("[a-z][a-z0-9-]*");
    private static final String SERVICES_FILE = "META-INF/services/" + DynamoPlugin.class.getName();

    private final Path pluginsDirectory;
    private final Map<ExtensionPoint<?, ?>, Map<String, LoadedFactory<?, ?>>> factories;
    private final Map<ExtensionPoint<?, ?>, Map<String, String>> ambiguous;
    private final List<BrokenPlugin> broken;
    private final List<BrokenPlugin> ignored;
    private final List<PluginClassLoader> classLoaders;
    private final AtomicBoolean closed = new AtomicBoolean();

    /** What {@link #load(ClassLoader, Path, BrokenPlugins)} does with a plugin it cannot use. */
    public enum BrokenPlugins {
        /** Throw {@link PluginLoadException}: a node must not start without a plugin its operator installed. */
        FAIL,
        /**
         * Skip a broken jar or folder of the plugins directory with one warning, and leave out a
         * name two plugins share: for commands that use only a part of what is installed.
         */
        SKIP
    }

    /**
     * A plugin that could not be used: a jar or folder under the plugins directory that failed
     * to load, or a name several plugins contribute.
     *
     * @param source the jar or folder (for a shared name, the first of its sources)
     * @param problem what is wrong, on one or more lines
     */
    public record BrokenPlugin(String source, String problem) {
        public BrokenPlugin {
            requireNonNull(source, "source is null");
            requireNonNull(problem, "problem is null");
        }
    }

    private PluginRegistry(Path pluginsDirectory, Index index, List<BrokenPlugin> broken, List<BrokenPlugin> ignored,
            List<PluginClassLoader> classLoaders) {
        this.ignored = List.copyOf(ignored);
        this.pluginsDirectory = pluginsDirectory;
        this.factories = index.unique();
        this.ambiguous = index.ambiguous();
        this.broken = List.copyOf(broken);
        this.classLoaders = List.copyOf(classLoaders);
    }

    /** Loads the plugins of this application's class path and of {@code pluginsDirectory}. */
    public static PluginRegistry load(Path pluginsDirectory) {
        return load(PluginRegistry.class.getClassLoader(), pluginsDirectory);
    }

    /**
     * Loads the plugins of this application's class path and of {@code pluginsDirectory},
     * skipping the broken ones of the directory ({@link BrokenPlugins#SKIP}).
     */
    public static PluginRegistry loadSkippingBroken(Path pluginsDirectory) {
        return load(PluginRegistry.class.getClassLoader(), pluginsDirectory, BrokenPlugins.SKIP);
    }

    /**
     * Loads the plugins {@code classPath} finds with {@link ServiceLoader}, and those of
     * {@code pluginsDirectory}. The shared packages always come from the loader of this class,
     * whatever {@code classPath} is (pass the platform class loader to load the directory
     * alone).
     */
    public static PluginRegistry load(ClassLoader classPath, Path pluginsDirectory) {
        return load(classPath, pluginsDirectory, BrokenPlugins.FAIL);
    }

    /** As {@link #load(ClassLoader, Path)}, doing with a broken plugin what {@code onBroken} says. */
    public static PluginRegistry load(ClassLoader classPath, Path pluginsDirectory, BrokenPlugins onBroken) {
        requireNonNull(classPath, "classPath is null");
        requireNonNull(pluginsDirectory, "pluginsDirectory is null");
        requireNonNull(onBroken, "onBroken is null");
        ClassLoader shared = PluginRegistry.class.getClassLoader();
        List<PluginClassLoader> classLoaders = new ArrayList<>();
        List<BrokenPlugin> broken = new ArrayList<>();
        try {
            List<LoadedFactory<?, ?>> found = new ArrayList<>(loadPlugins(classPath, PluginOrigin.CLASS_PATH).factories());
            List<BrokenPlugin> ignored = new ArrayList<>();
            for (Bundle bundle : bundles(pluginsDirectory, ignored)) {
                PluginClassLoader loader = new PluginClassLoader(bundle.source(), bundle.urls(), shared);
                classLoaders.add(loader);
                log.debug("Class path of plugin {}: {}", bundle.source(), bundle.urls());
                Found contributed;
                try {
                    contributed = loadPlugins(loader, bundle.source());
                } catch (PluginLoadException | IOException e) {
                    if (onBroken == BrokenPlugins.FAIL) {
                        throw e;
                    }
                    String problem = e instanceof IOException ? "Broken plugin in " + bundle.source() + ": cannot read it: " + e
                            : e.getMessage();
                    log.warn("Skipping the broken plugin {}: {}", bundle.source(), problem);
                    broken.add(new BrokenPlugin(bundle.source(), problem));
                    classLoaders.remove(loader);
                    loader.close();
                    continue;
                }
                if (contributed.providers() == 0) {
                    log.warn("Skipping {}: it holds no {} (no META-INF/services/{} file)",
                            bundle.source(), DynamoPlugin.class.getName(), DynamoPlugin.class.getName());
                    ignored.add(new BrokenPlugin(bundle.source(), "it holds no " + DynamoPlugin.class.getName()
                            + " (no META-INF/services/" + DynamoPlugin.class.getName() + " file)"));
                    classLoaders.remove(loader);
                    loader.close();
                } else {
                    found.addAll(contributed.factories());
                }
            }
            Index index = index(found, onBroken);
            index.ambiguous().forEach((point, byName) -> byName.forEach((name, problem) -> {
                log.warn("Leaving out {}", problem);
                broken.add(new BrokenPlugin(found.stream()
                        .filter(f -> f.extensionPoint() == point && f.name().equals(name)).findFirst()
                        .map(f -> f.origin().source()).orElse(PluginOrigin.CLASS_PATH), problem));
            }));
            PluginRegistry registry = new PluginRegistry(pluginsDirectory, index, broken, ignored, classLoaders);
            log.info("Plugins available: {}", registry.summary());
            return registry;
        } catch (RuntimeException | Error e) {
            closeAll(classLoaders, e);
            throw e;
        } catch (IOException e) {
            closeAll(classLoaders, e);
            throw new UncheckedIOException(e);
        }
    }

    /** The directory plugin jars were looked for in. */
    public Path pluginsDirectory() {
        return pluginsDirectory;
    }

    /**
     * The plugins skipped because they are broken, or left out because they share a name
     * ({@link BrokenPlugins#SKIP}); always empty for a registry loaded with {@link BrokenPlugins#FAIL}.
     */
    public List<BrokenPlugin> broken() {
        return broken;
    }

    /**
     * What the plugins directory holds that is no plugin, skipped with a warning whatever the
     * {@link BrokenPlugins} policy: a jar or folder without a {@link DynamoPlugin} (a missing
     * {@code META-INF/services} file is the usual slip), a folder without jars, a file that is
     * neither a jar nor a folder.
     */
    public List<BrokenPlugin> ignored() {
        return ignored;
    }

    /** The factories of {@code point}, sorted by name. */
    public <T, F extends ExtensionFactory<T>> List<LoadedFactory<T, F>> factories(ExtensionPoint<T, F> point) {
        requireNonNull(point, "point is null");
        List<LoadedFactory<T, F>> list = new ArrayList<>();
        for (LoadedFactory<?, ?> factory : factories.get(point).values()) {
            list.add(cast(factory));
        }
        return List.copyOf(list);
    }

    /**
     * The factory of {@code point} named {@code name}. Throws {@link ConfigException} naming
     * {@code point}'s config key, e.g. {@code storage: No storage engine named 'x'. Available:
     * chronicle (plugins/chronicle.jar), memory (class path)}.
     */
    public <T, F extends ExtensionFactory<T>> LoadedFactory<T, F> factory(ExtensionPoint<T, F> point, String name) {
        requireNonNull(point, "point is null");
        requireNonNull(name, "name is null");
        LoadedFactory<?, ?> factory = factories.get(point).get(name);
        if (factory == null && ambiguous.get(point).containsKey(name)) {
            throw new PluginLoadException("Plugin names must be unique per extension point, but "
                    + ambiguous.get(point).get(name));
        }
        if (factory == null) {
            throw new ConfigException(point.configKey(),
                    "No " + point.description() + " named '" + name + "'. Available: " + available(point));
        }
        return cast(factory);
    }

    /**
     * Makes the product of the factory of {@code point} named {@code name}: the selection the
     * node config made. Logs the selection at INFO.
     *
     * @see LoadedFactory#create
     */
    public <T, F extends ExtensionFactory<T>> T create(ExtensionPoint<T, F> point, String name, PluginConfig config,
            PluginContext context) {
        if (closed.get()) {
            throw new IllegalStateException("the plugin registry is closed");
        }
        LoadedFactory<T, F> factory = factory(point, name);
        log.info("Selected {} for node {}", factory, context.nodeId());
        return factory.create(config, context);
    }

    /**
     * Makes partitioners by name, with no settings: how a client places keys as the cluster
     * does ({@link io.dynamo.core.client.DynamoClient.Builder#coordinateReads(Function)}).
     */
    public Function<String, Partitioner> partitioners(PluginContext context) {
        requireNonNull(context, "context is null");
        return name -> create(ExtensionPoint.PARTITIONER, name, PluginConfig.empty(name), context);
    }

    /**
     * The names of {@code point}'s factories with their origins, e.g.
     * {@code chronicle (plugins/chronicle.jar), memory (class path)}.
     */
    public String available(ExtensionPoint<?, ?> point) {
        Map<String, LoadedFactory<?, ?>> byName = factories.get(requireNonNull(point, "point is null"));
        if (byName.isEmpty()) {
            return "none (add a plugin jar to " + pluginsDirectory + " or to the class path)";
        }
        return byName.values().stream().map(f -> f.name() + " (" + f.origin() + ")").collect(joining(", "));
    }

    /** Closes the plugins' class loaders. Idempotent. Products made from them may stop working. */
    @Override
    public void close() {
        if (closed.compareAndSet(false, true)) {
            closeAll(classLoaders, null);
        }
    }

    @Override
    public String toString() {
        return "PluginRegistry{" + summary() + "}";
    }

    private String summary() {
        return ExtensionPoint.all().stream()
                .map(point -> point.pluralDescription() + ": " + available(point))
                .collect(joining("; "));
    }

    /** What one class loader held: how many plugins, and the factories they contribute. */
    private record Found(int providers, List<LoadedFactory<?, ?>> factories) {}

    /** Loads every plugin {@code loader} finds with {@link ServiceLoader}. */
    private static Found loadPlugins(ClassLoader loader, String source) throws IOException {
        checkSpiVersions(loader);
        Iterator<DynamoPlugin> providers = ServiceLoader.load(DynamoPlugin.class, loader).iterator();
        List<LoadedFactory<?, ?>> contributed = new ArrayList<>();
        int providerCount = 0;
        while (true) {
            DynamoPlugin plugin;
            try {
                plugin = ContextClassLoader.call(loader, () -> providers.hasNext() ? providers.next() : null);
            } catch (ServiceConfigurationError | RuntimeException | LinkageError e) {
                throw new PluginLoadException("Broken plugin in " + source + ": " + explain(e), e);
            }
            if (plugin == null) {
                break;
            }
            providerCount++;
            ClassLoader pluginLoader = plugin.getClass().getClassLoader() == null ? loader : plugin.getClass().getClassLoader();
            PluginOrigin origin = new PluginOrigin(source, plugin.getClass().getName(), codeLocation(plugin.getClass()));
            List<LoadedFactory<?, ?>> fromPlugin = new ArrayList<>();
            for (ExtensionPoint<?, ?> point : ExtensionPoint.all()) {
                collect(point, plugin, origin, pluginLoader, fromPlugin);
            }
            log.info("Loaded plugin {} from {}: {}", origin.pluginClass(), source, describe(fromPlugin));
            contributed.addAll(fromPlugin);
        }
        return new Found(providerCount, List.copyOf(contributed));
    }

    /**
     * Refuses every jar listing a {@link DynamoPlugin} that {@code loader} sees whose manifest
     * declares a newer SPI than this node's, before any of its classes load: a plugin built for
     * a newer SPI may call what this node lacks, and would fail later, mid-request.
     */
    private static void checkSpiVersions(ClassLoader loader) throws IOException {
        Enumeration<URL> services = loader.getResources(SERVICES_FILE);
        while (services.hasMoreElements()) {
            URL service = services.nextElement();
            String location = service.getPath();
            if (!service.getProtocol().equals("jar") || !location.startsWith("file:") || !location.contains("!/")) {
                continue; // a classes folder (a build, an IDE) has no manifest; other containers are not ours to open
            }
            Path jar = Path.of(URI.create(location.substring(0, location.indexOf("!/"))));
            String declared;
            try (JarFile file = new JarFile(jar.toFile())) {
                Manifest manifest = file.getManifest();
                declared = manifest == null ? null : manifest.getMainAttributes().getValue(SpiVersion.MANIFEST_ATTRIBUTE);
            }
            if (declared == null) {
                log.debug("Plugin jar {} declares no {}: assuming it fits this node", jar, SpiVersion.MANIFEST_ATTRIBUTE);
                continue;
            }
            int version;
            try {
                version = Integer.parseInt(declared.trim());
            } catch (NumberFormatException e) {
                version = 0;
            }
            if (version < 1) {
                throw new PluginLoadException("Broken plugin in " + jar + ": its manifest's " + SpiVersion.MANIFEST_ATTRIBUTE
                        + " is '" + declared + "', not a whole number of at least 1");
            }
            if (version > SpiVersion.CURRENT) {
                throw new PluginLoadException("Plugin " + jar + " was built for SPI version " + version + " ("
                        + SpiVersion.MANIFEST_ATTRIBUTE + " in its manifest), but this node provides SPI version "
                        + SpiVersion.CURRENT + ": upgrade the node, or use a build of the plugin for SPI version "
                        + SpiVersion.CURRENT + " or older");
            }
        }
    }

    private static <T, F extends ExtensionFactory<T>> void collect(ExtensionPoint<T, F> point, DynamoPlugin plugin,
            PluginOrigin origin, ClassLoader loader, List<LoadedFactory<?, ?>> out) {
        List<F> contributed;
        try {
            contributed = ContextClassLoader.call(loader, () -> point.contributionsOf(plugin));
        } catch (RuntimeException | LinkageError e) {
            throw new PluginLoadException("Broken plugin in " + origin.describe() + ": listing its "
                    + point.pluralDescription() + " failed: " + explain(e), e);
        }
        if (contributed == null) {
            throw new PluginLoadException("Broken plugin in " + origin.describe() + ": it returned null "
                    + point.pluralDescription());
        }
        for (F factory : contributed) {
            if (factory == null) {
                throw new PluginLoadException("Broken plugin in " + origin.describe() + ": it returned a null "
                        + point.description() + " factory");
            }
            String name;
            try {
                name = ContextClassLoader.call(loader, factory::name);
            } catch (RuntimeException | LinkageError e) {
                throw new PluginLoadException("Broken plugin in " + origin.describe() + ": the name() of "
                        + factory.getClass().getName() + " failed: " + explain(e), e);
            }
            if (name == null || !NAME.matcher(name).matches()) {
                throw new PluginLoadException("Broken plugin in " + origin.describe() + ": " + point.description() + " "
                        + factory.getClass().getName() + " is named '" + name + "', which does not match [a-z][a-z0-9-]*");
            }
            if (NodeConfig.RESERVED_NAMESPACES.contains(name)) {
                throw new PluginLoadException("Broken plugin in " + origin.describe() + ": " + point.description()
                        + " name '" + name + "' is reserved for the node's own settings " + NodeConfig.RESERVED_NAMESPACES);
            }
            out.add(new LoadedFactory<>(point, name, factory, origin, loader));
        }
    }

    /** The factories by extension point and name, and the names several plugins contribute (when skipped). */
    private record Index(Map<ExtensionPoint<?, ?>, Map<String, LoadedFactory<?, ?>>> unique,
            Map<ExtensionPoint<?, ?>, Map<String, String>> ambiguous) {}

    private static Index index(List<LoadedFactory<?, ?>> found, BrokenPlugins onBroken) {
        Map<ExtensionPoint<?, ?>, Map<String, List<LoadedFactory<?, ?>>>> byName = new LinkedHashMap<>();
        ExtensionPoint.all().forEach(point -> byName.put(point, new TreeMap<>()));
        for (LoadedFactory<?, ?> factory : found) {
            byName.get(factory.extensionPoint()).computeIfAbsent(factory.name(), n -> new ArrayList<>()).add(factory);
        }
        List<String> duplicates = new ArrayList<>();
        Map<ExtensionPoint<?, ?>, Map<String, String>> ambiguous = new LinkedHashMap<>();
        ExtensionPoint.all().forEach(point -> ambiguous.put(point, new TreeMap<>()));
        byName.forEach((point, names) -> names.forEach((name, list) -> {
            if (list.size() > 1) {
                String duplicate = point.description() + " '" + name + "' is provided by "
                        + list.stream().map(f -> f.origin().describe()).collect(joining(" and by "));
                duplicates.add(duplicate);
                ambiguous.get(point).put(name, duplicate);
            }
        }));
        if (!duplicates.isEmpty() && onBroken == BrokenPlugins.FAIL) {
            StringBuilder message = new StringBuilder("Plugin names must be unique per extension point, but:");
            duplicates.forEach(d -> message.append("\n  ").append(d));
            message.append("\nAvailable:");
            byName.forEach((point, names) -> message.append("\n  ").append(point.pluralDescription()).append(": ")
                    .append(names.isEmpty() ? "none" : names.values().stream().flatMap(List::stream)
                            .map(f -> f.name() + " (" + f.origin() + ")").collect(joining(", "))));
            throw new PluginLoadException(message.toString());
        }
        Map<ExtensionPoint<?, ?>, Map<String, LoadedFactory<?, ?>>> unique = new LinkedHashMap<>();
        byName.forEach((point, names) -> {
            Map<String, LoadedFactory<?, ?>> single = new TreeMap<>();
            names.forEach((name, list) -> {
                if (list.size() == 1) {
                    single.put(name, list.get(0));
                }
            });
            unique.put(point, Collections.unmodifiableMap(single));
        });
        Map<ExtensionPoint<?, ?>, Map<String, String>> ambiguousView = new LinkedHashMap<>();
        ambiguous.forEach((point, names) -> ambiguousView.put(point, Collections.unmodifiableMap(names)));
        return new Index(Collections.unmodifiableMap(unique), Collections.unmodifiableMap(ambiguousView));
    }

    /** One plugin under the plugins directory: a jar, or a folder of jars. */
    private record Bundle(String source, List<URL> urls) {}

    private static List<Bundle> bundles(Path directory, List<BrokenPlugin> ignored) throws IOException {
        if (!Files.exists(directory)) {
            log.info("No plugins directory at {}: using the plugins on the class path only", directory.toAbsolutePath());
            return List.of();
        }
        if (!Files.isDirectory(directory)) {
            throw new PluginLoadException("The plugins directory " + directory + " (" + NodeConfig.NODE_PLUGINS_DIR
                    + ") is not a directory");
        }
        List<Bundle> bundles = new ArrayList<>();
        for (Path entry : sortedEntries(directory)) {
            String fileName = entry.getFileName().toString();
            if (fileName.startsWith(".")) {
                log.debug("Ignoring hidden file {}", entry);
            } else if (Files.isRegularFile(entry) && isDocument(fileName)) {
                log.debug("Ignoring document {}", entry); // the distribution's plugins/README.txt
            } else if (Files.isRegularFile(entry) && isJar(entry)) {
                bundles.add(new Bundle(entry.toString(), List.of(toUrl(entry))));
            } else if (Files.isDirectory(entry)) {
                List<URL> jars = new ArrayList<>();
                for (Path jar : sortedEntries(entry)) {
                    if (Files.isRegularFile(jar) && isJar(jar)) {
                        jars.add(toUrl(jar));
                    }
                }
                if (jars.isEmpty()) {
                    log.warn("Skipping {}: the folder holds no jar", entry);
                    ignored.add(new BrokenPlugin(entry.toString(), "the folder holds no jar"));
                } else {
                    bundles.add(new Bundle(entry.toString(), jars));
                }
            } else {
                log.warn("Skipping {}: neither a jar nor a folder of jars", entry);
                ignored.add(new BrokenPlugin(entry.toString(), "neither a jar nor a folder of jars"));
            }
        }
        return bundles;
    }

    private static List<Path> sortedEntries(Path directory) throws IOException {
        try (Stream<Path> entries = Files.list(directory)) {
            return entries.sorted(Comparator.comparing(p -> p.getFileName().toString())).toList();
        }
    }

    private static boolean isJar(Path file) {
        return file.getFileName().toString().endsWith(".jar");
    }

    /** A text file (README.txt, NOTES.md) beside the plugins: not a plugin, not worth a warning. */
    private static boolean isDocument(String fileName) {
        String lower = fileName.toLowerCase(Locale.ROOT);
        return lower.endsWith(".txt") || lower.endsWith(".md");
    }

    private static URL toUrl(Path file) throws MalformedURLException {
        return file.toAbsolutePath().toUri().toURL();
    }

    private static String codeLocation(Class<?> type) {
        CodeSource source = type.getProtectionDomain().getCodeSource();
        return source == null || source.getLocation() == null ? "unknown" : source.getLocation().toString();
    }

    private static String describe(List<LoadedFactory<?, ?>> factories) {
        if (factories.isEmpty()) {
            return "contributes nothing";
        }
        Map<String, List<String>> names = new LinkedHashMap<>();
        factories.forEach(f -> names.computeIfAbsent(f.extensionPoint().pluralDescription(), k -> new ArrayList<>()).add(f.name()));
        return names.entrySet().stream().map(e -> e.getKey() + " " + e.getValue()).collect(joining(", "));
    }

    /** The error and its causes on one line: ServiceLoader's own message says little alone. */
    private static String explain(Throwable error) {
        StringBuilder text = new StringBuilder(String.valueOf(error.getMessage()));
        for (Throwable cause = error.getCause(); cause != null && cause != cause.getCause(); cause = cause.getCause()) {
            text.append("; caused by ").append(cause);
        }
        return text.toString();
    }

    private static void closeAll(List<PluginClassLoader> loaders, Throwable failure) {
        for (PluginClassLoader loader : loaders) {
            try {
                loader.close();
            } catch (IOException e) {
                if (failure != null) {
                    failure.addSuppressed(e);
                } else {
                    log.warn("Cannot close the class loader of plugin {}: {}", loader.getName(), e.toString());
                }
            }
        }
    }

    @SuppressWarnings("unchecked")
    private static <T, F extends ExtensionFactory<T>> LoadedFactory<T, F> cast(LoadedFactory<?, ?> factory) {
        // Safe: the index files each factory under the extension point it was read from.
        return (LoadedFactory<T, F>) factory;
    }
}
