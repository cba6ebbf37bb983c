package io.dynamo.server;

import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.joran.JoranConfigurator;
import ch.qos.logback.core.joran.spi.JoranException;
import java.net.URL;
import java.nio.file.Path;
import org.slf4j.LoggerFactory;

/**
 * Switches Logback from the command line's setup ({@code logback.xml}: warnings to stderr) to a
 * node's ({@code dynamo-node-logback.xml}: the console and {@code dynamo.log} in the node's
 * data directory, rolled daily and at 100 MB).
 *
 * <p>A node knows its data directory only once its config is read, so the node's setup is
 * loaded then, with the directory as the {@value #LOG_DIR_PROPERTY} property.
 *
 * <p>The format is text, or JSON (one object per line, Logback's {@code JsonEncoder}:
 * {@code dynamo-node-logback-json.xml}) with the system property {@value #FORMAT_PROPERTY}{@code =json}
 * or, when that is not set, the environment variable {@value #FORMAT_ENV}{@code =json} (which the
 * node JVMs of {@code cluster start} inherit).
 */
final class NodeLogging {
    static final String LOG_DIR_PROPERTY = "dynamo.log.dir";
    /** The lowest level shown on a node's console (default INFO); {@code cluster start} sets WARN. */
    static final String CONSOLE_LEVEL_PROPERTY = "dynamo.log.console.level";
    static final String NODE_CONFIGURATION = "/dynamo-node-logback.xml";
    static final String JSON_CONFIGURATION = "/dynamo-node-logback-json.xml";
    /** {@code text} (the default) or {@code json}. */
    static final String FORMAT_PROPERTY = "dynamo.log.format";
    static final String FORMAT_ENV = "DYNAMO_LOG_FORMAT";

    private NodeLogging() {}

    static void configure(Path dataDirectory) {
        if (!(LoggerFactory.getILoggerFactory() instanceof LoggerContext context)) {
            return; // another SLF4J provider is in charge (an embedding application's)
        }
        String format = System.getProperty(FORMAT_PROPERTY);
        configure(context, dataDirectory, format != null ? format : System.getenv().getOrDefault(FORMAT_ENV, "text"));
    }

    /** Configures {@code context} for a node with data in {@code dataDirectory}, in {@code format} (text or json). */
    static void configure(LoggerContext context, Path dataDirectory, String format) {
        String resource = switch (format.trim().toLowerCase(java.util.Locale.ROOT)) {
            case "text", "" -> NODE_CONFIGURATION;
            case "json" -> JSON_CONFIGURATION;
            default -> throw new io.dynamo.api.InvalidArgumentException("log format '" + format + "' (" + FORMAT_PROPERTY
                    + " or " + FORMAT_ENV + ") is neither text nor json");
        };
        URL configuration = NodeLogging.class.getResource(resource);
        if (configuration == null) {
            throw new IllegalStateException("resource " + resource + " is missing from the dynamo-server jar");
        }
        context.reset();
        context.putProperty(LOG_DIR_PROPERTY, dataDirectory.toAbsolutePath().toString());
        JoranConfigurator configurator = new JoranConfigurator();
        configurator.setContext(context);
        try {
            configurator.doConfigure(configuration);
        } catch (JoranException e) {
            throw new IllegalStateException("cannot configure logging from " + configuration + ": " + e.getMessage(), e);
        }
    }
}
