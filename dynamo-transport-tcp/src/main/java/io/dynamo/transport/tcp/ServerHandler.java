package io.dynamo.transport.tcp;

import io.dynamo.spi.transport.RequestHandler;
import io.dynamo.spi.transport.Role;
import io.netty.buffer.ByteBuf;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.ChannelOutboundBuffer;
import io.netty.handler.codec.DecoderException;
import io.netty.handler.ssl.SslHandshakeCompletionEvent;
import io.netty.handler.timeout.IdleStateEvent;
import io.netty.util.concurrent.ScheduledFuture;
import java.io.IOException;
import java.util.ArrayDeque;
import java.util.Arrays;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The server end of one connection: greets the client (with a challenge when secrets are set),
 * decides the caller's {@link Role} from the secret it proves, hands each request to the core's
 * handler with that role and writes the response when its future completes. Anything that
 * breaks the protocol closes this connection only, after an error frame that says why.
 *
 * <p>Back-pressure: while the connection's write buffer is above its high water mark (the client
 * is not reading its answers fast enough) or {@code tcp.max-requests-per-connection} requests
 * are in flight on it, the server stops reading from it; requests already decoded wait here
 * and are handled when answers drain. All state is confined to the connection's event loop.
 */
final class ServerHandler extends ChannelInboundHandlerAdapter {
    private static final Logger log = LoggerFactory.getLogger(ServerHandler.class);
    /** How long an error frame may take to leave before the connection is closed regardless. */
    private static final long CLOSE_AFTER_ERROR_MILLIS = 1_000;

    /** What a server connection needs besides the handler; the same for every connection of a server. */
    record Settings(
            Optional<RoleSecrets> secrets,
            boolean tls,
            int maxFrameSize,
            TcpConfig.Limits limits,
            InFlight inFlight,
            RefusalLog refusals,
            TcpMeters meters) {}

    private final RequestHandler handler;
    private final Settings settings;
    private final ConnectionLimits.Slot slot;
    private final ArrayDeque<Frame> waiting = new ArrayDeque<>();
    private final ChannelFutureListener responseWritten = future -> responseWritten();
    private ChannelHandlerContext ctx;
    private byte[] serverNonce;
    /** The caller's role once it proved a secret (at once when none is required); null before. */
    private Role role;
    private boolean tlsPending;
    private ScheduledFuture<?> handshakeDeadline;
    /** Requests admitted here whose response is not written out yet. */
    private int inFlightHere;
    /** Of those, the ones whose handler has not answered yet. */
    private int awaitingHandler;
    /** The connection closed: requests still awaiting the handler were released from the count. */
    private boolean dead;
    /** Set once this connection is being closed for cause; later frames are ignored. */
    private boolean rejected;

    ServerHandler(RequestHandler handler, Settings settings, ConnectionLimits.Slot slot) {
        this.handler = handler;
        this.settings = settings;
        this.slot = slot;
    }

    @Override
    public void channelActive(ChannelHandlerContext ctx) {
        this.ctx = ctx;
        tlsPending = settings.tls();
        byte[] hello;
        if (settings.secrets().isPresent()) {
            serverNonce = settings.secrets().get().any().newNonce();
            hello = new byte[1 + serverNonce.length];
            hello[0] = Handshake.FLAG_SECRET_REQUIRED;
            System.arraycopy(serverNonce, 0, hello, 1, serverNonce.length);
        } else {
            role = Role.PEER; // no secret: whoever reaches the port (and passes TLS) is trusted as a peer
            hello = new byte[] {0};
        }
        ctx.writeAndFlush(Frames.encode(ctx.alloc(), FrameType.HELLO, 0, hello));
        if (!checkAuthenticated()) {
            long millis = settings.limits().handshakeTimeout().toMillis();
            handshakeDeadline = ctx.executor().schedule(() -> {
                if (!rejected && ctx.channel().isActive()) {
                    log.debug("closing connection from {}: no authentication within {} ms", ctx.channel().remoteAddress(),
                            millis);
                    settings.meters().handshakeFailed();
                    closeWithError(ctx, "no authentication within " + millis + " ms (tcp.handshake-timeout)");
                }
            }, millis, TimeUnit.MILLISECONDS);
        }
        log.debug("accepted connection from {}", ctx.channel().remoteAddress());
        ctx.fireChannelActive();
    }

    /** Whether the connection is fully authenticated (TLS done, secret proven); frees its slot when it is. */
    private boolean checkAuthenticated() {
        if (role == null || tlsPending) {
            return false;
        }
        slot.authenticated();
        if (handshakeDeadline != null) {
            handshakeDeadline.cancel(false);
            handshakeDeadline = null;
        }
        return true;
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        Frame frame = (Frame) msg;
        if (rejected) {
            return;
        }
        if (role == null && frame.type() != FrameType.AUTH) {
            // with a secret required nothing but AUTH comes first, not even a PING
            throw new ProtocolException(frame.type().name().toLowerCase() + " before authentication");
        }
        switch (frame.type()) {
            case REQUEST -> {
                if (!waiting.isEmpty() || mustPause()) {
                    waiting.add(frame);
                    pause();
                } else {
                    handleRequest(frame.requestId(), frame.payload());
                }
            }
            case AUTH -> authenticate(ctx, frame.payload());
            case PING -> {
                // its arrival has already reset the idle timer
            }
            default -> throw new ProtocolException("unexpected " + frame.type() + " frame from a client");
        }
    }

