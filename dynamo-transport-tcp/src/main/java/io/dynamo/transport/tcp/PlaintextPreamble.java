package io.dynamo.transport.tcp;

import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelDuplexHandler;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelPromise;

/**
 * On a plaintext client connection, sends the first bytes of the first frame (magic and
 * version) as soon as the connection opens, and strips them from that frame when it is
 * written. A plaintext server sees one unbroken stream of frames; a TLS server, which waits
 * for the client to speak first, sees plaintext at once and can say that it speaks TLS,
 * instead of both sides waiting for the other until the handshake times out.
 */
final class PlaintextPreamble extends ChannelDuplexHandler {
    static final int SIZE = 3;

    @Override
    public void channelActive(ChannelHandlerContext ctx) throws Exception {
        ByteBuf preamble = ctx.alloc().buffer(SIZE);
        preamble.writeShort(Frames.MAGIC);
        preamble.writeByte(Frames.VERSION);
        ctx.writeAndFlush(preamble, ctx.voidPromise());
        super.channelActive(ctx);
    }

    @Override
    public void write(ChannelHandlerContext ctx, Object msg, ChannelPromise promise) {
        if (msg instanceof ByteBuf frame && frame.readableBytes() >= Frames.HEADER_SIZE) {
            frame.skipBytes(SIZE); // already sent
            ctx.pipeline().remove(this);
        }
        ctx.write(msg, promise);
    }
}
