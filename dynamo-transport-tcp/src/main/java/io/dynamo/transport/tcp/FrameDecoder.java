package io.dynamo.transport.tcp;

import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.codec.ByteToMessageDecoder;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Splits the byte stream into {@link Frame}s. Every header field is checked before the payload
 * is waited for, so a peer can never make us buffer more than one header plus the maximum
 * frame size. A violation raises {@link ProtocolException} once and discards everything after.
 */
final class FrameDecoder extends ByteToMessageDecoder {
    private static final Logger log = LoggerFactory.getLogger(FrameDecoder.class);

    private final int maxFrameSize;
    private boolean failed;

    FrameDecoder(int maxFrameSize) {
        this.maxFrameSize = maxFrameSize;
    }

    @Override
    protected void decode(ChannelHandlerContext ctx, ByteBuf in, List<Object> out) {
        if (failed) {
            in.skipBytes(in.readableBytes());
            return;
        }
        if (in.readableBytes() < Frames.HEADER_SIZE) {
            return;
        }
        int start = in.readerIndex();
        short magic = in.getShort(start);
        if (magic != Frames.MAGIC) {
            throw fail(in, String.format("bad magic 0x%04x, not a dynamo tcp frame", magic & 0xffff));
        }
        byte version = in.getByte(start + 2);
        if (version != Frames.VERSION) {
            throw fail(in, "unsupported protocol version " + version + ", this node speaks " + Frames.VERSION);
        }
        byte code = in.getByte(start + 3);
        FrameType type = FrameType.fromCode(code);
        if (type == null) {
            throw fail(in, "unknown frame type " + code);
        }
        long requestId = in.getLong(start + 4);
        int length = in.getInt(start + 12);
        if (length < 0 || length > maxFrameSize) {
            throw fail(in, "frame of " + Integer.toUnsignedString(length) + " bytes exceeds the maximum of "
                    + maxFrameSize + " (tcp.max-frame-size)");
        }
        if (in.readableBytes() < Frames.HEADER_SIZE + length) {
            return;
        }
        in.skipBytes(Frames.HEADER_SIZE);
        byte[] payload = new byte[length];
        in.readBytes(payload);
        out.add(new Frame(type, requestId, payload));
    }

    @Override
    protected void decodeLast(ChannelHandlerContext ctx, ByteBuf in, List<Object> out) throws Exception {
        super.decodeLast(ctx, in, out);
        if (!failed && in.isReadable()) {
            log.debug("connection {} ended in the middle of a frame ({} bytes discarded)",
                    ctx.channel().remoteAddress(), in.readableBytes());
            in.skipBytes(in.readableBytes());
        }
    }

    private ProtocolException fail(ByteBuf in, String message) {
        failed = true;
        in.skipBytes(in.readableBytes());
        return new ProtocolException(message);
    }
}