    private boolean mustPause() {
        return inFlightHere >= settings.limits().maxRequestsPerConnection() || !ctx.channel().isWritable();
    }

    private void pause() {
        if (ctx.channel().config().isAutoRead()) {
            ctx.channel().config().setAutoRead(false);
        }
    }

    /** Handles the requests that waited while there is room, then reads again once none wait. */
    private void resume() {
        while (!waiting.isEmpty() && !rejected && !dead && !mustPause()) {
            Frame next = waiting.poll();
            handleRequest(next.requestId(), next.payload());
        }
        if (waiting.isEmpty() && !rejected && !dead && !mustPause() && !ctx.channel().config().isAutoRead()) {
            ctx.channel().config().setAutoRead(true);
        }
    }

    @Override
    public void channelWritabilityChanged(ChannelHandlerContext ctx) throws Exception {
        if (ctx.channel().isWritable()) {
            resume();
        }
        super.channelWritabilityChanged(ctx);
    }

    private void handleRequest(long requestId, byte[] payload) {
        Channel channel = ctx.channel();
        if (!settings.inFlight().tryEnter()) {
            channel.writeAndFlush(Frames.error(channel.alloc(), requestId, "node is shutting down"));
            return;
        }
        inFlightHere++;
        awaitingHandler++;
        CompletableFuture<byte[]> response;
        try {
            response = handler.handle(role, payload);
            if (response == null) {
                throw new IllegalStateException("request handler returned no future");
            }
        } catch (RuntimeException e) {
            respond(requestId, null, e);
            return;
        }
        if (response.isDone() && !response.isCompletedExceptionally()) {
            respond(requestId, response.join(), null); // the common, synchronous case: no callback
        } else {
            response.whenComplete((bytes, failure) -> respondOnLoop(requestId, bytes, failure));
        }
    }

    private void respondOnLoop(long requestId, byte[] response, Throwable failure) {
        if (ctx.executor().inEventLoop()) {
            respond(requestId, response, failure);
            return;
        }
        try {
            ctx.executor().execute(() -> respond(requestId, response, failure));
        } catch (RejectedExecutionException e) {
            // the transport is closed and its event loops are gone: nothing waits for the count any more
            log.debug("dropped the response to request {}: the transport is closed", requestId);
        }
    }

    /** On the event loop: writes the answer to one request; the request leaves the count once it is written. */
    private void respond(long requestId, byte[] response, Throwable failure) {
        if (dead) {
            return; // released when the connection closed
        }
        awaitingHandler--;
        Channel channel = ctx.channel();
        if (!channel.isActive()) {
            requestDone();
            log.debug("dropped the response to request {}: connection from {} is closed",
                    requestId, channel.remoteAddress());
            return;
        }
        ByteBuf frame;
        try {
            frame = responseFrame(channel, requestId, response, failure);
        } catch (Throwable t) { // e.g. out of direct memory: this request must still leave the count
            requestDone();
            log.warn("cannot answer request {} from {}; closing the connection", requestId, channel.remoteAddress(), t);
            closeWithError(ctx, "internal error");
            return;
        }
        channel.writeAndFlush(frame).addListener(responseWritten);
        if (!channel.isWritable()) {
            checkUnread(channel);
        }
    }

    private ByteBuf responseFrame(Channel channel, long requestId, byte[] response, Throwable failure) {
        if (failure != null) {
            Throwable cause = failure instanceof CompletionException && failure.getCause() != null
                    ? failure.getCause()
                    : failure;
            log.warn("request handler failed a request from {}", channel.remoteAddress(), cause);
            return Frames.error(channel.alloc(), requestId, describe(cause));
        } else if (response == null) {
            return Frames.error(channel.alloc(), requestId, "request handler completed with null");
        } else if (response.length > settings.maxFrameSize()) {
            return Frames.error(channel.alloc(), requestId, "response of " + response.length
                    + " bytes exceeds the maximum frame size of " + settings.maxFrameSize() + " (tcp.max-frame-size)");
        }
        return Frames.encode(channel.alloc(), FrameType.RESPONSE, requestId, response);
    }

    /** A client that lets more answers pile up than {@code tcp.max-unread-bytes} is cut off. */
    private void checkUnread(Channel channel) {
        ChannelOutboundBuffer outbound = channel.unsafe().outboundBuffer();
        long unread = outbound == null ? 0 : outbound.totalPendingWriteBytes();
        if (unread > settings.limits().maxUnreadBytes() && !rejected) {
            rejected = true;
            settings.refusals().refused(channel.remoteAddress(), unread + " bytes of answers unread, more than "
                    + settings.limits().maxUnreadBytes() + " (tcp.max-unread-bytes)");
            channel.close(); // an error frame would queue behind what it does not read
        }
    }

