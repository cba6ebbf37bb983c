package io.dynamo.transport.tcp;

import static io.dynamo.transport.tcp.Responses.await;
import static io.dynamo.transport.tcp.Responses.failureOf;
import static io.dynamo.transport.tcp.Responses.utf8;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.dynamo.api.RequestTimeoutException;
import io.dynamo.spi.ConfigException;
import io.dynamo.spi.transport.Endpoint;
import io.dynamo.spi.transport.RequestHandler;
import io.dynamo.spi.transport.TransportException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** What the contract does not cover: pooling, back-off, reconnects, draining, limits, config. */
@Timeout(value = 30, unit = TimeUnit.SECONDS)
class TcpTransportTest {
    private static final Duration TIMEOUT = Duration.ofSeconds(5);
    private static final RequestHandler ECHO = CompletableFuture::completedFuture;

    private final List<TcpTransport> transports = new ArrayList<>();

    @AfterEach
    void close() {
        transports.forEach(TcpTransport::close);
    }

    private TcpTransport transport(String name, Map<String, String> settings) {
        TcpTransport transport = Transports.create(name, settings);
        transports.add(transport);
        return transport;
    }

    @Test
    void requestsSpreadOverTheConfiguredNumberOfConnections() throws Exception {
        TcpTransport server = transport("server", Map.of());
        Endpoint endpoint = server.bind(Transports.ANY_LOOPBACK_PORT, ECHO);
        TcpTransport client = transport("client", Map.of("connections-per-peer", "3"));
        for (int i = 0; i < 30; i++) {
            assertEquals("r" + i, await(client.request(endpoint, utf8("r" + i), TIMEOUT)));
        }
        assertEquals(3, server.acceptedConnections());
    }

    @Test
    void timedOutRequestLeavesNoPendingEntryAndItsLateResponseIsIgnored() throws Exception {
        CompletableFuture<byte[]> held = new CompletableFuture<>();
        TcpTransport server = transport("server", Map.of());
        Endpoint endpoint = server.bind(Transports.ANY_LOOPBACK_PORT,
                request -> new String(request).equals("slow") ? held : CompletableFuture.completedFuture(request));
        TcpTransport client = transport("client", Map.of("connections-per-peer", "1"));
        await(client.request(endpoint, utf8("warm up"), TIMEOUT));

        Throwable failure = failureOf(client.request(endpoint, utf8("slow"), Duration.ofMillis(200)));
        assertInstanceOf(RequestTimeoutException.class, failure);
        assertTrue(failure.getMessage().contains(endpoint.toString()), failure.getMessage());
        assertEquals(0, client.clientPending(), "the timed-out request is still pending");

        held.complete(utf8("too late"));
        assertEquals("next", await(client.request(endpoint, utf8("next"), TIMEOUT)),
                "the late response confused the connection");
        assertEquals(1, server.acceptedConnections(), "the connection survived the late response");
    }

    @Test
    void peerThatIsDownFailsFastDuringBackOffThenReconnectsAfterItRestarts() throws Exception {
        TcpTransport first = Transports.create("server", Map.of());
        Endpoint endpoint = first.bind(Transports.ANY_LOOPBACK_PORT, request -> CompletableFuture.completedFuture(utf8("first")));
        // one connection, so the request after a refused attempt cannot land on another, stale one
        TcpTransport client = transport("client", Map.of("connections-per-peer", "1",
                "reconnect-backoff", "300ms", "reconnect-backoff-max", "300ms"));
        assertEquals("first", await(client.request(endpoint, utf8("hi"), TIMEOUT)));
        first.close();

        // the first request may still go out on the old connection before the client sees it close
        Throwable refused = failureOf(client.request(endpoint, utf8("hi"), TIMEOUT));
        for (int i = 0; i < 10 && !refused.getMessage().contains("cannot connect"); i++) {
            assertInstanceOf(TransportException.class, refused, "the peer is down");
            refused = failureOf(client.request(endpoint, utf8("hi"), TIMEOUT));
        }
        assertTrue(refused.getMessage().contains("cannot connect"), refused.getMessage());
        Throwable fast = failureOf(client.request(endpoint, utf8("hi"), TIMEOUT));
        assertInstanceOf(TransportException.class, fast);
        assertTrue(fast.getMessage().contains("next connection attempt in"),
                "a connection was attempted during back-off: " + fast.getMessage());

        TcpTransport second = transport("server-again", Map.of());
        second.bind(endpoint, request -> CompletableFuture.completedFuture(utf8("second")));
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
        String answer = null;
        while (answer == null && System.nanoTime() < deadline) {
            try {
                answer = await(client.request(endpoint, utf8("hi"), TIMEOUT));
            } catch (Exception stillBackingOff) {
                Thread.sleep(50);
            }
        }
        assertEquals("second", answer, "the client never reconnected to the restarted peer");
    }

