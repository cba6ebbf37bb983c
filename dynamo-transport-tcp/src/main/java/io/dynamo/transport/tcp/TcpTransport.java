package io.dynamo.transport.tcp;

import static java.util.Objects.requireNonNull;

import io.dynamo.spi.Metrics;
import io.dynamo.spi.transport.Endpoint;
import io.dynamo.spi.transport.RequestHandler;
import io.dynamo.spi.transport.Transport;
import io.dynamo.spi.transport.TransportException;
import io.netty.bootstrap.Bootstrap;
import io.netty.bootstrap.ServerBootstrap;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.ChannelPipeline;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.IoHandlerFactory;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.ServerChannel;
import io.netty.channel.WriteBufferWaterMark;
import io.netty.channel.epoll.Epoll;
import io.netty.channel.epoll.EpollIoHandler;
import io.netty.channel.epoll.EpollServerSocketChannel;
import io.netty.channel.epoll.EpollSocketChannel;
import io.netty.channel.nio.NioIoHandler;
import io.netty.channel.socket.SocketChannel;
import io.netty.channel.socket.nio.NioServerSocketChannel;
import io.netty.channel.socket.nio.NioSocketChannel;
import io.netty.handler.flush.FlushConsolidationHandler;
import io.netty.handler.ssl.SslHandler;
import io.netty.handler.timeout.IdleStateHandler;
import io.netty.util.HashedWheelTimer;
import io.netty.util.Timer;
import io.netty.util.concurrent.DefaultThreadFactory;
import io.netty.util.concurrent.EventExecutor;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The {@code tcp} transport: length-prefixed frames over Netty (native epoll when available,
 * NIO otherwise), a pooled set of connections per peer with many requests in flight on each,
 * optional secret handshake (whose secret decides the caller's role: peer, client or admin) and
 * TLS, and bounds on what callers can make the server hold (connections, requests in flight,
 * unread answers, partial frames). See the module README for the frame layout and the
 * configuration keys.
 *
 * <p>Response futures complete on the transport's I/O threads: callers that do slow work on
 * completion should chain with the {@code *Async} methods.
 */
final class TcpTransport implements Transport {
    private static final Logger log = LoggerFactory.getLogger(TcpTransport.class);
    /** Flush at least once every this many writes even while more are queued. */
    private static final int FLUSH_AFTER_WRITES = 64;

    private final String nodeId;
    private final TcpConfig config;
    private final Optional<TlsContexts> tls;
    private final boolean epoll;
    private final EventLoopGroup group;
    private final Timer timer;
    private final Bootstrap clientBootstrap;
    private final Map<Endpoint, PeerConnections> peers = new ConcurrentHashMap<>();
    private final Set<Channel> serverConnections = ConcurrentHashMap.newKeySet();
    private final InFlight inFlight = new InFlight();
    private final Optional<RoleSecrets> secrets;
    private final ConnectionLimits connectionLimits;
    private final RefusalLog refusals;
    /** Partial frames of the connections this node accepted, together. */
    private final BufferBudget serverBuffers;
    /** Partial frames of the connections this node opened, together (unbounded; counted for symmetry). */
    private final BufferBudget clientBuffers;
    private final AtomicLong requestIds = new AtomicLong();
    private final AtomicLong acceptedConnections = new AtomicLong();
    private final AtomicBoolean bound = new AtomicBoolean();
    private final AtomicBoolean closed = new AtomicBoolean();
    private volatile Channel serverChannel;
    private final TcpMeters meters;

    TcpTransport(String nodeId, TcpConfig config) {
        this(nodeId, config, Metrics.NONE);
    }

    /** A transport recording its connections, traffic and refusals in {@code metrics} (the node's). */
    TcpTransport(String nodeId, TcpConfig config, Metrics metrics) {
        this.meters = new TcpMeters(requireNonNull(metrics, "metrics is null"));
        this.nodeId = requireNonNull(nodeId, "nodeId is null");
        this.config = requireNonNull(config, "config is null");
        this.tls = config.tls().enabled() ? Optional.of(TlsContexts.build(config.tls())) : Optional.empty();
        this.secrets = RoleSecrets.of(config);
        this.connectionLimits = new ConnectionLimits(config.limits().maxConnections(),
                config.limits().maxUnauthenticatedConnections());
        this.refusals = new RefusalLog(log, nodeId, RefusalLog.DEFAULT_PERIOD_NANOS);
        this.serverBuffers = new BufferBudget(config.limits().maxBufferedBytes());
        // what a node's own connections buffer answers its own requests: bounded by what it asks, not by strangers
        this.clientBuffers = new BufferBudget(Long.MAX_VALUE);
        this.epoll = config.nativeTransport() && Epoll.isAvailable();
        IoHandlerFactory io = epoll ? EpollIoHandler.newFactory() : NioIoHandler.newFactory();
        this.group = new MultiThreadIoEventLoopGroup(config.ioThreads(),
                new DefaultThreadFactory("dynamo-tcp-" + nodeId, true), io);
        this.timer = new HashedWheelTimer(new DefaultThreadFactory("dynamo-tcp-timer-" + nodeId, true),
                10, TimeUnit.MILLISECONDS, 512);
        this.clientBootstrap = new Bootstrap()
                .group(group)
                .channel(epoll ? EpollSocketChannel.class : NioSocketChannel.class)
                .option(ChannelOption.TCP_NODELAY, true)
                .option(ChannelOption.SO_KEEPALIVE, true)
                .option(ChannelOption.CONNECT_TIMEOUT_MILLIS, (int) Math.min(Integer.MAX_VALUE,
                        config.connectTimeout().toMillis()));
    }

    @Override
    public Endpoint bind(Endpoint local, RequestHandler handler) {
        requireNonNull(local, "local is null");
        requireNonNull(handler, "handler is null");
        if (closed.get()) {
            throw new IllegalStateException("tcp transport of " + nodeId + " is closed");
        }
        if (!bound.compareAndSet(false, true)) {
            throw new IllegalStateException("tcp transport of " + nodeId + " is already bound to " + serverChannel);
        }
        Class<? extends ServerChannel> channelType = epoll ? EpollServerSocketChannel.class : NioServerSocketChannel.class;
        TcpConfig.Limits limits = config.limits();
        ServerHandler.Settings settings = new ServerHandler.Settings(secrets, tls.isPresent(), config.maxFrameSize(),
                limits, inFlight, refusals, meters);
        boolean needsAuthentication = secrets.isPresent() || tls.isPresent();
        ServerBootstrap server = new ServerBootstrap()
                .group(group)
                .channel(channelType)
                .option(ChannelOption.SO_REUSEADDR, true)
                .option(ChannelOption.SO_BACKLOG, 1024)
                .childOption(ChannelOption.TCP_NODELAY, true)
                .childOption(ChannelOption.SO_KEEPALIVE, true)
                .childOption(ChannelOption.WRITE_BUFFER_WATER_MARK,
                        new WriteBufferWaterMark(limits.writeBufferLow(), limits.writeBufferHigh()))
                .childHandler(new ChannelInitializer<SocketChannel>() {
                    @Override
                    protected void initChannel(SocketChannel channel) {
                        ConnectionLimits.Admission admission = connectionLimits.admit(needsAuthentication);
                        if (admission.slot().isEmpty()) {
                            meters.connectionRefused();
                            refuse(channel, admission.refusal());
                            return;
                        }
                        ConnectionLimits.Slot slot = admission.slot().get();
                        acceptedConnections.incrementAndGet();
                        serverConnections.add(channel);
                        channel.closeFuture().addListener(f -> {
                            serverConnections.remove(channel);
                            slot.closed();
                        });
                        ChannelPipeline pipeline = channel.pipeline();
                        pipeline.addLast("meters", meters.inbound());
                        tls.ifPresent(t -> {
                            pipeline.addLast("plaintext", new PlaintextDetector(TcpTransport::refusePlaintextClient));
                            SslHandler ssl = t.server().newHandler(channel.alloc());
                            ssl.setHandshakeTimeoutMillis(limits.handshakeTimeout().toMillis());
                            pipeline.addLast("tls", ssl);
                        });
                        pipeline.addLast("flush", new FlushConsolidationHandler(FLUSH_AFTER_WRITES, true));
                        if (config.idleTimeoutEnabled()) {
                            pipeline.addLast("idle", new IdleStateHandler(
                                    config.idleTimeout().toMillis(), 0, 0, TimeUnit.MILLISECONDS));
                        }
                        pipeline.addLast("frames", new FrameDecoder(config.maxFrameSize(), serverBuffers));
                        pipeline.addLast("server", new ServerHandler(handler, settings, slot));
                    }
                });
        tls.ifPresent(TlsContexts::server); // fails now, not per connection, without key material
        InetSocketAddress address = new InetSocketAddress(local.host(), local.port());
        ChannelFuture binding = server.bind(address).awaitUninterruptibly();
        if (!binding.isSuccess()) {
            bound.set(false);
            throw new TransportException("cannot bind the tcp transport of " + nodeId + " to " + local + ": "
                    + binding.cause().getMessage(), binding.cause());
        }
        serverChannel = binding.channel();
        InetSocketAddress actual = (InetSocketAddress) serverChannel.localAddress();
        Endpoint endpoint = Endpoint.of(local.host(), actual.getPort());
        log.info("tcp transport of {} listening on {} ({}, TLS {}, secrets {}; callers {})", nodeId, endpoint,
                epoll ? "epoll" : "nio", tls.isPresent() ? "on" : "off",
                secrets.map(RoleSecrets::roles).orElse("off"),
                authenticates() ? "authenticated" : "NOT authenticated: every caller is trusted as a peer");
        return endpoint;
    }

    /**
     * Whether callers prove who they are: with a secret ({@code tcp.secret}, the role then comes
     * from the secret proven), or with a TLS client certificate the server requires (a peer).
     */
    @Override
    public boolean authenticates() {
        return config.secret().isPresent()
                || (config.tls().enabled() && config.tls().clientAuth() == TlsConfig.ClientAuthMode.REQUIRE);
    }

    /** Closes a connection over a limit at once: an error frame when that costs nothing (no TLS), one rate-limited line. */
    private void refuse(Channel channel, String reason) {
        refusals.refused(channel.remoteAddress(), reason);
        if (tls.isPresent()) {
            channel.close();
        } else {
            channel.writeAndFlush(Unpooled.wrappedBuffer(Frames.encodeToArray(FrameType.ERROR, 0, Frames.utf8(reason))))
                    .addListener(ChannelFutureListener.CLOSE);
        }
    }

    /** A plaintext client dialled this TLS server: tell it so, in plaintext it can read. */
    private static void refusePlaintextClient(ChannelHandlerContext ctx) {
        log.warn("closing connection from {}: it speaks plaintext, this node speaks TLS (tcp.tls.enabled=true)",
                ctx.channel().remoteAddress());
        if (ctx.pipeline().get(SslHandler.class) != null) {
            ctx.pipeline().remove(SslHandler.class); // or it would send TLS alerts after our plaintext answer
        }
        ctx.writeAndFlush(Frames.error(ctx.alloc(), 0, "this node speaks TLS; set tcp.tls.enabled=true"))
                .addListener(ChannelFutureListener.CLOSE);
    }

    @Override
    public CompletableFuture<byte[]> request(Endpoint peer, byte[] payload, Duration timeout) {
        requireNonNull(peer, "peer is null");
        requireNonNull(payload, "payload is null");
        requireNonNull(timeout, "timeout is null");
        if (closed.get()) {
            return CompletableFuture.failedFuture(new TransportException("tcp transport of " + nodeId + " is closed"));
        }
        if (payload.length > config.maxFrameSize()) {
            return CompletableFuture.failedFuture(new TransportException("request of " + payload.length
                    + " bytes exceeds the maximum frame size of " + config.maxFrameSize() + " (tcp.max-frame-size)"));
        }
        PendingRequest request = new PendingRequest(requestIds.incrementAndGet(), peer);
        long timeoutMillis = Math.max(1, timeout.toMillis());
        request.timeout(timer.newTimeout(t -> request.expire(timeoutMillis), timeoutMillis, TimeUnit.MILLISECONDS));
        CompletableFuture<ClientConnection> connection;
        try {
            PeerConnections known = peers.get(peer); // no lambda per request once the peer is known
            connection = (known != null ? known : peers.computeIfAbsent(peer, this::newPeer)).acquire();
        } catch (RuntimeException e) {
            request.fail(new TransportException("cannot reach " + peer + ": " + e.getMessage(), e));
            return request.future;
        }
        if (connection.isDone() && !connection.isCompletedExceptionally()) {
            connection.join().send(request, payload);
        } else {
            connection.whenComplete((open, failure) -> {
                if (failure != null) {
                    request.fail(asTransportException(peer, failure));
                } else {
                    open.send(request, payload);
                }
            });
        }
        return request.future;
    }

    private PeerConnections newPeer(Endpoint peer) {
        peer.host();
        peer.port(); // an address that is not host:port fails here, with a clear message
        return new PeerConnections(peer, config.connectionsPerPeer(), config.reconnectBackoff(),
                config.reconnectBackoffMax(), this::connect);
    }

    /** Opens one connection to {@code peer}; completes once its handshake succeeded. */
    private CompletableFuture<ClientConnection> connect(Endpoint peer) {
        ClientConnection connection = new ClientConnection(peer, config.secret());
        Bootstrap bootstrap = clientBootstrap.clone().handler(new ChannelInitializer<SocketChannel>() {
            @Override
            protected void initChannel(SocketChannel channel) {
                ChannelPipeline pipeline = channel.pipeline();
                pipeline.addLast("meters", meters.outbound());
                tls.ifPresent(t -> {
                    pipeline.addLast("plaintext", new PlaintextDetector(ctx -> connection.failOpening(
                            new TransportException("peer " + peer + " does not speak TLS (it answered in plaintext);"
                                    + " set tcp.tls.enabled=false to match it, or turn TLS on there"), channel)));
                    pipeline.addLast("tls", t.client().newHandler(channel.alloc(), peer.host(), peer.port()));
                });
                pipeline.addLast("flush", new FlushConsolidationHandler(FLUSH_AFTER_WRITES, true));
                pipeline.addLast("frames", new FrameDecoder(config.maxFrameSize(), clientBuffers));
                if (tls.isEmpty()) {
                    pipeline.addLast("preamble", new PlaintextPreamble());
                }
                pipeline.addLast("client", connection);
            }
        });
        ChannelFuture connecting = bootstrap.connect(peer.host(), peer.port());
        Channel channel = connecting.channel();
        if (config.idleTimeoutEnabled()) {
            // Ping every third of the idle timeout, busy or not, so the server never closes a
            // pooled connection as idle. A fixed-rate task costs nothing per request, where
            // Netty's IdleStateHandler would add a promise and a listener to every write.
            long every = Math.max(1, config.idleTimeout().toMillis() / 3);
            var pinging = channel.eventLoop().scheduleAtFixedRate(connection::ping, every, every, TimeUnit.MILLISECONDS);
            channel.closeFuture().addListener(f -> pinging.cancel(false));
        }
        connecting.addListener(f -> {
            if (!f.isSuccess()) {
                connection.failOpening(new TransportException("cannot connect to " + peer + ": "
                        + f.cause().getMessage(), f.cause()), channel);
            }
        });
        long handshakeMillis = config.connectTimeout().toMillis();
        channel.eventLoop().schedule(() -> {
            if (!connection.ready().isDone()) {
                connection.failOpening(new TransportException("no handshake from " + peer + " within "
                        + handshakeMillis + " ms (tcp.connect-timeout)"), channel);
            }
        }, handshakeMillis, TimeUnit.MILLISECONDS);
        return connection.ready();
    }

    @Override
    public void close() {
        if (!closed.compareAndSet(false, true)) {
            return;
        }
        long deadline = System.nanoTime() + config.shutdownGrace().toNanos();
        Channel server = serverChannel;
        if (server != null) {
            server.close().awaitUninterruptibly(); // stop accepting connections
        }
        inFlight.startDraining(); // refuse new requests on open connections
        boolean onIoThread = isIoThread(); // waiting there would block the very threads that drain
        if (!onIoThread) {
            boolean drained = InFlight.awaitUntil(() -> inFlight.count() == 0 && clientPending() == 0, deadline);
            if (!drained) {
                log.warn("tcp transport of {} closing with {} request(s) served and {} sent still in flight after {} ms",
                        nodeId, inFlight.count(), clientPending(), config.shutdownGrace().toMillis());
            }
        }
        TransportException closing = new TransportException("tcp transport of " + nodeId + " closed");
        peers.values().forEach(p -> p.closeAll(closing));
        serverConnections.forEach(Channel::close);
        timer.stop();
        var shutdown = group.shutdownGracefully(0, 2, TimeUnit.SECONDS);
        if (!onIoThread) {
            shutdown.awaitUninterruptibly(5, TimeUnit.SECONDS);
        }
        log.info("tcp transport of {} closed", nodeId);
    }

    private boolean isIoThread() {
        for (EventExecutor loop : group) {
            if (loop.inEventLoop()) {
                return true;
            }
        }
        return false;
    }

    /** Connections this node's server accepted since it was bound (for tests and metrics). */
    long acceptedConnections() {
        return acceptedConnections.get();
    }

    /** Requests this node's server admitted and has not answered yet (for tests). */
    int servedInFlight() {
        return inFlight.count();
    }

    /** Connections refused at accept or closed for a resource limit, and the log lines that said so (for tests). */
    RefusalLog refusals() {
        return refusals;
    }

    /** The server's connection counts (for tests). */
    ConnectionLimits connectionLimits() {
        return connectionLimits;
    }

    /** Bytes reserved now for partial frames on this node's server connections (for tests). */
    long bufferedBytes() {
        return serverBuffers.used();
    }

    /** Requests sent and not yet answered, failed or timed out. */
    int clientPending() {
        int pending = 0;
        for (PeerConnections peer : peers.values()) {
            for (ClientConnection connection : peer.openConnections()) {
                pending += connection.pendingCount();
            }
        }
        return pending;
    }

    private static TransportException asTransportException(Endpoint peer, Throwable failure) {
        Throwable cause = failure instanceof CompletionException && failure.getCause() != null
                ? failure.getCause()
                : failure;
        return cause instanceof TransportException te
                ? te
                : new TransportException("cannot reach " + peer + ": " + cause.getMessage(), cause);
    }

    @Override
    public String toString() {
        Channel server = serverChannel;
        return "TcpTransport[" + nodeId + (server == null ? "" : " on " + server.localAddress()) + "]";
    }
}
