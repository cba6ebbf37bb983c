package io.dynamo.transport.tcp;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.dynamo.spi.transport.Endpoint;
import io.dynamo.transport.tcp.RawFrames.RawFrame;
import java.io.IOException;
import java.io.OutputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Bad bytes on the server port close that connection only: while a raw socket misbehaves, a
 * well-behaved client keeps getting answers, and the handler never sees the bad input.
 */
@Timeout(value = 30, unit = TimeUnit.SECONDS)
class BadInputTest {
    private static final int MAX_FRAME = 64 * 1024;
    private static final int HELLO = 4;
    private static final int ERROR = 3;
    private static final byte[] POISON = "POISON".getBytes(StandardCharsets.US_ASCII);

    private TcpTransport server;
    private TcpTransport client;
    private Endpoint endpoint;
    private final AtomicBoolean poisonHandled = new AtomicBoolean();
    private final AtomicInteger answered = new AtomicInteger();
    private final AtomicReference<Throwable> clientFailure = new AtomicReference<>();
    private final AtomicBoolean stop = new AtomicBoolean();
    private Thread wellBehaved;

    @BeforeEach
    void start() {
        server = Transports.create("server", Map.of("max-frame-size", String.valueOf(MAX_FRAME),
                "idle-timeout", "400ms"));
        endpoint = server.bind(Transports.ANY_LOOPBACK_PORT, request -> {
            if (startsWith(request, POISON)) {
                poisonHandled.set(true);
            }
            return CompletableFuture.completedFuture(request);
        });
        client = Transports.create("client", Map.of("idle-timeout", "400ms"));
        wellBehaved = new Thread(this::keepRequesting, "well-behaved-client");
        wellBehaved.start();
    }

    @AfterEach
    void stop() throws InterruptedException {
        stop.set(true);
        wellBehaved.join(10_000);
        client.close();
        server.close();
    }

    private void keepRequesting() {
        long i = 0;
        while (!stop.get()) {
            byte[] payload = ("request " + i++).getBytes(StandardCharsets.UTF_8);
            try {
                byte[] response = client.request(endpoint, payload, Duration.ofSeconds(5)).get(10, TimeUnit.SECONDS);
                assertArrayEquals(payload, response);
                answered.incrementAndGet();
            } catch (Throwable t) {
                clientFailure.compareAndSet(null, t);
            }
        }
    }

    /** Runs {@code badInput}, then checks the other client was served before, during and after. */
    private List<RawFrame> misbehave(BadInput badInput) throws Exception {
        awaitAnswers(20);
        List<RawFrame> received;
        try (Socket socket = new Socket("127.0.0.1", endpoint.port())) {
            socket.setSoTimeout(5_000);
            badInput.send(socket, socket.getOutputStream());
            received = RawFrames.parse(RawFrames.readToEnd(socket));
        }
        awaitAnswers(20);
        assertNull(clientFailure.get(), () -> "the well-behaved client failed: " + clientFailure.get());
        assertFalse(poisonHandled.get(), "the handler saw a payload from the misbehaving connection");
        assertEquals(HELLO, received.get(0).type(), "the server greets every connection first");
        return received;
    }

    private void awaitAnswers(int more) throws InterruptedException {
        int target = answered.get() + more;
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (answered.get() < target && clientFailure.get() == null && System.nanoTime() < deadline) {
            Thread.sleep(5);
        }
        assertNull(clientFailure.get(), () -> "the well-behaved client failed: " + clientFailure.get());
        assertTrue(answered.get() >= target, "the well-behaved client stopped getting answers");
    }

    private static RawFrame lastError(List<RawFrame> frames) {
        RawFrame last = frames.get(frames.size() - 1);
        assertEquals(ERROR, last.type(), "the server says why it closes: " + frames);
        assertEquals(0, last.requestId(), "a connection-level error carries request id 0");
        return last;
    }

    @Test
    void wellFormedRawRequestIsAnswered() throws Exception {
        // the control for the tests below: the raw frames they send are right but for the fault
        try (Socket socket = new Socket("127.0.0.1", endpoint.port())) {
            socket.setSoTimeout(5_000);
            assertEquals(HELLO, RawFrames.readFrame(socket.getInputStream()).type());
            socket.getOutputStream().write(RawFrames.frame(1, 42, "raw".getBytes(StandardCharsets.UTF_8)));
            RawFrame response = RawFrames.readFrame(socket.getInputStream());
            assertEquals(2, response.type());
            assertEquals(42, response.requestId());
            assertEquals("raw", response.text());
        }
    }

