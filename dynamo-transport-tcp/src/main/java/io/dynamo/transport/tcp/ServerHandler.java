package io.dynamo.transport.tcp;

import io.dynamo.spi.transport.RequestHandler;
import io.netty.buffer.ByteBuf;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.handler.codec.DecoderException;
import io.netty.handler.timeout.IdleStateEvent;
import java.io.IOException;
import java.util.Arrays;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The server end of one connection: greets the client (with a challenge when a cluster secret
 * is set), hands each request to the core's handler and writes the response when its future
 * completes. Anything that breaks the protocol closes this connection only, after an error
 * frame that says why.
 */
final class ServerHandler extends ChannelInboundHandlerAdapter {
    private static final Logger log = LoggerFactory.getLogger(ServerHandler.class);

    private final RequestHandler handler;
    private final Optional<ClusterSecret> secret;
    private final int maxFrameSize;
    private final InFlight inFlight;
    private final ChannelFutureListener requestDone;
    private byte[] serverNonce;
    private boolean authenticated;
    /** Set once this connection is being closed for cause; later frames are ignored. */
    private boolean rejected;

    ServerHandler(RequestHandler handler, Optional<ClusterSecret> secret, int maxFrameSize, InFlight inFlight) {
        this.handler = handler;
        this.secret = secret;
        this.maxFrameSize = maxFrameSize;
        this.inFlight = inFlight;
        this.requestDone = future -> inFlight.exit();
    }

    @Override
    public void channelActive(ChannelHandlerContext ctx) {
        byte[] hello;
        if (secret.isPresent()) {
            serverNonce = secret.get().newNonce();
            hello = new byte[1 + serverNonce.length];
            hello[0] = Handshake.FLAG_SECRET_REQUIRED;
            System.arraycopy(serverNonce, 0, hello, 1, serverNonce.length);
        } else {
            authenticated = true;
            hello = new byte[] {0};
        }
        ctx.writeAndFlush(Frames.encode(ctx.alloc(), FrameType.HELLO, 0, hello));
        log.debug("accepted connection from {}", ctx.channel().remoteAddress());
        ctx.fireChannelActive();
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        Frame frame = (Frame) msg;
        if (rejected) {
            return;
        }
        switch (frame.type()) {
            case REQUEST -> {
                if (!authenticated) {
                    throw new ProtocolException("request before authentication");
                }
                handleRequest(ctx.channel(), frame.requestId(), frame.payload());
            }
            case AUTH -> authenticate(ctx, frame.payload());
            case PING -> {
                // its arrival has already reset the idle timer
            }
            default -> throw new ProtocolException("unexpected " + frame.type() + " frame from a client");
        }
    }

    private void handleRequest(Channel channel, long requestId, byte[] payload) {
        if (!inFlight.tryEnter()) {
            channel.writeAndFlush(Frames.error(channel.alloc(), requestId, "node is shutting down"));
            return;
        }
        CompletableFuture<byte[]> response;
        try {
            response = handler.handle(payload);
            if (response == null) {
                throw new IllegalStateException("request handler returned no future");
            }
        } catch (RuntimeException e) {
            respond(channel, requestId, null, e);
            return;
        }
        if (response.isDone() && !response.isCompletedExceptionally()) {
            respond(channel, requestId, response.join(), null); // the common, synchronous case: no callback
        } else {
            response.whenComplete((bytes, failure) -> respond(channel, requestId, bytes, failure));
        }
    }

    private void respond(Channel channel, long requestId, byte[] response, Throwable failure) {
        if (!channel.isActive()) {
            inFlight.exit();
            log.debug("dropped the response to request {}: connection from {} is closed",
                    requestId, channel.remoteAddress());
            return;
        }
        ByteBuf frame;
        if (failure != null) {
            Throwable cause = failure instanceof CompletionException && failure.getCause() != null
                    ? failure.getCause()
                    : failure;
            log.warn("request handler failed a request from {}", channel.remoteAddress(), cause);
            frame = Frames.error(channel.alloc(), requestId, describe(cause));
        } else if (response == null) {
            frame = Frames.error(channel.alloc(), requestId, "request handler completed with null");
        } else if (response.length > maxFrameSize) {
            frame = Frames.error(channel.alloc(), requestId, "response of " + response.length
                    + " bytes exceeds the maximum frame size of " + maxFrameSize + " (tcp.max-frame-size)");
        } else {
            frame = Frames.encode(channel.alloc(), FrameType.RESPONSE, requestId, response);
        }
        channel.writeAndFlush(frame).addListener(requestDone);
    }

    private void authenticate(ChannelHandlerContext ctx, byte[] payload) {
        if (secret.isEmpty() || authenticated) {
            throw new ProtocolException("unexpected AUTH frame");
        }
        if (payload.length != ClusterSecret.NONCE_SIZE + ClusterSecret.PROOF_SIZE) {
            throw new ProtocolException("AUTH frame of " + payload.length + " bytes, expected "
                    + (ClusterSecret.NONCE_SIZE + ClusterSecret.PROOF_SIZE));
        }
        byte[] clientNonce = Arrays.copyOfRange(payload, 0, ClusterSecret.NONCE_SIZE);
        byte[] proof = Arrays.copyOfRange(payload, ClusterSecret.NONCE_SIZE, payload.length);
        if (!ClusterSecret.matches(secret.get().clientProof(serverNonce, clientNonce), proof)) {
            log.warn("refused connection from {}: wrong cluster secret (tcp.secret)", ctx.channel().remoteAddress());
            closeWithError(ctx, "authentication failed: wrong cluster secret");
            return;
        }
        authenticated = true;
        ctx.writeAndFlush(Frames.encode(ctx.alloc(), FrameType.AUTH_OK, 0,
                secret.get().serverProof(serverNonce, clientNonce)));
        log.debug("authenticated connection from {}", ctx.channel().remoteAddress());
    }

    @Override
    public void userEventTriggered(ChannelHandlerContext ctx, Object event) throws Exception {
        if (event instanceof IdleStateEvent) {
            log.debug("closing connection from {}: idle longer than tcp.idle-timeout", ctx.channel().remoteAddress());
            closeWithError(ctx, "idle timeout");
            return;
        }
        super.userEventTriggered(ctx, event);
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
        Throwable root = cause instanceof DecoderException && cause.getCause() != null ? cause.getCause() : cause;
        if (root instanceof ProtocolException) {
            log.warn("closing connection from {}: {}", ctx.channel().remoteAddress(), root.getMessage());
            closeWithError(ctx, "protocol error: " + root.getMessage());
        } else if (root instanceof IOException) {
            log.debug("connection from {} failed: {}", ctx.channel().remoteAddress(), root.toString());
            ctx.close();
        } else {
            log.warn("closing connection from {} after an unexpected error", ctx.channel().remoteAddress(), root);
            closeWithError(ctx, "internal error");
        }
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) throws Exception {
        log.debug("connection from {} closed", ctx.channel().remoteAddress());
        super.channelInactive(ctx);
    }

    private void closeWithError(ChannelHandlerContext ctx, String message) {
        rejected = true;
        ctx.channel().config().setAutoRead(false);
        if (ctx.channel().isActive()) {
            ctx.writeAndFlush(Frames.error(ctx.alloc(), 0, message)).addListener(ChannelFutureListener.CLOSE);
        } else {
            ctx.close();
        }
    }

    static String describe(Throwable cause) {
        String message = cause.getMessage();
        return message == null || message.isBlank() ? cause.getClass().getName() : message;
    }
}
