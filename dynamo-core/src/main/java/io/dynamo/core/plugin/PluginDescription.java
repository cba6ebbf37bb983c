package io.dynamo.core.plugin;

import static java.util.Objects.requireNonNull;

import io.dynamo.spi.SpiVersion;
import java.io.IOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.jar.JarFile;
import java.util.jar.Manifest;

/**
 * One factory a plugin contributes, as {@code dynamo plugins} shows it: its name, extension
 * point, where it came from, the SPI version its jar declares and the settings it reads.
 *
 * @param name the name the config selects it by
 * @param extensionPoint e.g. {@code storage engine}
 * @param source the jar or folder under the plugins directory, or {@code class path}
 * @param codeLocation where its plugin class was loaded from (a jar or class folder URL), or {@code unknown}
 * @param spiVersion the {@value SpiVersion#MANIFEST_ATTRIBUTE} of its jar's manifest, {@code none}
 *     when the jar declares none, {@code -} when it is no jar (a class folder)
 * @param settingKeys the keys it reads in its namespace, sorted, or empty when it does not say
 */
public record PluginDescription(String name, String extensionPoint, String source, String codeLocation, String spiVersion,
        Optional<List<String>> settingKeys) {
    public PluginDescription {
        requireNonNull(name, "name is null");
        requireNonNull(extensionPoint, "extensionPoint is null");
        requireNonNull(source, "source is null");
        requireNonNull(codeLocation, "codeLocation is null");
        requireNonNull(spiVersion, "spiVersion is null");
        settingKeys = requireNonNull(settingKeys, "settingKeys is null").map(List::copyOf);
    }

    /**
     * Every factory of {@code registry}, by extension point then name. Asks each factory for its
     * setting keys: one that fails throws {@link PluginLoadException} naming it.
     */
    public static List<PluginDescription> of(PluginRegistry registry) {
        requireNonNull(registry, "registry is null");
        List<PluginDescription> descriptions = new ArrayList<>();
        for (ExtensionPoint<?, ?> point : ExtensionPoint.all()) {
            for (LoadedFactory<?, ?> factory : registry.factories(point)) {
                descriptions.add(of(factory));
            }
        }
        return List.copyOf(descriptions);
    }

    /** {@code factory}'s description; throws {@link PluginLoadException} when its {@code settingKeys()} fails. */
    public static PluginDescription of(LoadedFactory<?, ?> factory) {
        PluginOrigin origin = factory.origin();
        return new PluginDescription(factory.name(), factory.extensionPoint().description(), origin.source(),
                origin.codeLocation(), declaredSpiVersion(origin.codeLocation()),
                factory.settingKeys().map(List::copyOf));
    }

    /** The settings as one line: {@code key, key}, {@code none} or {@code (not listed)}. */
    public String settingsText() {
        return settingKeys.map(keys -> keys.isEmpty() ? "none" : String.join(", ", keys)).orElse("(not listed)");
    }

    /** The SPI version the jar at {@code codeLocation} declares; {@code none} or {@code -} as documented above. */
    static String declaredSpiVersion(String codeLocation) {
        if (!codeLocation.startsWith("file:") || !codeLocation.endsWith(".jar")) {
            return "-";
        }
        try {
            Path jar = Path.of(URI.create(codeLocation));
            if (!Files.isRegularFile(jar)) {
                return "-";
            }
            try (JarFile file = new JarFile(jar.toFile())) {
                Manifest manifest = file.getManifest();
                String declared = manifest == null ? null : manifest.getMainAttributes().getValue(SpiVersion.MANIFEST_ATTRIBUTE);
                return declared == null ? "none" : declared.trim();
            }
        } catch (IOException | IllegalArgumentException e) {
            return "unreadable";
        }
    }
}
