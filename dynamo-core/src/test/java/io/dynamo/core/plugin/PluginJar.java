package io.dynamo.core.plugin;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.junit.jupiter.api.Assertions.assertNotNull;

import io.dynamo.spi.DynamoPlugin;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.jar.Attributes;
import java.util.jar.JarEntry;
import java.util.jar.JarOutputStream;
import java.util.jar.Manifest;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import javax.tools.DiagnosticCollector;
import javax.tools.JavaCompiler;
import javax.tools.JavaFileObject;
import javax.tools.SimpleJavaFileObject;
import javax.tools.StandardJavaFileManager;
import javax.tools.ToolProvider;

/**
 * Builds a jar at test time: compiles Java sources with the system compiler against
 * {@code dynamo-api} only (plus any jars given), and writes the classes and an optional
 * {@code META-INF/services/io.dynamo.spi.DynamoPlugin} file. This is how a third party builds a
 * plugin; nothing of dynamo-core is on the compile class path.
 */
final class PluginJar {
    private final Path workDirectory;
    private final Map<String, String> sources = new LinkedHashMap<>();
    private final List<String> providers = new ArrayList<>();
    private final List<Path> compileClassPath = new ArrayList<>();
    private final Map<String, String> manifestAttributes = new LinkedHashMap<>();

    private PluginJar(Path workDirectory) {
        this.workDirectory = workDirectory;
    }

    /** A builder that compiles in a fresh directory under {@code workDirectory}. */
    static PluginJar builder(Path workDirectory) {
        return new PluginJar(workDirectory);
    }

    /** Adds the source of a top-level class; {@code className} is its fully qualified name. */
    PluginJar source(String className, String code) {
        sources.put(className, code);
        return this;
    }

    /** Lists {@code className} in the jar's {@code META-INF/services/io.dynamo.spi.DynamoPlugin}. */
    PluginJar provider(String className) {
        providers.add(className);
        return this;
    }

    /** Compiles against {@code jar} too (a library the plugin uses), without bundling it. */
    PluginJar compileAgainst(Path jar) {
        compileClassPath.add(jar);
        return this;
    }

    /** Adds a main attribute to the jar's manifest. */
    PluginJar manifestAttribute(String name, String value) {
        manifestAttributes.put(name, value);
        return this;
    }

    /** Writes the jar to {@code jarFile} (creating its parent directories) and returns it. */
    Path writeTo(Path jarFile) {
        try {
            Path classes = Files.createTempDirectory(workDirectory, "classes");
            if (!sources.isEmpty()) {
                compile(classes);
            }
            Files.createDirectories(jarFile.getParent());
            Manifest manifest = new Manifest();
            manifest.getMainAttributes().put(Attributes.Name.MANIFEST_VERSION, "1.0");
            manifestAttributes.forEach((name, value) -> manifest.getMainAttributes().putValue(name, value));
            try (JarOutputStream jar = new JarOutputStream(Files.newOutputStream(jarFile), manifest);
                    Stream<Path> files = Files.walk(classes)) {
                for (Path file : files.filter(Files::isRegularFile).sorted().toList()) {
                    String entry = classes.relativize(file).toString().replace(file.getFileSystem().getSeparator(), "/");
                    write(jar, entry, Files.readAllBytes(file));
                }
                if (!providers.isEmpty()) {
                    String services = providers.stream().map(p -> p + "\n").collect(Collectors.joining());
                    write(jar, "META-INF/services/" + DynamoPlugin.class.getName(), services.getBytes(UTF_8));
                }
            }
            return jarFile;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private void compile(Path classes) throws IOException {
        JavaCompiler compiler = ToolProvider.getSystemJavaCompiler();
        assertNotNull(compiler, "tests need a JDK (javax.tools.JavaCompiler)");
        List<String> classPath = new ArrayList<>();
        classPath.add(apiLocation().toString());
        compileClassPath.forEach(p -> classPath.add(p.toString()));
        List<String> options = List.of(
                "--release", "17",
                "-proc:none",
                "-classpath", String.join(java.io.File.pathSeparator, classPath),
                "-d", classes.toString());
        List<JavaFileObject> units = sources.entrySet().stream()
                .map(e -> (JavaFileObject) new Source(e.getKey(), e.getValue()))
                .toList();
        DiagnosticCollector<JavaFileObject> diagnostics = new DiagnosticCollector<>();
        try (StandardJavaFileManager files = compiler.getStandardFileManager(diagnostics, null, UTF_8)) {
            Boolean ok = compiler.getTask(null, files, diagnostics, options, null, units).call();
            if (!ok) {
                throw new AssertionError("test plugin does not compile: " + diagnostics.getDiagnostics());
            }
        }
    }

    /** Where dynamo-api's classes are: its jar, or its classes folder in a reactor build. */
    static Path apiLocation() {
        try {
            return Path.of(DynamoPlugin.class.getProtectionDomain().getCodeSource().getLocation().toURI());
        } catch (URISyntaxException e) {
            throw new IllegalStateException(e);
        }
    }

    private static void write(JarOutputStream jar, String name, byte[] content) throws IOException {
        jar.putNextEntry(new JarEntry(name));
        jar.write(content);
        jar.closeEntry();
    }

    private static final class Source extends SimpleJavaFileObject {
        private final String code;

        Source(String className, String code) {
            super(URI.create("string:///" + className.replace('.', '/') + Kind.SOURCE.extension), Kind.SOURCE);
            this.code = code;
        }

        @Override
        public CharSequence getCharContent(boolean ignoreEncodingErrors) {
            return code;
        }
    }
}
