package io.dynamo.examples.custom;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.dynamo.api.Bytes;
import io.dynamo.api.ReadResult;
import io.dynamo.spi.ConfigException;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class CustomStoreExampleTest {
    @TempDir
    Path temp;

    @Test
    void assemblesChronicleWithTheThirdPartyResolverByName() throws Exception {
        ByteArrayOutputStream buffer = new ByteArrayOutputStream();
        Path data = Files.createDirectories(temp.resolve("data"));
        ReadResult read = new CustomStoreExample(new PrintStream(buffer, true, StandardCharsets.UTF_8))
                .run(temp.resolve("plugins"), data, "chronicle", "max-register");
        String output = buffer.toString(StandardCharsets.UTF_8);

        assertEquals(1, read.versions().size(), output);
        assertEquals(Bytes.utf8("57"), read.values().get(0), output);
        assertTrue(output.contains("max-register (class path)"), output);
        assertTrue(Files.list(data).findAny().isPresent(), "chronicle wrote under " + data);
    }

    @Test
    void anUnknownNameListsWhatExists() {
        ConfigException e = org.junit.jupiter.api.Assertions.assertThrows(ConfigException.class,
                () -> new CustomStoreExample(new PrintStream(new ByteArrayOutputStream(), true, StandardCharsets.UTF_8))
                        .run(temp.resolve("plugins"), temp, "rocksdb", "max-register"));
        assertTrue(e.getMessage().contains("chronicle") && e.getMessage().contains("memory"), e.getMessage());
    }
}
