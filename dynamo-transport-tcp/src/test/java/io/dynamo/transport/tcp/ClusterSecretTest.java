package io.dynamo.transport.tcp;

import static io.dynamo.transport.tcp.Responses.await;
import static io.dynamo.transport.tcp.Responses.failureOf;
import static io.dynamo.transport.tcp.Responses.utf8;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.dynamo.spi.ConfigException;
import io.dynamo.spi.transport.Endpoint;
import io.dynamo.spi.transport.TransportException;
import io.dynamo.transport.tcp.RawFrames.RawFrame;
import java.io.InputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

@Timeout(value = 30, unit = TimeUnit.SECONDS)
class ClusterSecretTest {
    private static final Duration TIMEOUT = Duration.ofSeconds(5);
    private final List<TcpTransport> transports = new ArrayList<>();
    private final AtomicInteger handled = new AtomicInteger();

    @AfterEach
    void close() {
        transports.forEach(TcpTransport::close);
    }

    private TcpTransport transport(String name, Map<String, String> settings) {
        TcpTransport transport = Transports.create(name, settings);
        transports.add(transport);
        return transport;
    }

    private Endpoint serverWithSecret(String secret) {
        Map<String, String> settings = secret == null ? Map.of() : Map.of("secret", secret);
        return transport("server", settings).bind(Transports.ANY_LOOPBACK_PORT, request -> {
            handled.incrementAndGet();
            return CompletableFuture.completedFuture(request);
        });
    }

    @Test
    void sameSecretOnBothSidesServesRequests() throws Exception {
        Endpoint server = serverWithSecret("correct horse battery staple");
        TcpTransport client = transport("client", Map.of("secret", "correct horse battery staple"));
        assertEquals("hello", await(client.request(server, utf8("hello"), TIMEOUT)));
        assertEquals(1, handled.get());
    }

    @Test
    void secretFromAFileServesRequests(@TempDir Path dir) throws Exception {
        Path file = Files.writeString(dir.resolve("cluster.secret"), "from a file\n");
        Endpoint server = serverWithSecret("from a file");
        TcpTransport client = transport("client", Map.of("secret-file", file.toString()));
        assertEquals("hello", await(client.request(server, utf8("hello"), TIMEOUT)));
    }

    @Test
    void wrongSecretIsRefusedAndNoRequestIsHandled() throws Exception {
        Endpoint server = serverWithSecret("the real secret");
        TcpTransport client = transport("client", Map.of("secret", "a guess"));
        Throwable failure = failureOf(client.request(server, utf8("let me in"), TIMEOUT));
        assertInstanceOf(TransportException.class, failure);
        assertTrue(failure.getMessage().contains("wrong cluster secret"), failure.getMessage());
        // a second attempt is refused too (fast, during back-off, or again by the server)
        assertInstanceOf(TransportException.class, failureOf(client.request(server, utf8("again"), TIMEOUT)));
        assertEquals(0, handled.get(), "the handler ran for an unauthenticated client");
    }

    @Test
    void clientWithoutTheSecretIsRefused() throws Exception {
        Endpoint server = serverWithSecret("the real secret");
        Throwable failure = failureOf(transport("client", Map.of()).request(server, utf8("hi"), TIMEOUT));
        assertInstanceOf(TransportException.class, failure);
        assertTrue(failure.getMessage().contains("requires a cluster secret"), failure.getMessage());
        assertEquals(0, handled.get());
    }

    @Test
    void clientWithASecretRefusesAServerThatCannotProveIt() throws Exception {
        Endpoint server = serverWithSecret(null);
        Throwable failure = failureOf(transport("client", Map.of("secret", "s")).request(server, utf8("hi"), TIMEOUT));
        assertInstanceOf(TransportException.class, failure);
        assertTrue(failure.getMessage().contains("does not prove the cluster secret"), failure.getMessage());
        assertEquals(0, handled.get(), "a request went to a server that never proved the secret");
    }

