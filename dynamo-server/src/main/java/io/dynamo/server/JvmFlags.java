package io.dynamo.server;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Properties;

/**
 * The JVM flags every node JVM needs (Chronicle Map's), the same list as {@code bin/dynamo}'s:
 * both come from the build (the parent pom's {@code chronicle.jvm.flags}).
 */
final class JvmFlags {
    private static final String RESOURCE = "jvm.properties";

    private JvmFlags() {}

    /** The flags for a JVM of {@code javaFeatureVersion} (e.g. 17): the Java 23+ ones only from 23. */
    static List<String> forJava(int javaFeatureVersion) {
        Properties properties = load();
        List<String> flags = new ArrayList<>(split(properties.getProperty("chronicle", "")));
        if (javaFeatureVersion >= 23) {
            flags.addAll(split(properties.getProperty("java23", "")));
        }
        return flags;
    }

    /** The defaults of node JVMs that {@code cluster start} launches: heap and collector (see the README). */
    static List<String> forNodes() {
        return split(load().getProperty("node", ""));
    }

    static List<String> split(String flags) {
        return Arrays.stream(flags.trim().split("\\s+")).filter(f -> !f.isEmpty()).toList();
    }

    private static Properties load() {
        Properties properties = new Properties();
        try (InputStream in = JvmFlags.class.getResourceAsStream(RESOURCE)) {
            if (in == null) {
                throw new IllegalStateException("resource " + RESOURCE + " is missing from the dynamo-server jar");
            }
            properties.load(in);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read resource " + RESOURCE, e);
        }
        return properties;
    }
}
