package io.dynamo.bench.transport;

import io.netty.bootstrap.Bootstrap;
import io.netty.bootstrap.ServerBootstrap;
import io.netty.buffer.ByteBuf;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.epoll.Epoll;
import io.netty.channel.epoll.EpollIoHandler;
import io.netty.channel.epoll.EpollServerSocketChannel;
import io.netty.channel.epoll.EpollSocketChannel;
import io.netty.channel.nio.NioIoHandler;
import io.netty.channel.socket.SocketChannel;
import io.netty.channel.socket.nio.NioServerSocketChannel;
import io.netty.channel.socket.nio.NioSocketChannel;
import io.netty.handler.codec.LengthFieldBasedFrameDecoder;
import io.netty.handler.flush.FlushConsolidationHandler;
import java.net.InetSocketAddress;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The ceiling: the least a request/response over Netty can do. Frames are {@code [int
 * length][long id][payload]}; the server writes each frame back as it came, the client matches
 * answers by id, over a few pooled connections, exactly as the tcp transport does but without
 * its header checks, handshake, timeouts or back-off.
 */
final class RawEcho {
    private RawEcho() {}

    static boolean useEpoll(boolean nativeTransport) {
        return nativeTransport && Epoll.isAvailable();
    }

    static EventLoopGroup group(int threads, boolean epoll) {
        return new MultiThreadIoEventLoopGroup(threads, epoll ? EpollIoHandler.newFactory() : NioIoHandler.newFactory());
    }

    private static LengthFieldBasedFrameDecoder frames() {
        return new LengthFieldBasedFrameDecoder(16 << 20, 0, 4, 0, 0);
    }

    /** Binds an echo server on 127.0.0.1 at an ephemeral port and returns its channel. */
    static Channel server(EventLoopGroup group, boolean epoll) {
        return bind(group, epoll, (ctx, frame) -> ctx.writeAndFlush(frame)); // the whole frame back, id included
    }

    /**
     * Binds a relay on 127.0.0.1 at an ephemeral port: each frame's payload goes on to
     * {@code upstream} (an echo server), and its answer back under the frame's id. Client →
     * relay → echo is the network part of a quorum read at R=2 — client to coordinator, the
     * coordinator to one other replica — without storage, codecs or coordination.
     */
    static Channel relay(EventLoopGroup group, boolean epoll, Client upstream) {
        return bind(group, epoll, (ctx, msg) -> {
            ByteBuf frame = (ByteBuf) msg;
            long id;
            byte[] payload;
            try {
                frame.skipBytes(4);
                id = frame.readLong();
                payload = new byte[frame.readableBytes()];
                frame.readBytes(payload);
            } finally {
                frame.release();
            }
            upstream.request(payload).thenAccept(answer -> {
                ByteBuf reply = ctx.alloc().ioBuffer(12 + answer.length);
                reply.writeInt(8 + answer.length).writeLong(id).writeBytes(answer);
                ctx.writeAndFlush(reply, ctx.voidPromise());
            });
        });
    }

    /** What a server does with each whole frame. */
    @FunctionalInterface
    private interface FrameHandler {
        void handle(ChannelHandlerContext ctx, Object frame);
    }

    private static Channel bind(EventLoopGroup group, boolean epoll, FrameHandler handler) {
        return new ServerBootstrap()
                .group(group)
                .channel(epoll ? EpollServerSocketChannel.class : NioServerSocketChannel.class)
                .childOption(ChannelOption.TCP_NODELAY, true)
                .childHandler(new ChannelInitializer<SocketChannel>() {
                    @Override
                    protected void initChannel(SocketChannel channel) {
                        channel.pipeline().addLast(new FlushConsolidationHandler(64, true), frames(),
                                new ChannelInboundHandlerAdapter() {
                                    @Override
                                    public void channelRead(ChannelHandlerContext ctx, Object frame) {
                                        handler.handle(ctx, frame);
                                    }
                                });
                    }
                })
                .bind(new InetSocketAddress("127.0.0.1", 0))
                .syncUninterruptibly()
                .channel();
    }

    /** The client side: pooled connections, requests matched to responses by id. */
    static final class Client implements AutoCloseable {
        private final Channel[] channels;
        private final Map<Long, CompletableFuture<byte[]>> pending = new ConcurrentHashMap<>();
        private final AtomicLong ids = new AtomicLong();
        private final AtomicInteger next = new AtomicInteger();

        Client(EventLoopGroup group, boolean epoll, int port, int connections) {
            Bootstrap bootstrap = new Bootstrap()
                    .group(group)
                    .channel(epoll ? EpollSocketChannel.class : NioSocketChannel.class)
                    .option(ChannelOption.TCP_NODELAY, true)
                    .handler(new ChannelInitializer<SocketChannel>() {
                        @Override
                        protected void initChannel(SocketChannel channel) {
                            channel.pipeline().addLast(new FlushConsolidationHandler(64, true), frames(),
                                    new ChannelInboundHandlerAdapter() {
                                        @Override
                                        public void channelRead(ChannelHandlerContext ctx, Object msg) {
                                            ByteBuf frame = (ByteBuf) msg;
                                            try {
                                                frame.skipBytes(4);
                                                long id = frame.readLong();
                                                byte[] payload = new byte[frame.readableBytes()];
                                                frame.readBytes(payload);
                                                CompletableFuture<byte[]> answer = pending.remove(id);
                                                if (answer != null) {
                                                    answer.complete(payload);
                                                }
                                            } finally {
                                                frame.release();
                                            }
                                        }
                                    });
                        }
                    });
            channels = new Channel[connections];
            for (int i = 0; i < connections; i++) {
                channels[i] = bootstrap.connect("127.0.0.1", port).syncUninterruptibly().channel();
            }
        }

        CompletableFuture<byte[]> request(byte[] payload) {
            long id = ids.incrementAndGet();
            CompletableFuture<byte[]> answer = new CompletableFuture<>();
            pending.put(id, answer);
            Channel channel = channels[Math.floorMod(next.getAndIncrement(), channels.length)];
            ByteBuf frame = channel.alloc().ioBuffer(12 + payload.length);
            frame.writeInt(8 + payload.length).writeLong(id).writeBytes(payload);
            channel.writeAndFlush(frame, channel.voidPromise());
            return answer;
        }

        @Override
        public void close() {
            for (Channel channel : channels) {
                channel.close().syncUninterruptibly();
            }
        }
    }
}
