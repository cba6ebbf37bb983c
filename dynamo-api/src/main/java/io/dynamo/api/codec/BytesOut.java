package io.dynamo.api.codec;

import io.dynamo.api.Bytes;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * A growable byte buffer with the compact primitives every Dynamo encoding uses: unsigned
 * LEB128 varints, length-prefixed byte strings. Not thread-safe; one per encoding.
 */
public final class BytesOut {
    private byte[] buffer;
    private int size;

    public BytesOut() {
        this(64);
    }

    public BytesOut(int initialCapacity) {
        this.buffer = new byte[Math.max(16, initialCapacity)];
    }

    public BytesOut writeByte(int b) {
        ensure(1);
        buffer[size++] = (byte) b;
        return this;
    }

    /** Unsigned LEB128; negative values take ten bytes, so callers keep them non-negative. */
    public BytesOut writeVarLong(long value) {
        ensure(10);
        while ((value & ~0x7FL) != 0) {
            buffer[size++] = (byte) ((value & 0x7F) | 0x80);
            value >>>= 7;
        }
        buffer[size++] = (byte) value;
        return this;
    }

    public BytesOut writeVarInt(int value) {
        return writeVarLong(value & 0xFFFFFFFFL);
    }

    public BytesOut writeLong(long value) {
        ensure(8);
        for (int shift = 56; shift >= 0; shift -= 8) {
            buffer[size++] = (byte) (value >>> shift);
        }
        return this;
    }

    public BytesOut writeInt(int value) {
        ensure(4);
        for (int shift = 24; shift >= 0; shift -= 8) {
            buffer[size++] = (byte) (value >>> shift);
        }
        return this;
    }

    public BytesOut writeRaw(byte[] bytes) {
        return writeRaw(bytes, 0, bytes.length);
    }

    public BytesOut writeRaw(byte[] bytes, int offset, int length) {
        ensure(length);
        System.arraycopy(bytes, offset, buffer, size, length);
        size += length;
        return this;
    }

    /** A varint length, then the bytes. */
    public BytesOut writeBytes(byte[] bytes) {
        writeVarInt(bytes.length);
        return writeRaw(bytes);
    }

    public BytesOut writeBytes(Bytes bytes) {
        writeVarInt(bytes.length());
        ensure(bytes.length());
        bytes.copyTo(buffer, size);
        size += bytes.length();
        return this;
    }

    public BytesOut writeString(String text) {
        return writeBytes(text.getBytes(StandardCharsets.UTF_8));
    }

    public int size() {
        return size;
    }

    /** A copy of what was written. */
    public byte[] toByteArray() {
        return Arrays.copyOf(buffer, size);
    }

    private void ensure(int extra) {
        if (size + extra > buffer.length) {
            buffer = Arrays.copyOf(buffer, Math.max(buffer.length * 2, size + extra));
        }
    }
}
