package io.dynamo.transport.tcp;

import static io.dynamo.transport.tcp.ConnectionLimitsTest.awaitCondition;
import static io.dynamo.transport.tcp.Responses.await;
import static io.dynamo.transport.tcp.Responses.utf8;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.dynamo.spi.ConfigException;
import io.dynamo.spi.transport.Endpoint;
import io.dynamo.spi.transport.RequestHandler;
import io.dynamo.transport.tcp.RawFrames.RawFrame;
import io.netty.buffer.ByteBufAllocator;
import io.netty.buffer.ByteBufAllocatorMetricProvider;
import io.netty.util.internal.PlatformDependent;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Queue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * What one connection can make the server hold is bounded, and a connection that misbehaves
 * this way does not slow the others down: answers that are not read stop the server reading
 * from that connection, requests in flight per connection are capped, partial frames share one
 * budget, and requests of a connection that died leave the in-flight count at once.
 */
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class BackPressureTest {
    private static final Duration TIMEOUT = Duration.ofSeconds(10);
    private static final int REQUEST = 1;
    private static final int RESPONSE = 2;
    private static final int ERROR = 3;
    private static final int HELLO = 4;
    private static final int MIB = 1 << 20;
    private static final byte[] BIG_ANSWER = new byte[MIB];
    private static final byte[] BIG = "big".getBytes(StandardCharsets.US_ASCII);
    private static final byte[] HOLD = "hold".getBytes(StandardCharsets.US_ASCII);

    private final List<TcpTransport> transports = new ArrayList<>();
    private final List<Socket> sockets = new ArrayList<>();
    private final AtomicInteger bigAnswered = new AtomicInteger();
    private final Queue<CompletableFuture<byte[]>> held = new ConcurrentLinkedQueue<>();
    private final AtomicInteger heldCount = new AtomicInteger();
    private TcpTransport serverTransport;

    @AfterEach
    void close() throws IOException {
        for (Socket socket : sockets) {
            socket.close();
        }
        held.forEach(f -> f.complete(new byte[0]));
        transports.forEach(TcpTransport::close);
    }

    private TcpTransport transport(String name, Map<String, String> settings) {
        TcpTransport transport = Transports.create(name, settings);
        transports.add(transport);
        return transport;
    }

    /** "big" → 1 MiB at once, "hold" → an answer only when the test completes it, anything else echoed. */
    private final RequestHandler handler = request -> {
        if (Arrays.equals(request, BIG)) {
            bigAnswered.incrementAndGet();
            return CompletableFuture.completedFuture(BIG_ANSWER);
        }
        if (Arrays.equals(request, HOLD)) {
            CompletableFuture<byte[]> answer = new CompletableFuture<>();
            held.add(answer);
            heldCount.incrementAndGet();
            return answer;
        }
        return CompletableFuture.completedFuture(request);
    };

    private Endpoint server(Map<String, String> settings) {
        serverTransport = transport("server", settings);
        return serverTransport.bind(Transports.ANY_LOOPBACK_PORT, handler);
    }

    /** A raw connection with a small receive buffer, past the server's HELLO. */
    private Socket connect(Endpoint server) throws IOException {
        Socket socket = new Socket();
        socket.setReceiveBufferSize(64 * 1024);
        socket.connect(new InetSocketAddress("127.0.0.1", server.port()), 10_000);
        socket.setSoTimeout(10_000);
        sockets.add(socket);
        assertEquals(HELLO, RawFrames.readFrame(socket.getInputStream()).type());
        return socket;
    }

    private static byte[] requests(byte[] payload, int count) {
        ByteArrayOutputStream all = new ByteArrayOutputStream();
        for (int i = 1; i <= count; i++) {
            all.writeBytes(RawFrames.frame(REQUEST, i, payload));
        }
        return all.toByteArray();
    }

    static long usedDirectMemory() {
        if (ByteBufAllocator.DEFAULT instanceof ByteBufAllocatorMetricProvider metered) {
            return metered.metric().usedDirectMemory();
        }
        return PlatformDependent.usedDirectMemory();
    }

    @Test
    void clientsThatNeverReadTheirAnswersAreNotReadFromAndOthersAreServed() throws Exception {
        Endpoint server = server(Map.of("max-frame-size", "2m", "io-threads", "2"));
        TcpTransport client = transport("client", Map.of());
        assertEquals("warm", await(client.request(server, utf8("warm"), TIMEOUT)));
        long directBefore = usedDirectMemory();

        int attackers = 2;
        int pipelined = 500; // 500 MiB of answers each, were they all produced
        for (int i = 0; i < attackers; i++) {
            OutputStream out = connect(server).getOutputStream();
            out.write(requests(BIG, pipelined)); // and never read
        }
        // the server answers until each attacker's socket and write buffer are full, then stops reading it
        awaitCondition(() -> bigAnswered.get() >= attackers, "the attackers are served at first");

        int samples = 2_000;
        long[] nanos = new long[samples];
        for (int i = 0; i < samples; i++) {
            byte[] payload = utf8("request " + i);
            long start = System.nanoTime();
            byte[] answer = client.request(server, payload, TIMEOUT).get(20, TimeUnit.SECONDS);
            nanos[i] = System.nanoTime() - start;
            assertArrayEquals(payload, answer, "request " + i);
        }
        int answeredToAttackers = bigAnswered.get();
        long directDuring = usedDirectMemory();
        Arrays.sort(nanos);
        System.out.printf("well-behaved client beside %d clients not reading 1 MiB answers: p50 %.2f ms, p99 %.2f ms,"
                        + " max %.2f ms over %d requests; attackers' requests handled %d of %d; direct memory %d MiB"
                        + " (before %d MiB)%n", attackers, nanos[samples / 2] / 1e6, nanos[samples * 99 / 100] / 1e6,
                nanos[samples - 1] / 1e6, samples, answeredToAttackers, attackers * pipelined,
                directDuring / MIB, directBefore / MIB);
        assertTrue(answeredToAttackers < attackers * 64, answeredToAttackers
                + " answers of 1 MiB produced for clients that read none: the server kept reading from them");
        assertTrue(directDuring < directBefore + 128L * MIB, "direct memory grew to " + directDuring / MIB + " MiB");
    }

    @Test
    void clientWhoseAnswersPileUpPastTheUnreadLimitIsCutOff() throws Exception {
        Endpoint server = server(Map.of("max-frame-size", "2m", "max-unread-bytes", "8m"));
        Socket attacker = connect(server);
        attacker.getOutputStream().write(requests(HOLD, 200));
        // answers that come later, as a coordinator's do: all were admitted before the first is written
        awaitCondition(() -> heldCount.get() == 200, "the requests reach the handler");
        long directBefore = usedDirectMemory();
        for (CompletableFuture<byte[]> answer; (answer = held.poll()) != null; ) {
            answer.complete(BIG_ANSWER);
        }
        awaitCondition(() -> serverTransport.refusals().refused() == 1, "the server cuts the attacker off");
        awaitCondition(() -> serverTransport.servedInFlight() == 0, "the attacker's requests leave the count");
        long directAfter = usedDirectMemory();
        System.out.printf("200 answers of 1 MiB to a client that reads none: direct memory %d MiB before, %d MiB after%n",
                directBefore / MIB, directAfter / MIB);
        RawFrames.readToEnd(attacker); // what the kernel held, then the end: fails if the server kept it open
        TcpTransport client = transport("client", Map.of());
        assertEquals("fine", await(client.request(server, utf8("fine"), TIMEOUT)));
    }

    @Test
    void requestsInFlightPerConnectionAreCapped() throws Exception {
        Endpoint server = server(Map.of("max-requests-per-connection", "4"));
        Socket socket = connect(server);
        socket.getOutputStream().write(requests(HOLD, 10));
        awaitCondition(() -> heldCount.get() == 4, "four requests reach the handler");
        // another connection is served meanwhile, and the capped one got no further
        TcpTransport client = transport("client", Map.of());
        assertEquals("other", await(client.request(server, utf8("other"), TIMEOUT)));
        assertEquals(4, heldCount.get(), "the fifth request was read before an answer drained");
        for (int answered = 0; answered < 10; answered++) {
            held.poll().complete(utf8("done"));
            int expected = Math.min(10, answered + 5);
            awaitCondition(() -> heldCount.get() == expected, "one more request is read per answer");
            RawFrame answer = RawFrames.readFrame(socket.getInputStream());
            assertEquals(RESPONSE, answer.type());
        }
        assertEquals(10, heldCount.get());
    }

    @Test
    void requestsOfAConnectionThatDiedLeaveTheInFlightCountAtOnce() throws Exception {
        // a grace period far beyond the test's timeout: close() must not have to wait for it
        serverTransport = transport("server", Map.of("shutdown-grace", "300s"));
        Endpoint server = serverTransport.bind(Transports.ANY_LOOPBACK_PORT, handler);
        try (Socket socket = connect(server)) {
            socket.getOutputStream().write(requests(HOLD, 5));
            awaitCondition(() -> serverTransport.servedInFlight() == 5, "five requests in flight");
        }
        awaitCondition(() -> serverTransport.servedInFlight() == 0, "they leave the count when the connection dies");
        held.forEach(f -> f.complete(utf8("too late"))); // their answers come after: nothing is counted twice
        TcpTransport client = transport("client", Map.of());
        assertEquals("next", await(client.request(server, utf8("next"), TIMEOUT)));
        // the server counts an answer out once its write completed, which may be after the client read it
        awaitCondition(() -> serverTransport.servedInFlight() == 0, "the answered request leaves the count");
        long start = System.nanoTime();
        serverTransport.close();
        System.out.printf("close() with no request in flight took %d ms%n", (System.nanoTime() - start) / 1_000_000);
    }

    @Test
    void partialFramesShareOneBudgetAndOthersAreServedBeyondIt() throws Exception {
        Endpoint server = server(Map.of("max-frame-size", "1m", "max-buffered-bytes", "4m"));
        TcpTransport client = transport("client", Map.of("max-frame-size", "1m"));
        assertEquals("before", await(client.request(server, utf8("before"), TIMEOUT)));
        List<Socket> partial = new ArrayList<>();
        for (int i = 1; i <= 4; i++) {
            Socket socket = connect(server);
            socket.getOutputStream().write(RawFrames.header(0x4459, 1, REQUEST, i, MIB));
            socket.getOutputStream().write(new byte[1000]);
            partial.add(socket);
            long reserved = (long) i * MIB;
            awaitCondition(() -> serverTransport.bufferedBytes() == reserved, i + " MiB reserved");
        }
        for (int i = 0; i < 3; i++) {
            try (Socket over = connect(server)) {
                over.getOutputStream().write(RawFrames.header(0x4459, 1, REQUEST, 9, MIB));
                over.getOutputStream().write(new byte[1000]);
                List<RawFrame> frames = RawFrames.parse(RawFrames.readToEnd(over));
                assertEquals(1, frames.size(), frames.toString());
                assertEquals(ERROR, frames.get(0).type());
                assertTrue(frames.get(0).text().contains("tcp.max-buffered-bytes"), frames.get(0).text());
            }
        }
        assertEquals(3, serverTransport.refusals().refused());
        assertEquals(1, serverTransport.refusals().lines());
        assertEquals("beside", await(client.request(server, utf8("beside"), TIMEOUT)), "small frames still pass");

        // a connection within the budget finishes its frame and is answered; its reservation is returned
        Socket first = partial.get(0);
        first.getOutputStream().write(new byte[MIB - 1000]);
        RawFrame echo = RawFrames.readFrame(first.getInputStream());
        assertEquals(RESPONSE, echo.type());
        assertEquals(MIB, echo.payload().length);
        awaitCondition(() -> serverTransport.bufferedBytes() == 3L * MIB, "the finished frame is released");
        // and one that closes in the middle of a frame returns its reservation too
        partial.get(1).close();
        awaitCondition(() -> serverTransport.bufferedBytes() == 2L * MIB, "the closed connection's frame is released");
        byte[] large = new byte[MIB];
        assertEquals(MIB, client.request(server, large, TIMEOUT).get(20, TimeUnit.SECONDS).length,
                "a large frame fits again");
    }

    @Test
    void backPressureSettingsAreCheckedAtConfig() {
        assertEquals("tcp.write-buffer-high", assertThrows(ConfigException.class, () -> Transports.create("x",
                Map.of("write-buffer-low", "1m", "write-buffer-high", "512k"))).key());
        assertEquals("tcp.max-requests-per-connection", assertThrows(ConfigException.class,
                () -> Transports.create("x", Map.of("max-requests-per-connection", "0"))).key());
        assertEquals("tcp.max-unread-bytes", assertThrows(ConfigException.class,
                () -> Transports.create("x", Map.of("max-frame-size", "16m", "max-unread-bytes", "8m"))).key());
        assertEquals("tcp.max-buffered-bytes", assertThrows(ConfigException.class,
                () -> Transports.create("x", Map.of("max-frame-size", "16m", "max-buffered-bytes", "1m"))).key());
    }
}
