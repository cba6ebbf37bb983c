package io.dynamo.server;

import static java.util.Objects.requireNonNull;

import io.dynamo.core.messages.Message;
import io.dynamo.core.messages.MessageCodec;
import io.dynamo.spi.transport.Endpoint;
import io.dynamo.spi.transport.Transport;
import java.time.Duration;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/** Pings nodes over a client-side transport (one that never binds): up means it answered the ping. */
final class TransportProbe implements NodeProbe {
    private final Transport transport;
    private final String from;
    private final AutoCloseable onClose;

    TransportProbe(Transport transport, String from, AutoCloseable onClose) {
        this.transport = requireNonNull(transport, "transport is null");
        this.from = requireNonNull(from, "from is null");
        this.onClose = requireNonNull(onClose, "onClose is null");
    }

    @Override
    public boolean answers(Endpoint endpoint, Duration timeout) {
        try {
            byte[] response = transport.request(endpoint, MessageCodec.encode(new Message.Ping(from)), timeout)
                    .get(timeout.toMillis() + 500, TimeUnit.MILLISECONDS);
            return MessageCodec.decode(response) instanceof Message.Ack;
        } catch (ExecutionException | TimeoutException | RuntimeException e) {
            return false;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }

    @Override
    public java.util.Optional<io.dynamo.core.membership.GossipState> membership(Endpoint endpoint, Duration timeout) {
        try {
            byte[] response = transport.request(endpoint,
                    MessageCodec.encode(new Message.Gossip(io.dynamo.core.membership.GossipState.EMPTY)), timeout)
                    .get(timeout.toMillis() + 500, TimeUnit.MILLISECONDS);
            return MessageCodec.decode(response) instanceof Message.GossipAck ack
                    ? java.util.Optional.of(ack.state()) : java.util.Optional.empty();
        } catch (ExecutionException | TimeoutException | RuntimeException e) {
            return java.util.Optional.empty();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return java.util.Optional.empty();
        }
    }

    @Override
    public java.util.List<io.dynamo.core.plugin.PluginDescription> plugins(Endpoint endpoint, Duration timeout) {
        byte[] response;
        try {
            response = transport.request(endpoint, MessageCodec.encode(new Message.Plugins()), timeout)
                    .get(timeout.toMillis() + 500, TimeUnit.MILLISECONDS);
        } catch (ExecutionException e) {
            throw new io.dynamo.api.UnavailableException("node " + endpoint + " did not answer: "
                    + (e.getCause() == null ? e : e.getCause()).getMessage(), e);
        } catch (TimeoutException e) {
            throw new io.dynamo.api.UnavailableException("node " + endpoint + " did not answer within " + timeout.toMillis()
                    + " ms", e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new io.dynamo.api.UnavailableException("interrupted while asking " + endpoint, e);
        }
        Message answer = MessageCodec.decode(response);
        if (answer instanceof Message.PluginList list) {
            return list.plugins();
        }
        if (answer instanceof Message.Error error) {
            throw error.toException();
        }
        throw new io.dynamo.api.codec.MalformedDataException("node " + endpoint + " answered a plugin listing with "
                + answer.getClass().getSimpleName());
    }

    @Override
    public void close() {
        transport.close();
        try {
            onClose.close();
        } catch (Exception e) {
            // nothing left to release that matters to a finished command
        }
    }
}
