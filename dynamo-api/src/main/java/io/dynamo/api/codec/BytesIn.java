package io.dynamo.api.codec;

import io.dynamo.api.Bytes;
import java.nio.charset.StandardCharsets;

/**
 * Reads what {@link BytesOut} wrote. Every read checks its bounds and throws
 * {@link MalformedDataException} rather than reading past the end or allocating an absurd
 * length, so bytes from a socket or a damaged file can never crash the reader.
 */
public final class BytesIn {
    private final byte[] buffer;
    private final int end;
    private int position;

    public BytesIn(byte[] buffer) {
        this(buffer, 0, buffer.length);
    }

    public BytesIn(byte[] buffer, int offset, int length) {
        if (offset < 0 || length < 0 || offset + length > buffer.length) {
            throw new IllegalArgumentException("range " + offset + "+" + length + " outside " + buffer.length);
        }
        this.buffer = buffer;
        this.position = offset;
        this.end = offset + length;
    }

    public int readByte() {
        require(1);
        return buffer[position++] & 0xFF;
    }

    public long readVarLong() {
        long result = 0;
        for (int shift = 0; shift < 64; shift += 7) {
            int b = readByte();
            result |= (long) (b & 0x7F) << shift;
            if ((b & 0x80) == 0) {
                return result;
            }
        }
        throw new MalformedDataException("varint longer than 10 bytes");
    }

    public int readVarInt() {
        long value = readVarLong();
        if (value > 0xFFFFFFFFL) {
            throw new MalformedDataException("varint " + value + " does not fit an int");
        }
        return (int) value;
    }

    /** A non-negative varint no larger than {@code max}, e.g. a count or a length. */
    public int readLength(int max) {
        long value = readVarLong();
        if (value < 0 || value > max) {
            throw new MalformedDataException("length " + value + " outside [0, " + max + "]");
        }
        return (int) value;
    }

    public long readLong() {
        require(8);
        long value = 0;
        for (int i = 0; i < 8; i++) {
            value = (value << 8) | (buffer[position++] & 0xFF);
        }
        return value;
    }

    public int readInt() {
        require(4);
        int value = 0;
        for (int i = 0; i < 4; i++) {
            value = (value << 8) | (buffer[position++] & 0xFF);
        }
        return value;
    }

    public byte[] readRaw(int length) {
        require(length);
        byte[] bytes = new byte[length];
        System.arraycopy(buffer, position, bytes, 0, length);
        position += length;
        return bytes;
    }

    /** A varint length (at most what is left), then that many bytes. */
    public byte[] readBytes() {
        return readRaw(readLength(remaining()));
    }

    public Bytes readByteString() {
        return Bytes.wrapOwned(readBytes());
    }

    public String readString() {
        return new String(readBytes(), StandardCharsets.UTF_8);
    }

    public int remaining() {
        return end - position;
    }

    public boolean hasRemaining() {
        return position < end;
    }

    /** Fails unless every byte was read: trailing garbage is damage too. */
    public void requireEnd() {
        if (position != end) {
            throw new MalformedDataException((end - position) + " unexpected trailing bytes");
        }
    }

    private void require(int count) {
        if (count < 0 || count > end - position) {
            throw new MalformedDataException("needed " + count + " bytes, " + (end - position) + " left");
        }
    }
}
