package io.dynamo.tck;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class TestPluginContextTest {
    @TempDir Path work;

    @Test
    void aContextIsANodeIdAndAnExistingDataDirectory() {
        TestPluginContext context = TestPluginContext.in(work);

        assertEquals(TestPluginContext.DEFAULT_NODE_ID, context.nodeId());
        assertEquals(work, context.dataDirectory());
        assertEquals("n7", new TestPluginContext("n7", work).nodeId());
    }

    @Test
    void aMissingDataDirectoryIsRefusedAsANodeWouldNeverHandOne() {
        IllegalArgumentException error = assertThrows(IllegalArgumentException.class,
                () -> TestPluginContext.in(work.resolve("absent")));

        assertTrue(error.getMessage().contains("must exist and be writable"), error::getMessage);
        assertThrows(IllegalArgumentException.class, () -> new TestPluginContext(" ", work));
    }

    @Test
    void aTemporaryDataDirectoryIsDeletedWithItsFilesOnClose() throws Exception {
        Path path;
        try (TempDataDirectory data = TempDataDirectory.create()) {
            path = data.path();
            assertTrue(Files.isDirectory(path));
            assertEquals(path, data.context().dataDirectory());
            assertEquals("n2", data.context("n2").nodeId());
            Files.createDirectories(path.resolve("plugin").resolve("partition-1"));
            Files.writeString(path.resolve("plugin").resolve("partition-1").resolve("data"), "bytes");
        }
        assertFalse(Files.exists(path));
    }
}
