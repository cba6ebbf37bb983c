package io.dynamo.core.plugin;

import static org.junit.jupiter.api.Assertions.assertTrue;

/** Fluent checks on an error message; a failure shows the whole message. */
final class MessageAssert {
    private final String actual;

    private MessageAssert(String actual) {
        this.actual = actual;
    }

    static MessageAssert assertThat(String actual) {
        return new MessageAssert(actual);
    }

    MessageAssert startsWith(String prefix) {
        assertTrue(actual != null && actual.startsWith(prefix), () -> "expected to start with\n" + prefix + "\nbut was\n" + actual);
        return this;
    }

    MessageAssert contains(String part) {
        assertTrue(actual != null && actual.contains(part), () -> "expected to contain\n" + part + "\nbut was\n" + actual);
        return this;
    }

    MessageAssert doesNotContain(String part) {
        assertTrue(actual != null && !actual.contains(part), () -> "expected not to contain\n" + part + "\nbut was\n" + actual);
        return this;
    }
}
