package io.dynamo.server;

import static java.nio.charset.StandardCharsets.UTF_8;

import io.dynamo.spi.DynamoPlugin;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.jar.Attributes;
import java.util.jar.JarEntry;
import java.util.jar.JarOutputStream;
import java.util.jar.Manifest;
import java.util.stream.Stream;

/** Plugin jars written at test time: broken ones, and copies of a plugin of the class path. */
final class TestJars {
    private TestJars() {}

    /** A jar whose {@code META-INF/services} names a plugin class it does not hold: broken. */
    static Path missingProvider(Path jar) {
        return write(jar, null, "com.example.missing.MissingPlugin");
    }

    /** A jar that holds no plugin: a class-less jar without a services file (an author's usual slip). */
    static Path noServicesFile(Path jar) {
        return write(jar, null, null);
    }

    /**
     * A jar of the classes {@code pluginClassName} (a plugin of the test class path) was loaded
     * from, listing it as its plugin: the same plugin installed a second time.
     */
    static Path copyOfClassPathPlugin(String pluginClassName, Path jar) {
        try {
            Path location = Path.of(Class.forName(pluginClassName).getProtectionDomain().getCodeSource().getLocation().toURI());
            if (Files.isRegularFile(location)) {
                Files.createDirectories(jar.getParent());
                return Files.copy(location, jar);
            }
            return write(jar, location, pluginClassName);
        } catch (ClassNotFoundException | URISyntaxException e) {
            throw new IllegalStateException("no " + pluginClassName + " on the test class path", e);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static Path write(Path jar, Path classes, String provider) {
        Manifest manifest = new Manifest();
        manifest.getMainAttributes().put(Attributes.Name.MANIFEST_VERSION, "1.0");
        try {
            Files.createDirectories(jar.getParent());
            try (JarOutputStream out = new JarOutputStream(Files.newOutputStream(jar), manifest)) {
                if (classes != null) {
                    try (Stream<Path> files = Files.walk(classes)) {
                        for (Path file : files.filter(Files::isRegularFile).sorted().toList()) {
                            String name = classes.relativize(file).toString().replace('\\', '/');
                            if (!name.startsWith("META-INF/services/")) {
                                entry(out, name, Files.readAllBytes(file));
                            }
                        }
                    }
                }
                if (provider != null) {
                    entry(out, "META-INF/services/" + DynamoPlugin.class.getName(), (provider + "\n").getBytes(UTF_8));
                } else {
                    entry(out, "README.txt", "no plugin here\n".getBytes(UTF_8));
                }
            }
            return jar;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static void entry(JarOutputStream out, String name, byte[] content) throws IOException {
        out.putNextEntry(new JarEntry(name));
        out.write(content);
        out.closeEntry();
    }
}