    @Test
    void rawRequestWithoutAuthenticationIsRefused() throws Exception {
        Endpoint server = serverWithSecret("the real secret");
        try (Socket socket = new Socket("127.0.0.1", server.port())) {
            socket.setSoTimeout(5_000);
            InputStream in = socket.getInputStream();
            RawFrame hello = RawFrames.readFrame(in);
            assertEquals(4, hello.type());
            assertEquals(1 + 32, hello.payload().length, "flags and a 32-byte nonce");
            assertEquals(1, hello.payload()[0], "the secret-required flag");
            socket.getOutputStream().write(RawFrames.frame(1, 1, utf8("sneak in")));
            List<RawFrame> rest = RawFrames.parse(RawFrames.readToEnd(socket));
            assertEquals(3, rest.get(rest.size() - 1).type(), "an error frame before the close");
            assertTrue(rest.get(rest.size() - 1).text().contains("request before authentication"));
        }
        assertEquals(0, handled.get());
    }

    @Test
    void replayedProofFromAnotherConnectionIsRefused() throws Exception {
        // a proof is bound to the server's nonce of its own connection: a fresh nonce per
        // connection means a recorded AUTH frame fails on the next one
        Endpoint server = serverWithSecret("the real secret");
        ClusterSecret secret = new ClusterSecret(utf8("the real secret"));
        byte[] clientNonce = new byte[32];
        byte[] recordedAuth;
        try (Socket first = new Socket("127.0.0.1", server.port())) {
            first.setSoTimeout(5_000);
            byte[] hello = RawFrames.readFrame(first.getInputStream()).payload();
            byte[] serverNonce = Arrays.copyOfRange(hello, 1, hello.length);
            recordedAuth = concat(clientNonce, secret.clientProof(serverNonce, clientNonce));
            first.getOutputStream().write(RawFrames.frame(5, 0, recordedAuth));
            RawFrame ok = RawFrames.readFrame(first.getInputStream());
            assertEquals(6, ok.type(), "the genuine proof is accepted");
            assertTrue(ClusterSecret.matches(secret.serverProof(serverNonce, clientNonce), ok.payload()),
                    "the server proves the secret back");
        }
        try (Socket second = new Socket("127.0.0.1", server.port())) {
            second.setSoTimeout(5_000);
            RawFrames.readFrame(second.getInputStream());
            second.getOutputStream().write(RawFrames.frame(5, 0, recordedAuth));
            second.getOutputStream().write(RawFrames.frame(1, 1, utf8("replayed")));
            List<RawFrame> rest = RawFrames.parse(RawFrames.readToEnd(second));
            assertEquals(3, rest.get(0).type());
            assertTrue(rest.get(0).text().contains("wrong cluster secret"), rest.get(0).text());
        }
        assertEquals(0, handled.get());
    }

    @Test
    void proofsNeverContainTheSecret() {
        byte[] secretBytes = utf8("the real secret");
        ClusterSecret secret = new ClusterSecret(secretBytes);
        byte[] proof = secret.clientProof(new byte[32], new byte[32]);
        assertEquals(32, proof.length);
        assertFalse(new String(proof, StandardCharsets.ISO_8859_1).contains("the real secret"));
        assertFalse(secret.toString().contains("real"));
    }

    @Test
    void secretAndSecretFileTogetherAreAConfigError() {
        ConfigException e = assertThrows(ConfigException.class,
                () -> Transports.create("x", Map.of("secret", "a", "secret-file", "/nonexistent")));
        assertEquals("tcp.secret", e.key());
    }

    @Test
    void emptySecretIsAConfigError() {
        ConfigException e = assertThrows(ConfigException.class, () -> Transports.create("x", Map.of("secret", " ")));
        assertEquals("tcp.secret", e.key());
    }

    private static byte[] concat(byte[] a, byte[] b) {
        byte[] joined = Arrays.copyOf(a, a.length + b.length);
        System.arraycopy(b, 0, joined, a.length, b.length);
        return joined;
    }
}
