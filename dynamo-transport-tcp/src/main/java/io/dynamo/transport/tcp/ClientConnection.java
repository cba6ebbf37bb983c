package io.dynamo.transport.tcp;

import io.dynamo.spi.transport.Endpoint;
import io.dynamo.spi.transport.TransportException;
import io.netty.buffer.ByteBuf;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.handler.codec.DecoderException;
import java.io.IOException;
import java.util.Arrays;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The client end of one connection to a peer: runs the opening handshake, then carries any
 * number of requests at once and matches each response to its request by id, in whatever
 * order the peer answers. When the connection closes, every request still waiting on it fails.
 */
final class ClientConnection extends ChannelInboundHandlerAdapter {
    private static final Logger log = LoggerFactory.getLogger(ClientConnection.class);

    private final Endpoint peer;
    private final Optional<ClusterSecret> secret;
    private final CompletableFuture<ClientConnection> ready = new CompletableFuture<>();
    private final Map<Long, PendingRequest> pending = new ConcurrentHashMap<>();
    private volatile Channel channel;
    private volatile boolean closed;
    private volatile String closeReason;
    private byte[] serverNonce;
    private byte[] clientNonce;

    ClientConnection(Endpoint peer, Optional<ClusterSecret> secret) {
        this.peer = peer;
        this.secret = secret;
    }

    /** Completes when the handshake succeeded; fails when the connection could not be opened. */
    CompletableFuture<ClientConnection> ready() {
        return ready;
    }

    Endpoint peer() {
        return peer;
    }

    boolean isOpen() {
        Channel c = channel;
        return !closed && c != null && c.isActive();
    }

    int pendingCount() {
        return pending.size();
    }

    /** Fails the opening of this connection (connect error or handshake timeout) and closes it. */
    void failOpening(TransportException cause, Channel openingChannel) {
        closeReason = cause.getMessage();
        ready.completeExceptionally(cause);
        openingChannel.close();
    }

    /** Writes {@code payload} as request {@code request.id}; the response completes {@code request}. */
    void send(PendingRequest request, byte[] payload) {
        Channel c = channel;
        request.sentOn(this);
        pending.put(request.id, request);
        if (closed) {
            // the close handler may have drained the map before our put
            forget(request.id);
            request.fail(closedException());
            return;
        }
        if (request.future.isDone()) {
            // timed out before it could be registered
            forget(request.id);
            return;
        }
        ByteBuf frame = Frames.encode(c.alloc(), FrameType.REQUEST, request.id, payload);
        c.writeAndFlush(frame, c.voidPromise());
    }

    /** Sends a PING once the connection is ready, so that the server sees it is alive. */
    void ping() {
        Channel c = channel;
        if (c != null && c.isActive() && ready.isDone() && !ready.isCompletedExceptionally()) {
            c.writeAndFlush(Frames.encode(c.alloc(), FrameType.PING, 0, new byte[0]), c.voidPromise());
        }
    }

    void forget(long requestId) {
        pending.remove(requestId);
    }

    void close() {
        Channel c = channel;
        if (c != null) {
            c.close();
        }
    }

    @Override
    public void channelActive(ChannelHandlerContext ctx) throws Exception {
        channel = ctx.channel();
        super.channelActive(ctx);
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        Frame frame = (Frame) msg;
        switch (frame.type()) {
            case RESPONSE -> {
                PendingRequest request = pending.remove(frame.requestId());
                if (request != null) {
                    request.complete(frame.payload());
                } else {
                    log.debug("late response from {} to request {} (timed out)", peer, frame.requestId());
                }
            }
            case ERROR -> onError(ctx, frame);
            case HELLO -> onHello(ctx, frame.payload());
            case AUTH_OK -> onAuthOk(ctx, frame.payload());
            default -> throw new ProtocolException("unexpected " + frame.type() + " frame from a server");
        }
    }

    private void onError(ChannelHandlerContext ctx, Frame frame) {
        String message = Frames.text(frame.payload());
        if (frame.requestId() == 0) {
            closeReason = message;
            log.warn("peer {} closed the connection: {}", peer, message);
            ready.completeExceptionally(new TransportException("peer " + peer + " refused the connection: " + message));
            ctx.close();
            return;
        }
        PendingRequest request = pending.remove(frame.requestId());
        if (request != null) {
            request.fail(new TransportException("peer " + peer + " failed the request: " + message));
        }
    }

    private void onHello(ChannelHandlerContext ctx, byte[] hello) {
        if (ready.isDone() || serverNonce != null || hello.length < 1) {
            throw new ProtocolException("unexpected HELLO frame");
        }
        boolean secretRequired = (hello[0] & Handshake.FLAG_SECRET_REQUIRED) != 0;
        if (secretRequired && secret.isEmpty()) {
            refuse(ctx, "peer " + peer + " requires a cluster secret; set tcp.secret or tcp.secret-file");
        } else if (!secretRequired && secret.isPresent()) {
            refuse(ctx, "peer " + peer + " does not prove the cluster secret; refusing to use it");
        } else if (!secretRequired) {
            ready.complete(this);
        } else {
            if (hello.length != 1 + ClusterSecret.NONCE_SIZE) {
                throw new ProtocolException("HELLO frame of " + hello.length + " bytes");
            }
            serverNonce = Arrays.copyOfRange(hello, 1, hello.length);
            clientNonce = secret.get().newNonce();
            byte[] auth = new byte[ClusterSecret.NONCE_SIZE + ClusterSecret.PROOF_SIZE];
            System.arraycopy(clientNonce, 0, auth, 0, ClusterSecret.NONCE_SIZE);
            System.arraycopy(secret.get().clientProof(serverNonce, clientNonce), 0, auth,
                    ClusterSecret.NONCE_SIZE, ClusterSecret.PROOF_SIZE);
            ctx.writeAndFlush(Frames.encode(ctx.alloc(), FrameType.AUTH, 0, auth));
        }
    }

    private void onAuthOk(ChannelHandlerContext ctx, byte[] proof) {
        if (ready.isDone() || clientNonce == null) {
            throw new ProtocolException("unexpected AUTH_OK frame");
        }
        if (!ClusterSecret.matches(secret.get().serverProof(serverNonce, clientNonce), proof)) {
            refuse(ctx, "peer " + peer + " failed to prove the cluster secret");
            return;
        }
        ready.complete(this);
    }

    private void refuse(ChannelHandlerContext ctx, String message) {
        log.warn("refusing connection to {}: {}", peer, message);
        closeReason = message;
        ready.completeExceptionally(new TransportException(message));
        ctx.close();
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
        Throwable root = cause instanceof DecoderException && cause.getCause() != null ? cause.getCause() : cause;
        if (root instanceof IOException) {
            log.debug("connection to {} failed: {}", peer, root.toString());
        } else {
            log.warn("closing connection to {}: {}", peer, root.toString());
        }
        closeReason = root.getMessage() == null ? root.getClass().getName() : root.getMessage();
        ctx.close();
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) throws Exception {
        closed = true;
        TransportException cause = closedException();
        ready.completeExceptionally(cause);
        for (Long id : pending.keySet()) {
            PendingRequest request = pending.remove(id);
            if (request != null) {
                request.fail(cause);
            }
        }
        log.debug("connection to {} closed", peer);
        super.channelInactive(ctx);
    }

    private TransportException closedException() {
        String reason = closeReason;
        return new TransportException("connection to " + peer + " closed" + (reason == null ? "" : ": " + reason));
    }
}
