package io.dynamo.transport.tcp;

import static io.dynamo.transport.tcp.Responses.await;
import static io.dynamo.transport.tcp.Responses.failureOf;
import static io.dynamo.transport.tcp.Responses.utf8;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.dynamo.spi.ConfigException;
import io.dynamo.spi.transport.Endpoint;
import io.dynamo.transport.tcp.RawFrames.RawFrame;
import java.io.IOException;
import java.net.Socket;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Connections that never authenticate cannot live long or be many, and the total number of
 * connections is bounded: extra ones are refused at accept, the ones already open keep working,
 * and the refusals make one log line per period, not one per connection.
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class ConnectionLimitsTest {
    private static final Duration TIMEOUT = Duration.ofSeconds(5);
    private static final int REQUEST = 1;
    private static final int ERROR = 3;
    private static final int HELLO = 4;
    private static final int PING = 7;

    private final List<TcpTransport> transports = new ArrayList<>();
    private final List<Socket> sockets = new ArrayList<>();
    private final AtomicInteger handled = new AtomicInteger();
    private TcpTransport serverTransport;

    @AfterEach
    void close() throws IOException {
        for (Socket socket : sockets) {
            socket.close();
        }
        transports.forEach(TcpTransport::close);
    }

    private TcpTransport transport(String name, Map<String, String> settings) {
        TcpTransport transport = Transports.create(name, settings);
        transports.add(transport);
        return transport;
    }

    private Endpoint server(Map<String, String> settings) {
        serverTransport = transport("server", settings);
        return serverTransport.bind(Transports.ANY_LOOPBACK_PORT, request -> {
            handled.incrementAndGet();
            return CompletableFuture.completedFuture(request);
        });
    }

    private Socket connect(Endpoint server) throws IOException {
        Socket socket = new Socket("127.0.0.1", server.port());
        socket.setSoTimeout(10_000);
        sockets.add(socket);
        return socket;
    }

    @Test
    void pingBeforeAuthenticationClosesTheConnection() throws Exception {
        Endpoint server = server(Map.of("secret", "s"));
        try (Socket socket = connect(server)) {
            assertEquals(HELLO, RawFrames.readFrame(socket.getInputStream()).type());
            socket.getOutputStream().write(RawFrames.frame(PING, 0, new byte[0]));
            List<RawFrame> rest = RawFrames.parse(RawFrames.readToEnd(socket));
            assertEquals(1, rest.size(), rest.toString());
            assertEquals(ERROR, rest.get(0).type());
            assertEquals("protocol error: ping before authentication", rest.get(0).text());
        }
        assertEquals(0, handled.get());
    }

    @Test
    void connectionThatNeverAuthenticatesIsClosedWithinTheHandshakeTimeout() throws Exception {
        // the idle timeout is far longer: only the handshake timeout can close it in time
        Endpoint server = server(Map.of("secret", "s", "handshake-timeout", "300ms", "idle-timeout", "60s"));
        try (Socket socket = connect(server)) {
            assertEquals(HELLO, RawFrames.readFrame(socket.getInputStream()).type());
            List<RawFrame> rest = RawFrames.parse(RawFrames.readToEnd(socket)); // fails after 10 s if never closed
            assertEquals(ERROR, rest.get(rest.size() - 1).type());
            assertEquals("no authentication within 300 ms (tcp.handshake-timeout)", rest.get(rest.size() - 1).text());
        }
        assertEquals(0, handled.get());
        awaitCondition(() -> serverTransport.connectionLimits().unauthenticated() == 0, "the slot is freed");
    }

    @Test
    void authenticatedConnectionOutlivesTheHandshakeTimeout() throws Exception {
        Endpoint server = server(Map.of("secret", "s", "handshake-timeout", "200ms"));
        TcpTransport client = transport("client", Map.of("secret", "s", "connections-per-peer", "1"));
        assertEquals("a", await(client.request(server, utf8("a"), TIMEOUT)));
        // wait past the handshake timeout by watching a second, unauthenticated connection be closed by it
        try (Socket idle = connect(server)) {
            RawFrames.readToEnd(idle);
        }
        assertEquals("b", await(client.request(server, utf8("b"), TIMEOUT)));
        assertEquals(1, serverTransport.acceptedConnections() - 1, "the client kept its one connection");
    }

    @Test
    void connectionsBeyondTheLimitAreRefusedAndTheOpenOnesKeepWorking() throws Exception {
        Endpoint server = server(Map.of("max-connections", "3"));
        List<Socket> open = new ArrayList<>();
        for (int i = 0; i < 3; i++) {
            Socket socket = connect(server);
            assertEquals(HELLO, RawFrames.readFrame(socket.getInputStream()).type());
            open.add(socket);
        }
        int refusals = 25;
        for (int i = 0; i < refusals; i++) {
            try (Socket extra = connect(server)) {
                List<RawFrame> frames = RawFrames.parse(RawFrames.readToEnd(extra));
                assertEquals(1, frames.size(), "an error frame and nothing else: " + frames);
                assertEquals(ERROR, frames.get(0).type());
                assertEquals("too many connections (3, tcp.max-connections)", frames.get(0).text());
            }
        }
        for (int i = 0; i < open.size(); i++) {
            Socket socket = open.get(i);
            socket.getOutputStream().write(RawFrames.frame(REQUEST, 7, utf8("still here " + i)));
            RawFrame answer = RawFrames.readFrame(socket.getInputStream());
            assertEquals("still here " + i, answer.text());
        }
        assertEquals(refusals, serverTransport.refusals().refused());
        assertEquals(1, serverTransport.refusals().lines(), "one log line for a burst of refusals");

        // a place frees when a connection closes
        open.get(0).close();
        awaitCondition(() -> serverTransport.connectionLimits().open() == 2, "the closed connection is counted out");
        TcpTransport client = transport("client", Map.of("connections-per-peer", "1"));
        assertEquals("in", await(client.request(server, utf8("in"), TIMEOUT)));
    }

    @Test
    void refusedClientHearsWhy() throws Exception {
        Endpoint server = server(Map.of("max-connections", "1"));
        Socket first = connect(server);
        assertEquals(HELLO, RawFrames.readFrame(first.getInputStream()).type());
        Throwable failure = failureOf(transport("client", Map.of()).request(server, utf8("hi"), TIMEOUT));
        assertTrue(failure.getMessage().contains("too many connections (1, tcp.max-connections)"), failure.getMessage());
    }

    @Test
    void unauthenticatedConnectionsBeyondTheirLimitAreRefused() throws Exception {
        Endpoint server = server(Map.of("secret", "s", "max-unauthenticated-connections", "2"));
        TcpTransport client = transport("client", Map.of("secret", "s", "connections-per-peer", "1"));
        assertEquals("before", await(client.request(server, utf8("before"), TIMEOUT)));
        List<Socket> lurking = new ArrayList<>();
        for (int i = 0; i < 2; i++) {
            Socket socket = connect(server);
            assertEquals(HELLO, RawFrames.readFrame(socket.getInputStream()).type());
            lurking.add(socket);
        }
        for (int i = 0; i < 5; i++) {
            try (Socket extra = connect(server)) {
                List<RawFrame> frames = RawFrames.parse(RawFrames.readToEnd(extra));
                assertEquals(ERROR, frames.get(0).type(), frames.toString());
                assertEquals("too many connections still authenticating (2, tcp.max-unauthenticated-connections)",
                        frames.get(0).text());
            }
        }
        assertEquals("during", await(client.request(server, utf8("during"), TIMEOUT)), "the authenticated connection works on");
        assertEquals(1, serverTransport.refusals().lines());
        for (Socket socket : lurking) {
            socket.close();
        }
        awaitCondition(() -> serverTransport.connectionLimits().unauthenticated() == 0, "the lurkers are counted out");
        TcpTransport another = transport("another", Map.of("secret", "s"));
        assertEquals("after", await(another.request(server, utf8("after"), TIMEOUT)));
    }

    @Test
    void limitsAreCheckedAtConfig() {
        assertEquals("tcp.max-connections", assertThrows(ConfigException.class,
                () -> Transports.create("x", Map.of("max-connections", "0"))).key());
        assertEquals("tcp.max-unauthenticated-connections", assertThrows(ConfigException.class,
                () -> Transports.create("x", Map.of("max-connections", "10", "max-unauthenticated-connections", "11"))).key());
        assertEquals("tcp.handshake-timeout", assertThrows(ConfigException.class,
                () -> Transports.create("x", Map.of("handshake-timeout", "0s"))).key());
    }

    @Test
    void refusalLogWritesOneLinePerPeriodWithTheCountSinceTheLast() {
        RefusalLog refusals = new RefusalLog(org.slf4j.LoggerFactory.getLogger(RefusalLog.class), "n",
                TimeUnit.HOURS.toNanos(1));
        for (int i = 0; i < 1000; i++) {
            refusals.refused("somewhere", "over a limit");
        }
        assertEquals(1000, refusals.refused());
        assertEquals(1, refusals.lines());
        RefusalLog everyTime = new RefusalLog(org.slf4j.LoggerFactory.getLogger(RefusalLog.class), "n", 0);
        everyTime.refused("a", "r");
        everyTime.refused("b", "r");
        assertEquals(2, everyTime.lines(), "a zero period logs each one");
    }

    static void awaitCondition(BooleanSupplier condition, String what) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() - deadline > 0) {
                throw new AssertionError("not within 10 s: " + what);
            }
            Thread.sleep(5);
        }
    }
}
