package io.dynamo.transport.tcp;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;

/**
 * The frame layout: a 16-byte header (magic, protocol version, type, request id, payload
 * length, all big-endian) followed by the payload. See the module README for the table.
 */
final class Frames {
    /** "DY": tells our frames from any other protocol at the first two bytes. */
    static final short MAGIC = 0x4459;

    static final byte VERSION = 1;
    static final int HEADER_SIZE = 16;

    private Frames() {}

    /** A frame ready to write; the caller passes its ownership to the channel. */
    static ByteBuf encode(ByteBufAllocator alloc, FrameType type, long requestId, byte[] payload) {
        ByteBuf frame = alloc.ioBuffer(HEADER_SIZE + payload.length);
        frame.writeShort(MAGIC);
        frame.writeByte(VERSION);
        frame.writeByte(type.code);
        frame.writeLong(requestId);
        frame.writeInt(payload.length);
        frame.writeBytes(payload);
        return frame;
    }

    /** The same bytes as {@link #encode}, on the heap, for a frame written outside a pipeline. */
    static byte[] encodeToArray(FrameType type, long requestId, byte[] payload) {
        return ByteBuffer.allocate(HEADER_SIZE + payload.length).putShort(MAGIC).put(VERSION).put(type.code)
                .putLong(requestId).putInt(payload.length).put(payload).array();
    }

    static ByteBuf error(ByteBufAllocator alloc, long requestId, String message) {
        return encode(alloc, FrameType.ERROR, requestId, utf8(message));
    }

    static byte[] utf8(String text) {
        return text.getBytes(StandardCharsets.UTF_8);
    }

    static String text(byte[] utf8) {
        return new String(utf8, StandardCharsets.UTF_8);
    }
}
