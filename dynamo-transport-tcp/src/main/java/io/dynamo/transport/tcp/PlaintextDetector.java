package io.dynamo.transport.tcp;

import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.codec.ByteToMessageDecoder;
import java.util.List;
import java.util.function.Consumer;

/**
 * Sits in front of the TLS handler and looks at the first two bytes from the other side: a TLS
 * record starts {@code 0x16 0x03}, our plaintext frames start with the magic {@code 0x44 0x59}.
 * Plaintext goes to {@code onPlaintext} (which says so and closes the connection) instead of
 * the TLS handler's "not an SSL/TLS record" and a hex dump; anything else passes on untouched
 * and this handler leaves the pipeline.
 */
final class PlaintextDetector extends ByteToMessageDecoder {
    private final Consumer<ChannelHandlerContext> onPlaintext;

    PlaintextDetector(Consumer<ChannelHandlerContext> onPlaintext) {
        this.onPlaintext = onPlaintext;
    }

    @Override
    protected void decode(ChannelHandlerContext ctx, ByteBuf in, List<Object> out) {
        if (in.readableBytes() < 2) {
            return;
        }
        if (in.getShort(in.readerIndex()) == Frames.MAGIC) {
            in.skipBytes(in.readableBytes());
            onPlaintext.accept(ctx);
        } else {
            ctx.pipeline().remove(this); // hands what it buffered to the TLS handler
        }
    }
}
