package io.dynamo.examples.quickstart;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.dynamo.api.Bytes;
import io.dynamo.api.ReadResult;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class QuickstartDemoTest {
    @Test
    void concurrentWritesBecomeSiblingsAndEveryWriteSurvivesTheCrash() {
        ByteArrayOutputStream buffer = new ByteArrayOutputStream();
        ReadResult cart = new QuickstartDemo(new PrintStream(buffer, true, StandardCharsets.UTF_8)).run(7);
        String output = buffer.toString(StandardCharsets.UTF_8);

        assertTrue(output.contains("  2 version(s):"), output);
        assertEquals(1, cart.versions().size(), output);
        assertEquals(Bytes.utf8("book\nlamp\npen\numbrella"), cart.values().get(0), output);
        assertTrue(output.contains("hints delivered: true, left: 0"), output);
    }
}
