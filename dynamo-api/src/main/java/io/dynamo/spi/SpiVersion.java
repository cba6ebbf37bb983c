package io.dynamo.spi;

/**
 * The version of the extension points, so that a node can refuse a plugin built for a newer one
 * before any of its classes load, instead of failing later with a {@link LinkageError} in the
 * middle of a request.
 *
 * <p>A plugin jar declares the version it was built against in its manifest, as the attribute
 * {@value #MANIFEST_ATTRIBUTE} (with Maven: {@code maven-jar-plugin}'s
 * {@code <manifestEntries>}). A node loads plugins declaring its own version or an older one,
 * and plugins that declare none. The version rises whenever an extension point gains something
 * a plugin may call or implement; since additions are {@code default} methods and new types,
 * plugins built for an older version keep working.
 */
public final class SpiVersion {
    /** The manifest attribute a plugin jar names the SPI version it was built against with. */
    public static final String MANIFEST_ATTRIBUTE = "Dynamo-Spi-Version";

    /** The SPI version of this build. */
    public static final int CURRENT = 4;

    private SpiVersion() {}
}
