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
 */
final class NodeLogging {
    static final String LOG_DIR_PROPERTY = "dynamo.log.dir";
    /** The lowest level shown on a node's console (default INFO); {@code cluster start} sets WARN. */
    static final String CONSOLE_LEVEL_PROPERTY = "dynamo.log.console.level";
    static final String NODE_CONFIGURATION = "/dynamo-node-logback.xml";

    private NodeLogging() {}

    static void configure(Path dataDirectory) {
        if (!(LoggerFactory.getILoggerFactory() instanceof LoggerContext context)) {
            return; // another SLF4J provider is in charge (an embedding application's)
        }
        URL configuration = NodeLogging.class.getResource(NODE_CONFIGURATION);
        if (configuration == null) {
            throw new IllegalStateException("resource " + NODE_CONFIGURATION + " is missing from the dynamo-server jar");
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