    private void responseWritten() {
        requestDone();
        if (!waiting.isEmpty() || !ctx.channel().config().isAutoRead()) {
            resume();
        }
    }

    private void requestDone() {
        inFlightHere--;
        settings.inFlight().exit();
    }

    private void authenticate(ChannelHandlerContext ctx, byte[] payload) {
        if (settings.secrets().isEmpty() || role != null) {
            throw new ProtocolException("unexpected AUTH frame");
        }
        if (payload.length != ClusterSecret.NONCE_SIZE + ClusterSecret.PROOF_SIZE) {
            throw new ProtocolException("AUTH frame of " + payload.length + " bytes, expected "
                    + (ClusterSecret.NONCE_SIZE + ClusterSecret.PROOF_SIZE));
        }
        byte[] clientNonce = Arrays.copyOfRange(payload, 0, ClusterSecret.NONCE_SIZE);
        byte[] proof = Arrays.copyOfRange(payload, ClusterSecret.NONCE_SIZE, payload.length);
        RoleSecrets secrets = settings.secrets().get();
        Optional<Role> proven = secrets.roleOf(serverNonce, clientNonce, proof);
        if (proven.isEmpty()) {
            // rate-limited: guessing secrets must not flood the log either
            settings.refusals().refused(ctx.channel().remoteAddress(),
                    "wrong secret (none of tcp.secret, tcp.client-secret, tcp.admin-secret)");
            settings.meters().handshakeFailed();
            closeWithError(ctx, "authentication failed: wrong cluster secret");
            return;
        }
        role = proven.get();
        ctx.writeAndFlush(Frames.encode(ctx.alloc(), FrameType.AUTH_OK, 0,
                secrets.serverProof(role, serverNonce, clientNonce)));
        checkAuthenticated();
        log.debug("authenticated connection from {} as {}", ctx.channel().remoteAddress(), role);
    }

    @Override
    public void userEventTriggered(ChannelHandlerContext ctx, Object event) throws Exception {
        if (event instanceof IdleStateEvent) {
            log.debug("closing connection from {}: idle longer than tcp.idle-timeout", ctx.channel().remoteAddress());
            closeWithError(ctx, "idle timeout");
            return;
        }
        if (event instanceof SslHandshakeCompletionEvent handshake && handshake.isSuccess()) {
            tlsPending = false;
            checkAuthenticated();
        }
        super.userEventTriggered(ctx, event);
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
        Throwable root = cause instanceof DecoderException && cause.getCause() != null ? cause.getCause() : cause;
        if (root instanceof LimitExceededException) {
            settings.refusals().refused(ctx.channel().remoteAddress(), root.getMessage());
            settings.meters().frameRejected();
            closeWithError(ctx, root.getMessage());
        } else if (root instanceof ProtocolException) {
            log.warn("closing connection from {}: {}", ctx.channel().remoteAddress(), root.getMessage());
            settings.meters().frameRejected();
            closeWithError(ctx, "protocol error: " + root.getMessage());
        } else if (root instanceof IOException) {
            log.debug("connection from {} failed: {}", ctx.channel().remoteAddress(), root.toString());
            ctx.close();
        } else if (tlsPending) {
            // the TLS handshake failed (no or untrusted client certificate, not TLS at all): one line
            log.warn("closing connection from {}: TLS handshake failed: {}", ctx.channel().remoteAddress(),
                    root.getMessage());
            settings.meters().handshakeFailed();
            ctx.close();
        } else {
            log.warn("closing connection from {} after an unexpected error", ctx.channel().remoteAddress(), root);
            closeWithError(ctx, "internal error");
        }
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) throws Exception {
        dead = true;
        // requests whose handler has not answered leave the count now, so close() need not wait for them
        for (; awaitingHandler > 0; awaitingHandler--) {
            inFlightHere--;
            settings.inFlight().exit();
        }
        waiting.clear();
        slot.closed();
        if (handshakeDeadline != null) {
            handshakeDeadline.cancel(false);
        }
        log.debug("connection from {} closed", ctx.channel().remoteAddress());
        super.channelInactive(ctx);
    }

    private void closeWithError(ChannelHandlerContext ctx, String message) {
        rejected = true;
        waiting.clear();
        Channel channel = ctx.channel();
        channel.config().setAutoRead(false);
        if (channel.isActive() && !tlsPending && channel.isWritable()) {
            ctx.writeAndFlush(Frames.error(ctx.alloc(), 0, message)).addListener(ChannelFutureListener.CLOSE);
            // a client that does not read must not keep the connection open by never taking the error
            ctx.executor().schedule(() -> channel.close(), CLOSE_AFTER_ERROR_MILLIS, TimeUnit.MILLISECONDS);
        } else {
            ctx.close();
        }
    }

    static String describe(Throwable cause) {
        String message = cause.getMessage();
        return message == null || message.isBlank() ? cause.getClass().getName() : message;
    }
}