    @Test
    void closeWaitsForRequestsInFlightAndRefusesNewOnes() throws Exception {
        CountDownLatch arrived = new CountDownLatch(1);
        TcpTransport server = transport("server", Map.of("shutdown-grace", "5s"));
        Endpoint endpoint = server.bind(Transports.ANY_LOOPBACK_PORT, request -> {
            if (new String(request).equals("slow")) {
                arrived.countDown();
                return CompletableFuture.supplyAsync(() -> utf8("finished"),
                        CompletableFuture.delayedExecutor(1, TimeUnit.SECONDS));
            }
            return CompletableFuture.completedFuture(request);
        });
        TcpTransport client = transport("client", Map.of());
        CompletableFuture<byte[]> slow = client.request(endpoint, utf8("slow"), TIMEOUT);
        assertTrue(arrived.await(5, TimeUnit.SECONDS));

        Throwable duringClose = null;
        Thread closing = new Thread(server::close);
        closing.start();
        // new requests until one is refused: the server is draining then, with the slow one in flight
        while (duringClose == null && !slow.isDone()) {
            try {
                await(client.request(endpoint, utf8("new"), TIMEOUT));
                Thread.sleep(10);
            } catch (Exception e) {
                duringClose = e.getCause();
            }
        }
        assertInstanceOf(TransportException.class, duringClose, "a new request during close was served");
        assertEquals("finished", await(slow), "the request in flight was not answered before close");
        closing.join(10_000);
    }

    @Test
    void requestLargerThanTheMaximumFrameFailsWithoutBeingSent() throws Exception {
        TcpTransport server = transport("server", Map.of());
        Endpoint endpoint = server.bind(Transports.ANY_LOOPBACK_PORT, ECHO);
        TcpTransport client = transport("client", Map.of("max-frame-size", "1k"));
        Throwable failure = failureOf(client.request(endpoint, new byte[1025], TIMEOUT));
        assertTrue(failure.getMessage().contains("tcp.max-frame-size"), failure.getMessage());
        assertEquals(0, server.acceptedConnections(), "the oversized request went out");
        assertEquals(1024, await(client.request(endpoint, new byte[1024], TIMEOUT)).length());
    }

    @Test
    void responseLargerThanTheServersMaximumFailsTheRequestOnly() throws Exception {
        TcpTransport server = transport("server", Map.of("max-frame-size", "1k"));
        Endpoint endpoint = server.bind(Transports.ANY_LOOPBACK_PORT,
                request -> CompletableFuture.completedFuture(new byte[request.length * 2]));
        TcpTransport client = transport("client", Map.of());
        Throwable failure = failureOf(client.request(endpoint, new byte[600], TIMEOUT));
        assertInstanceOf(TransportException.class, failure);
        assertTrue(failure.getMessage().contains("exceeds the maximum frame size"), failure.getMessage());
        assertEquals(400, await(client.request(endpoint, new byte[200], TIMEOUT)).length());
    }

    @Test
    void handlerFailureMessageReachesTheCaller() throws Exception {
        TcpTransport server = transport("server", Map.of());
        Endpoint endpoint = server.bind(Transports.ANY_LOOPBACK_PORT,
                request -> CompletableFuture.failedFuture(new IllegalStateException("disk on fire")));
        Throwable failure = failureOf(transport("client", Map.of()).request(endpoint, utf8("x"), TIMEOUT));
        assertInstanceOf(TransportException.class, failure);
        assertTrue(failure.getMessage().contains("disk on fire"), failure.getMessage());
    }

    @Test
    void bindingTwiceIsRefused() {
        TcpTransport server = transport("server", Map.of());
        server.bind(Transports.ANY_LOOPBACK_PORT, ECHO);
        assertThrows(IllegalStateException.class, () -> server.bind(Transports.ANY_LOOPBACK_PORT, ECHO));
    }

    @Test
    void badConfigValuesNameTheirKey() {
        assertEquals("tcp.max-frame-size", configError("max-frame-size", "0"));
        assertEquals("tcp.max-frame-size", configError("max-frame-size", "lots"));
        assertEquals("tcp.connections-per-peer", configError("connections-per-peer", "0"));
        assertEquals("tcp.io-threads", configError("io-threads", "-1"));
        assertEquals("tcp.connect-timeout", configError("connect-timeout", "0"));
        assertEquals("tcp.idle-timeout", configError("idle-timeout", "soon"));
        assertEquals("tcp.tls.client-auth", configError("tls.client-auth", "maybe"));
        assertEquals("tcp.reconnect-backoff-max", configError("reconnect-backoff-max", "10ms"));
    }

    private static String configError(String key, String value) {
        return assertThrows(ConfigException.class, () -> Transports.create("x", Map.of(key, value))).key();
    }
}
