package io.dynamo.transport.tcp;

import io.dynamo.spi.Metrics;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufHolder;
import io.netty.channel.ChannelDuplexHandler;
import io.netty.channel.ChannelHandler;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelPromise;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The transport's meters, in the node's registry through {@link Metrics} (see the README's
 * metrics table): open connections and bytes each way, by direction ({@code inbound}: accepted
 * by this node's server, {@code outbound}: opened to a peer), frames and connections refused,
 * handshakes failed. Made once per transport; {@link #inbound()} and {@link #outbound()} are
 * the first handler of every pipeline.
 */
final class TcpMeters {
    private final Traffic inbound;
    private final Traffic outbound;
    private final Metrics.Counter framesRejected;
    private final Metrics.Counter connectionsRefused;
    private final Metrics.Counter handshakesFailed;

    TcpMeters(Metrics metrics) {
        inbound = new Traffic(metrics, "inbound");
        outbound = new Traffic(metrics, "outbound");
        framesRejected = metrics.counter("dynamo.tcp.frames.rejected",
                "connections closed with an error for a bad, oversized or unexpected frame");
        connectionsRefused = metrics.counter("dynamo.tcp.connections.refused",
                "connections refused at once, over tcp.max-connections or tcp.max-unauthenticated-connections");
        handshakesFailed = metrics.counter("dynamo.tcp.handshakes.failed",
                "server handshakes that failed: wrong secret, TLS failure, or no handshake in time");
    }

    ChannelHandler inbound() {
        return inbound;
    }

    ChannelHandler outbound() {
        return outbound;
    }

    void frameRejected() {
        framesRejected.increment();
    }

    void connectionRefused() {
        connectionsRefused.increment();
    }

    void handshakeFailed() {
        handshakesFailed.increment();
    }

    /** Counts the connections of one direction and the bytes they carry; shared by all of them. */
    @ChannelHandler.Sharable
    private static final class Traffic extends ChannelDuplexHandler {
        private final AtomicLong open = new AtomicLong();
        private final Metrics.Counter received;
        private final Metrics.Counter sent;

        Traffic(Metrics metrics, String direction) {
            metrics.gauge("dynamo.tcp.connections", "open connections", open::get, "direction", direction);
            received = metrics.counter("dynamo.tcp.received.bytes", "bytes read from the network", "direction", direction);
            sent = metrics.counter("dynamo.tcp.sent.bytes", "bytes written to the network", "direction", direction);
        }

        @Override
        public void channelActive(ChannelHandlerContext ctx) throws Exception {
            open.incrementAndGet();
            super.channelActive(ctx);
        }

        @Override
        public void channelInactive(ChannelHandlerContext ctx) throws Exception {
            open.decrementAndGet();
            super.channelInactive(ctx);
        }

        @Override
        public void channelRead(ChannelHandlerContext ctx, Object msg) throws Exception {
            received.increment(bytes(msg));
            super.channelRead(ctx, msg);
        }

        @Override
        public void write(ChannelHandlerContext ctx, Object msg, ChannelPromise promise) throws Exception {
            sent.increment(bytes(msg));
            super.write(ctx, msg, promise);
        }

        private static long bytes(Object msg) {
            if (msg instanceof ByteBuf buf) {
                return buf.readableBytes();
            }
            if (msg instanceof ByteBufHolder holder) {
                return holder.content().readableBytes();
            }
            return 0;
        }
    }
}
