package io.dynamo.api;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import org.junit.jupiter.api.Test;

class BytesTest {
    @Test
    void ofCopiesItsArgument() {
        byte[] source = {1, 2, 3};
        Bytes bytes = Bytes.of(source);
        source[0] = 9;
        assertArrayEquals(new byte[] {1, 2, 3}, bytes.toByteArray());
    }

    @Test
    void toByteArrayReturnsACopy() {
        Bytes bytes = Bytes.utf8("abc");
        bytes.toByteArray()[0] = 'z';
        assertEquals("abc", bytes.asUtf8());
    }

    @Test
    void copyToWritesAtTheOffset() {
        byte[] target = new byte[5];
        Bytes.of(new byte[] {7, 8}).copyTo(target, 2);
        assertArrayEquals(new byte[] {0, 0, 7, 8, 0}, target);
    }

    @Test
    void equalsAndHashCodeFollowTheContent() {
        Bytes a = Bytes.utf8("key");
        Bytes b = Bytes.of("key".getBytes(java.nio.charset.StandardCharsets.UTF_8));
        assertEquals(a, b);
        assertEquals(a.hashCode(), b.hashCode());
        assertNotEquals(a, Bytes.utf8("kez"));
        assertNotEquals(a, "key");
        assertEquals(Bytes.EMPTY, Bytes.of(new byte[0]));
        assertEquals(0, Bytes.EMPTY.length());
    }

    @Test
    void orderIsUnsignedLexicographic() {
        List<Bytes> sorted = List.of(Bytes.EMPTY, Bytes.of(new byte[] {0}), Bytes.of(new byte[] {0, 0}),
                Bytes.of(new byte[] {1}), Bytes.of(new byte[] {0x7f}), Bytes.of(new byte[] {(byte) 0x80}), Bytes.of(new byte[] {(byte) 0xff}));
        List<Bytes> shuffled = new ArrayList<>(sorted);
        Collections.shuffle(shuffled, new java.util.Random(3));
        Collections.sort(shuffled);
        assertEquals(sorted, shuffled);
        assertEquals(0, Bytes.utf8("a").compareTo(Bytes.utf8("a")));
        assertTrue(Bytes.of(new byte[] {(byte) 0xff}).compareTo(Bytes.of(new byte[] {1})) > 0, "0xff sorts after 0x01");
    }

    @Test
    void textShowsAsTextAndBinaryAsHex() {
        assertEquals("\"user:42\"", Bytes.utf8("user:42").toString());
        assertEquals("\"café\"", Bytes.utf8("café").toString());
        assertEquals("\"\"", Bytes.EMPTY.toString());
        assertEquals("0x00ff", Bytes.of(new byte[] {0, (byte) 0xff}).toString());
        assertEquals("0xc328", Bytes.of(new byte[] {(byte) 0xc3, 0x28}).toString(), "invalid UTF-8 shows as hex");
        assertEquals("0x610a62", Bytes.utf8("a\nb").toString(), "control characters show as hex");
        assertEquals("0a0b", Bytes.of(new byte[] {10, 11}).toHex());
    }

    @Test
    void nullsAreRefused() {
        assertThrows(InvalidArgumentException.class, () -> Bytes.of(null));
        assertThrows(InvalidArgumentException.class, () -> Bytes.utf8(null));
        assertThrows(InvalidArgumentException.class, () -> Bytes.wrapOwned(null));
    }

    @Test
    void versionedChecksItsParts() {
        assertThrows(InvalidArgumentException.class, () -> new Versioned(VectorClock.EMPTY, Bytes.utf8("x"), true));
        assertThrows(NullPointerException.class, () -> Versioned.of(null, Bytes.EMPTY));
        assertEquals("<deleted>@{a:1}", Versioned.tombstone(VectorClock.EMPTY.increment("a", 1)).toString());
        assertEquals("\"v\"@{}", Versioned.of(VectorClock.EMPTY, Bytes.utf8("v")).toString());
    }
}
