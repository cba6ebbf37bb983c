package io.dynamo.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import io.dynamo.core.plugin.PluginRegistry;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.slf4j.LoggerFactory;

/**
 * The client commands need the transport (and a partitioner to coordinate reads) only: a broken
 * jar in the distribution's plugins/ directory costs one warning naming it, not the command. A
 * real node over TCP in this JVM (memory storage); the commands run as a user runs them.
 */
class BrokenPluginClientTest {
    @TempDir static Path directory;
    private static InProcessNodes nodes;
    private static Path clientPlugins;
    private static Path brokenJar;

    private final ListAppender<ILoggingEvent> warnings = new ListAppender<>();
    private final Logger registryLog = (Logger) LoggerFactory.getLogger(PluginRegistry.class);

    @BeforeAll
    static void startNode() {
        nodes = InProcessNodes.start(1, directory.resolve("node"), Map.of("storage", "memory"));
        clientPlugins = directory.resolve("client").resolve("plugins");
        brokenJar = TestJars.missingProvider(clientPlugins.resolve("broken.jar"));
    }

    @AfterAll
    static void stopNode() {
        if (nodes != null) {
            nodes.close();
        }
    }

    @BeforeEach
    void captureWarnings() {
        warnings.start();
        registryLog.addAppender(warnings);
    }

    @AfterEach
    void releaseWarnings() {
        registryLog.detachAppender(warnings);
    }

    @Test
    void putGetDeleteAndStatusWorkAndWarnOnceNamingTheJar() {
        runWarningOnce("put", "k", "v");
        Cli.Result get = runWarningOnce("get", "k"); // coordinated by the client: the partitioner is loaded too
        assertTrue(get.out().startsWith("value: v\n"), get::toString);
        java.util.regex.Matcher context = java.util.regex.Pattern.compile("(?m)^context: (\\S+)$").matcher(get.out());
        assertTrue(context.find(), get::toString);
        runWarningOnce("delete", "k", "--context", context.group(1));
        runWarningOnce("status");
    }

    /** Runs a client command against the node; it succeeds, and warns once about the broken jar. */
    private Cli.Result runWarningOnce(String... command) {
        warnings.list.clear();
        String[] args = java.util.Arrays.copyOf(command, command.length + 2);
        args[command.length] = "--nodes";
        args[command.length + 1] = nodes.nodesOption();

        Cli.Result result = Cli.runWithPlugins(clientPlugins, args);

        assertEquals(0, result.exitCode(), () -> String.join(" ", command) + ": " + result);
        List<String> aboutTheJar = warnings.list.stream()
                .filter(event -> event.getLevel() == Level.WARN)
                .map(ILoggingEvent::getFormattedMessage)
                .filter(message -> message.contains(brokenJar.toString()))
                .toList();
        assertEquals(1, aboutTheJar.size(), () -> String.join(" ", command) + ": " + aboutTheJar);
        assertTrue(aboutTheJar.get(0).startsWith("Skipping the broken plugin " + brokenJar), aboutTheJar::toString);
        return result;
    }
}
