package io.dynamo.api;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Base64;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class ContextTest {
    @Test
    void encodingRoundTrips() {
        Context context = new Context(VectorClock.EMPTY.increment("node-1", 1_700_000_000_000L).increment("node-2", 5));
        String text = context.encode();
        assertTrue(text.matches("[A-Za-z0-9_-]+"), "URL-safe without padding: " + text);
        assertEquals(context, Context.decode(text));
        assertEquals(text, context.toString());
    }

    @Test
    void emptyTextIsTheEmptyContext() {
        assertEquals(Context.EMPTY, Context.decode(""));
        assertEquals(Context.EMPTY, Context.decode(Context.EMPTY.encode()));
    }

    @ParameterizedTest
    @ValueSource(strings = {"%%%", "not base64!", "AAAA", "_w", "gICAgICAgICAgIAB"})
    void malformedTextIsAnInvalidArgumentNamingIt(String text) {
        InvalidArgumentException e = assertThrows(InvalidArgumentException.class, () -> Context.decode(text));
        assertTrue(e.getMessage().startsWith("malformed context '" + text + "'"), e.getMessage());
    }

    @Test
    void aDamagedClockInsideValidBase64IsRefused() {
        byte[] bytes = VectorClock.EMPTY.increment("a", 1).toBytes();
        byte[] truncated = java.util.Arrays.copyOf(bytes, bytes.length - 1);
        String text = Base64.getUrlEncoder().withoutPadding().encodeToString(truncated);
        assertThrows(InvalidArgumentException.class, () -> Context.decode(text));
    }

    @Test
    void nullIsRefused() {
        assertThrows(InvalidArgumentException.class, () -> Context.decode(null));
        assertThrows(NullPointerException.class, () -> new Context(null));
    }
}
