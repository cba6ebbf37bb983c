package io.dynamo.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import io.dynamo.core.plugin.ConfigNamespaces;
import io.dynamo.spi.ConfigException;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.slf4j.LoggerFactory;

/** A node checks every setting's namespace at start, against the core's sections and the installed plugins. */
class ConfigNamespacesAtStartTest {
    @TempDir Path directory;

    private final ListAppender<ILoggingEvent> log = new ListAppender<>();
    private final Logger checkLog = (Logger) LoggerFactory.getLogger(ConfigNamespaces.class);

    @BeforeEach
    void capture() {
        log.start();
        checkLog.addAppender(log);
    }

    @AfterEach
    void release() {
        checkLog.detachAppender(log);
    }

    @Test
    void aMisspeltPluginNamespaceStopsTheStartNamingTheKeyAndTheClosestNamespace() {
        ConfigException error = assertThrows(ConfigException.class,
                () -> InProcessNodes.start(1, directory, Map.of("chronicel.entries-per-partition", "1000")).close());

        assertEquals("chronicel.entries-per-partition", error.key());
        assertTrue(error.getMessage().contains("no core section and no installed plugin is named 'chronicel'; did you mean"
                + " 'chronicle'?"), error::getMessage);
    }

    @Test
    void aKeyOfAnInstalledButUnselectedPluginIsLoggedOnceAsAWarning() {
        try (InProcessNodes node = InProcessNodes.start(1, directory,
                Map.of("storage", "memory", "chronicle.entries-per-partiton", "1000", "local.seed", "7"))) {
            List<String> warnings = log.list.stream()
                    .filter(event -> event.getLevel() == Level.WARN)
                    .map(ILoggingEvent::getFormattedMessage)
                    .toList();

            assertEquals(2, warnings.size(), warnings::toString); // one per plugin
            String chronicle = warnings.stream().filter(w -> w.contains("chronicle.")).findFirst().orElseThrow();
            assertTrue(chronicle.startsWith("Ignoring chronicle.entries-per-partiton: storage engine 'chronicle' from class"
                    + " path is installed but not selected (storage=memory)"), chronicle);
            // a misspelt key is named as such: selecting chronicle later would fail on it
            assertTrue(chronicle.contains("chronicle.entries-per-partiton is not among its settings (chronicle."), chronicle);
            String local = warnings.stream().filter(w -> w.contains("local.seed")).findFirst().orElseThrow();
            assertTrue(local.startsWith("Ignoring local.seed: transport 'local' from class path is installed but not"
                    + " selected (transport=tcp)"), local);
            assertFalse(local.contains("not among"), local);
        }
    }
}
