package io.dynamo.transport.tcp;

import static org.junit.jupiter.api.Assertions.fail;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.Socket;
import java.net.SocketException;
import java.net.SocketTimeoutException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * Writes and reads frames by hand over a plain {@link Socket}, independently of the transport's
 * own codec, so tests can send exactly the bytes a misbehaving peer would.
 */
final class RawFrames {
    record RawFrame(int type, long requestId, byte[] payload) {
        String text() {
            return new String(payload, StandardCharsets.UTF_8);
        }
    }

    private RawFrames() {}

    static byte[] header(int magic, int version, int type, long requestId, int length) {
        return ByteBuffer.allocate(16).putShort((short) magic).put((byte) version).put((byte) type)
                .putLong(requestId).putInt(length).array();
    }

    static byte[] frame(int type, long requestId, byte[] payload) {
        return ByteBuffer.allocate(16 + payload.length)
                .put(header(0x4459, 1, type, requestId, payload.length)).put(payload).array();
    }

    /** Reads until the server closes the connection (failing after the socket's read timeout). */
    static byte[] readToEnd(Socket socket) throws IOException {
        ByteArrayOutputStream all = new ByteArrayOutputStream();
        InputStream in = socket.getInputStream();
        byte[] buffer = new byte[4096];
        try {
            for (int n; (n = in.read(buffer)) != -1; ) {
                all.write(buffer, 0, n);
            }
        } catch (SocketTimeoutException e) {
            fail("the server did not close the connection within " + socket.getSoTimeout() + " ms");
        } catch (SocketException e) {
            // a reset after the server closed: what it sent before is what we have
        }
        return all.toByteArray();
    }

    /** Reads exactly one frame. */
    static RawFrame readFrame(InputStream in) throws IOException {
        byte[] header = in.readNBytes(16);
        if (header.length < 16) {
            fail("connection closed after " + header.length + " header bytes");
        }
        ByteBuffer h = ByteBuffer.wrap(header);
        h.getShort();
        h.get();
        int type = h.get();
        long id = h.getLong();
        byte[] payload = in.readNBytes(h.getInt());
        return new RawFrame(type, id, payload);
    }

    static List<RawFrame> parse(byte[] bytes) throws IOException {
        List<RawFrame> frames = new ArrayList<>();
        java.io.ByteArrayInputStream in = new java.io.ByteArrayInputStream(bytes);
        while (in.available() > 0) {
            frames.add(readFrame(in));
        }
        return frames;
    }
}