    @Test
    void randomBytesCloseOnlyThatConnection() throws Exception {
        List<RawFrame> received = misbehave((socket, out) -> {
            byte[] garbage = new byte[256];
            new Random(20240501L).nextBytes(garbage);
            garbage[0] = 0x12; // never our magic
            out.write(garbage);
        });
        assertTrue(lastError(received).text().contains("bad magic"), received.toString());
    }

    @Test
    void frameLargerThanTheMaximumIsRefusedBeforeItsPayloadArrives() throws Exception {
        List<RawFrame> received = misbehave((socket, out) -> {
            // a header announcing ~2 GiB: refused from the header alone, nothing allocated for it
            out.write(RawFrames.header(0x4459, 1, 1, 7, Integer.MAX_VALUE));
            out.write(POISON);
        });
        assertTrue(lastError(received).text().contains("exceeds the maximum of " + MAX_FRAME), received.toString());
    }

    @Test
    void frameJustOverTheMaximumIsRefused() throws Exception {
        List<RawFrame> received = misbehave((socket, out) -> out.write(RawFrames.header(0x4459, 1, 1, 7, MAX_FRAME + 1)));
        assertTrue(lastError(received).text().contains("exceeds the maximum"), received.toString());
    }

    @Test
    void truncatedFrameThenEndOfStreamIsDropped() throws Exception {
        List<RawFrame> received = misbehave((socket, out) -> {
            out.write(RawFrames.header(0x4459, 1, 1, 9, 100));
            out.write(POISON); // 6 of the 100 bytes announced
            out.flush();
            socket.shutdownOutput();
        });
        assertEquals(1, received.size(), "only the greeting, no response to half a frame: " + received);
    }

    @Test
    void unknownFrameTypeClosesTheConnection() throws Exception {
        List<RawFrame> received = misbehave((socket, out) -> out.write(RawFrames.frame(99, 5, POISON)));
        assertTrue(lastError(received).text().contains("unknown frame type 99"), received.toString());
    }

    @Test
    void frameOfAServerOnlyTypeClosesTheConnection() throws Exception {
        List<RawFrame> received = misbehave((socket, out) -> out.write(RawFrames.frame(2, 5, POISON)));
        assertTrue(lastError(received).text().contains("unexpected RESPONSE"), received.toString());
    }

    @Test
    void unsupportedProtocolVersionClosesTheConnection() throws Exception {
        List<RawFrame> received = misbehave((socket, out) -> out.write(RawFrames.header(0x4459, 9, 1, 5, 0)));
        assertTrue(lastError(received).text().contains("unsupported protocol version 9"), received.toString());
    }

    @Test
    void idleConnectionIsClosed() throws Exception {
        long started = System.nanoTime();
        List<RawFrame> received = misbehave((socket, out) -> {
            // send nothing at all
        });
        assertTrue(lastError(received).text().contains("idle"), received.toString());
        assertTrue(System.nanoTime() - started >= TimeUnit.MILLISECONDS.toNanos(400), "closed before the idle timeout");
    }

    @Test
    void pooledClientConnectionsOutliveTheIdleTimeoutByPinging() throws Exception {
        awaitAnswers(20);
        stop.set(true);
        wellBehaved.join(10_000);
        long accepted = server.acceptedConnections();
        Thread.sleep(1_500); // almost four idle timeouts without a request
        byte[] response = client.request(endpoint, "still there".getBytes(StandardCharsets.UTF_8), Duration.ofSeconds(5))
                .get(10, TimeUnit.SECONDS);
        assertEquals("still there", new String(response, StandardCharsets.UTF_8));
        assertEquals(accepted, server.acceptedConnections(), "the client had to reconnect: its idle connections were dropped");
    }

    private static boolean startsWith(byte[] bytes, byte[] prefix) {
        if (bytes.length < prefix.length) {
            return false;
        }
        for (int i = 0; i < prefix.length; i++) {
            if (bytes[i] != prefix[i]) {
                return false;
            }
        }
        return true;
    }

    @FunctionalInterface
    private interface BadInput {
        void send(Socket socket, OutputStream out) throws IOException;
    }
}
