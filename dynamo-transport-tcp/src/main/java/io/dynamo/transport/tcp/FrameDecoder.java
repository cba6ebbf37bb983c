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
 * frame size; a frame that does not arrive whole first reserves its announced length from the
 * budget shared by all connections ({@code tcp.max-buffered-bytes}), so together they cannot
 * either. A violation raises {@link ProtocolException} (or {@link LimitExceededException}) once
 * and discards everything after.
 */
final class FrameDecoder extends ByteToMessageDecoder {
    private static final Logger log = LoggerFactory.getLogger(FrameDecoder.class);

    /** The first two bytes of a TLS handshake record: content type 22, major version 3. */
    static final short TLS_HANDSHAKE = 0x1603;

    private final int maxFrameSize;
    private final BufferBudget budget;
    /** Bytes reserved from the budget for the frame being received; 0 when none. */
    private long reserved;
    private boolean failed;

    FrameDecoder(int maxFrameSize, BufferBudget budget) {
        this.maxFrameSize = maxFrameSize;
        this.budget = budget;
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
        if (magic == TLS_HANDSHAKE) {
            throw fail(in, "the peer speaks TLS and this node does not (tcp.tls.enabled=false here)");
        }
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
            if (reserved == 0 && length > 0) {
                if (!budget.tryReserve(length)) {
                    failed = true;
                    in.skipBytes(in.readableBytes());
                    throw new LimitExceededException("the node holds too many partial frames (" + budget.used()
                            + " of " + budget.max() + " bytes, tcp.max-buffered-bytes); retry later");
                }
                reserved = length;
            }
            return;
        }
        releaseReservation();
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

    @Override
    public void channelInactive(ChannelHandlerContext ctx) throws Exception {
        releaseReservation();
        super.channelInactive(ctx);
    }

    @Override
    protected void handlerRemoved0(ChannelHandlerContext ctx) {
        releaseReservation();
    }

    private void releaseReservation() {
        if (reserved != 0) {
            budget.release(reserved);
            reserved = 0;
        }
    }

    private ProtocolException fail(ByteBuf in, String message) {
        failed = true;
        releaseReservation();
        in.skipBytes(in.readableBytes());
        return new ProtocolException(message);
    }
}
