package io.dynamo.api;

import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.HexFormat;

/**
 * An immutable string of bytes: the keys and values of the store.
 *
 * <p>Every way in and out copies, so a caller can never change a {@code Bytes} it handed over or
 * received. {@link #toString()} shows the text when the bytes are valid UTF-8 without control
 * characters, hex otherwise.
 */
public final class Bytes implements Comparable<Bytes> {
    public static final Bytes EMPTY = new Bytes(new byte[0]);

    private final byte[] bytes;
    private int hash;

    private Bytes(byte[] owned) {
        this.bytes = owned;
    }

    /** A copy of {@code bytes}. */
    public static Bytes of(byte[] bytes) {
        if (bytes == null) {
            throw new InvalidArgumentException("bytes is null");
        }
        return new Bytes(bytes.clone());
    }

    /** The UTF-8 encoding of {@code text}. */
    public static Bytes utf8(String text) {
        if (text == null) {
            throw new InvalidArgumentException("text is null");
        }
        return new Bytes(text.getBytes(StandardCharsets.UTF_8));
    }

    /**
     * Wraps {@code bytes} without copying. Only for code that has just created the array and
     * gives up every reference to it (decoders); everyone else uses {@link #of(byte[])}.
     */
    public static Bytes wrapOwned(byte[] bytes) {
        if (bytes == null) {
            throw new InvalidArgumentException("bytes is null");
        }
        return new Bytes(bytes);
    }

    /** A copy of the bytes. */
    public byte[] toByteArray() {
        return bytes.clone();
    }

    public int length() {
        return bytes.length;
    }

    public byte byteAt(int index) {
        return bytes[index];
    }

    /** Copies the bytes into {@code target} at {@code offset}. */
    public void copyTo(byte[] target, int offset) {
        System.arraycopy(bytes, 0, target, offset, bytes.length);
    }

    public String asUtf8() {
        return new String(bytes, StandardCharsets.UTF_8);
    }

    public String toHex() {
        return HexFormat.of().formatHex(bytes);
    }

    @Override
    public boolean equals(Object other) {
        return other instanceof Bytes that && Arrays.equals(bytes, that.bytes);
    }

    @Override
    public int hashCode() {
        int h = hash;
        if (h == 0) {
            h = Arrays.hashCode(bytes);
            hash = h;
        }
        return h;
    }

    /** Unsigned lexicographic order. */
    @Override
    public int compareTo(Bytes other) {
        return Arrays.compareUnsigned(bytes, other.bytes);
    }

    @Override
    public String toString() {
        String text;
        try {
            text = StandardCharsets.UTF_8.newDecoder().decode(ByteBuffer.wrap(bytes)).toString();
        } catch (CharacterCodingException e) {
            return "0x" + toHex();
        }
        for (int i = 0; i < text.length(); i++) {
            if (Character.isISOControl(text.charAt(i))) {
                return "0x" + toHex();
            }
        }
        return "\"" + text + "\"";
    }
}
