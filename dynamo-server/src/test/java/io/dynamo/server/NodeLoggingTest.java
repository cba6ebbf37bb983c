package io.dynamo.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ch.qos.logback.classic.LoggerContext;
import io.dynamo.api.InvalidArgumentException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A node's log file in either format, each configured on a logger context of its own (not the test JVM's). */
class NodeLoggingTest {
    @TempDir Path directory;

    private List<String> logOneLine(String format) throws Exception {
        LoggerContext context = new LoggerContext();
        context.setMDCAdapter(new ch.qos.logback.classic.util.LogbackMDCAdapter()); // as SLF4J's provider does
        try {
            NodeLogging.configure(context, directory, format);
            context.getLogger("io.dynamo.test").info("node {} is up", "node-7");

        } finally {
            context.stop(); // flushes and closes dynamo.log
        }
        return Files.readAllLines(directory.resolve("dynamo.log"));
    }

    @Test
    void jsonFormatWritesOneJsonObjectPerLine() throws Exception {
        List<String> lines = logOneLine("json");
        String line = lines.stream().filter(l -> l.contains("node-7")).findFirst().orElseThrow();
        assertTrue(line.startsWith("{") && line.endsWith("}"), line);
        assertTrue(line.contains("\"level\":\"INFO\""), line);
        assertTrue(line.contains("\"loggerName\":\"io.dynamo.test\""), line);
        assertTrue(line.contains("\"formattedMessage\":\"node node-7 is up\""), line);
    }

    @Test
    void textIsTheDefaultFormat() throws Exception {
        List<String> lines = logOneLine("text");
        String line = lines.stream().filter(l -> l.contains("node-7")).findFirst().orElseThrow();
        assertFalse(line.startsWith("{"), line);
        assertTrue(line.contains("INFO") && line.endsWith("io.dynamo.test - node node-7 is up"), line);
    }

    @Test
    void anUnknownFormatNamesTheSetting() {
        InvalidArgumentException e = assertThrows(InvalidArgumentException.class,
                () -> NodeLogging.configure(new LoggerContext(), directory, "xml"));
        assertTrue(e.getMessage().contains(NodeLogging.FORMAT_PROPERTY), e.getMessage());
        assertEquals("dynamo.log.format", NodeLogging.FORMAT_PROPERTY);
    }
}
