package io.dynamo.transport.tcp;

import static io.dynamo.transport.tcp.Responses.await;
import static io.dynamo.transport.tcp.Responses.failureOf;
import static io.dynamo.transport.tcp.Responses.utf8;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.dynamo.spi.ConfigException;
import io.dynamo.spi.transport.Endpoint;
import io.dynamo.spi.transport.RequestHandler;
import io.dynamo.spi.transport.Role;
import io.dynamo.spi.transport.TransportException;
import java.io.IOException;
import java.io.InputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.Key;
import java.security.KeyStore;
import java.security.cert.Certificate;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * TLS with a certificate made at test time by the JDK's {@code keytool}: a self-signed "cluster"
 * certificate every node presents and trusts (the JDK's default trust store does not).
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class TlsTest {
    private static final String PASSWORD = "changeit";
    private static final Duration TIMEOUT = Duration.ofSeconds(5);

    @TempDir
    static Path dir;

    private static Path clusterStore;
    private static Path clusterCert;
    private static Path clusterKey;

    private final List<TcpTransport> transports = new ArrayList<>();
    private final AtomicInteger handled = new AtomicInteger();

    @BeforeAll
    static void makeCertificates() throws Exception {
        clusterStore = keyPair("cluster");
        clusterCert = exportCertificate(clusterStore, "cluster");
        clusterKey = exportPrivateKey(clusterStore, "cluster");
    }

    @AfterEach
    void close() {
        transports.forEach(TcpTransport::close);
    }

    private TcpTransport transport(String name, Map<String, String> settings) {
        TcpTransport transport = Transports.create(name, settings);
        transports.add(transport);
        return transport;
    }

    private static Map<String, String> clusterTls() {
        return Map.of("tls.enabled", "true", "tls.keystore", clusterStore.toString(),
                "tls.keystore-password", PASSWORD, "tls.trust", clusterCert.toString());
    }

    private static Map<String, String> with(Map<String, String> base, String... keysAndValues) {
        Map<String, String> settings = new HashMap<>(base);
        for (int i = 0; i < keysAndValues.length; i += 2) {
            settings.put(keysAndValues[i], keysAndValues[i + 1]);
        }
        return settings;
    }

    private Endpoint server(Map<String, String> settings) {
        return transport("server", settings).bind(Transports.ANY_LOOPBACK_PORT, request -> {
            handled.incrementAndGet();
            return CompletableFuture.completedFuture(request);
        });
    }

    @Test
    void mutualTlsWithAKeyStoreServesRequests() throws Exception {
        Endpoint server = server(clusterTls());
        assertEquals("over tls", await(transport("client", clusterTls()).request(server, utf8("over tls"), TIMEOUT)));
    }

    @Test
    void everyPooledConnectionCompletesItsTlsHandshake() throws Exception {
        TcpTransport serverTransport = transport("server", clusterTls());
        Endpoint server = serverTransport.bind(Transports.ANY_LOOPBACK_PORT, CompletableFuture::completedFuture);
        TcpTransport client = transport("client", with(clusterTls(), "connections-per-peer", "3"));
        for (int i = 0; i < 30; i++) {
            assertEquals("r" + i, await(client.request(server, utf8("r" + i), TIMEOUT)));
        }
        assertEquals(3, serverTransport.acceptedConnections());
    }

    @Test
    void mutualTlsWithPemFilesServesRequests() throws Exception {
        Map<String, String> pem = Map.of("tls.enabled", "true", "tls.cert", clusterCert.toString(),
                "tls.key", clusterKey.toString(), "tls.trust", clusterCert.toString());
        Endpoint server = server(pem);
        assertEquals("pem", await(transport("client", pem).request(server, utf8("pem"), TIMEOUT)));
    }

    @Test
    void tlsAndClusterSecretTogetherServeRequests() throws Exception {
        Endpoint server = server(with(clusterTls(), "secret", "s3cret"));
        TcpTransport client = transport("client", with(clusterTls(), "secret", "s3cret"));
        assertEquals("both", await(client.request(server, utf8("both"), TIMEOUT)));
    }

    @Test
    void plaintextFramesToATlsServerAreAnsweredWithAPlaintextErrorSayingSo() throws Exception {
        Endpoint server = server(clusterTls());
        try (Socket socket = new Socket("127.0.0.1", server.port())) {
            socket.setSoTimeout(5_000);
            socket.getOutputStream().write(RawFrames.frame(1, 1, utf8("plain")));
            List<RawFrames.RawFrame> answer = RawFrames.parse(RawFrames.readToEnd(socket));
            assertEquals(1, answer.size(), "one error frame, then the server closes: " + answer);
            assertEquals(3, answer.get(0).type());
            assertEquals("this node speaks TLS; set tcp.tls.enabled=true", answer.get(0).text());
        }
        assertEquals(0, handled.get());
    }

    @Test
    void plainClientToATlsServerIsToldTheServerSpeaksTls() throws Exception {
        Endpoint server = server(clusterTls());
        // a long connect timeout: the failure must come from the server's answer, not from waiting
        Throwable failure = failureOf(transport("client", Map.of("connect-timeout", "8s")).request(server, utf8("hi"),
                Duration.ofSeconds(9)));
        assertInstanceOf(TransportException.class, failure);
        assertTrue(failure.getMessage().contains("speaks TLS; set tcp.tls.enabled=true"), failure.getMessage());
        assertEquals(0, handled.get());
    }

    @Test
    void tlsClientToAPlainServerIsToldTheServerDoesNotSpeakTls() throws Exception {
        Endpoint server = server(Map.of());
        Throwable failure = failureOf(transport("client", with(clusterTls(), "connect-timeout", "8s"))
                .request(server, utf8("hi"), Duration.ofSeconds(9)));
        assertInstanceOf(TransportException.class, failure);
        assertTrue(failure.getMessage().contains("peer " + server + " does not speak TLS"), failure.getMessage());
        assertFalse(failure.getMessage().contains("0x"), "no hex dump: " + failure.getMessage());
        assertEquals(0, handled.get());
    }

    @Test
    void tlsHelloToAPlainServerIsAnsweredWithAnErrorNamingTls() throws Exception {
        Endpoint server = server(Map.of());
        try (Socket socket = new Socket("127.0.0.1", server.port())) {
            socket.setSoTimeout(5_000);
            // the first bytes of a TLS ClientHello record, padded to a frame header's length
            socket.getOutputStream().write(new byte[] {0x16, 0x03, 0x01, 0x00, (byte) 0xc8, 0x01, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0});
            List<RawFrames.RawFrame> frames = RawFrames.parse(RawFrames.readToEnd(socket));
            RawFrames.RawFrame last = frames.get(frames.size() - 1);
            assertEquals(3, last.type());
            assertTrue(last.text().contains("speaks TLS and this node does not"), last.text());
        }
    }

    @Test
    void authenticatesOnlyWhenClientCertificatesAreRequired() {
        assertTrue(transport("a", clusterTls()).authenticates(), "client-auth=require (the default)");
        assertFalse(transport("b", with(clusterTls(), "tls.client-auth", "optional")).authenticates());
        assertFalse(transport("c", with(clusterTls(), "tls.client-auth", "none")).authenticates());
    }

    @Test
    void certificateHoldersArePeersWhenNoSecretIsSet() throws Exception {
        List<Role> roles = new java.util.concurrent.CopyOnWriteArrayList<>();
        Endpoint server = transport("server", clusterTls()).bind(Transports.ANY_LOOPBACK_PORT, new RequestHandler() {
            @Override
            public CompletableFuture<byte[]> handle(byte[] request) {
                throw new AssertionError("the transport must say who calls");
            }

            @Override
            public CompletableFuture<byte[]> handle(Role caller, byte[] request) {
                roles.add(caller);
                return CompletableFuture.completedFuture(request);
            }
        });
        assertEquals("x", await(transport("client", clusterTls()).request(server, utf8("x"), TIMEOUT)));
        assertEquals(List.of(Role.PEER), roles);
        assertEquals(0, transports.get(0).connectionLimits().unauthenticated(),
                "a completed TLS handshake authenticates the connection");
    }

    @Test
    void clientThatDoesNotTrustTheServerFails() throws Exception {
        Endpoint server = server(clusterTls());
        // the client's own certificate, but only the JDK's default trust store
        TcpTransport client = transport("client", Map.of("tls.enabled", "true",
                "tls.keystore", clusterStore.toString(), "tls.keystore-password", PASSWORD));
        assertInstanceOf(TransportException.class, failureOf(client.request(server, utf8("hi"), TIMEOUT)));
        assertEquals(0, handled.get());
    }

    @Test
    void clientWithoutACertificateIsRefusedWhenClientAuthIsRequired() throws Exception {
        Endpoint server = server(clusterTls());
        TcpTransport client = transport("client", Map.of("tls.enabled", "true", "tls.trust", clusterCert.toString()));
        assertInstanceOf(TransportException.class, failureOf(client.request(server, utf8("hi"), TIMEOUT)));
        assertEquals(0, handled.get());
    }

    @Test
    void clientWithoutACertificateIsServedWhenClientAuthIsOff() throws Exception {
        Endpoint server = server(with(clusterTls(), "tls.client-auth", "none"));
        TcpTransport client = transport("client", Map.of("tls.enabled", "true", "tls.trust", clusterCert.toString()));
        assertEquals("anonymous", await(client.request(server, utf8("anonymous"), TIMEOUT)));
    }

    @Test
    void servingOverTlsWithoutACertificateIsAConfigError() {
        TcpTransport clientOnly = transport("client", Map.of("tls.enabled", "true", "tls.trust", clusterCert.toString()));
        ConfigException e = assertThrows(ConfigException.class,
                () -> clientOnly.bind(Transports.ANY_LOOPBACK_PORT, request -> CompletableFuture.completedFuture(request)));
        assertEquals("tcp.tls.enabled", e.key());
    }

    @Test
    void certificateWithoutItsKeyIsAConfigError() {
        ConfigException e = assertThrows(ConfigException.class,
                () -> Transports.create("x", Map.of("tls.enabled", "true", "tls.cert", clusterCert.toString())));
        assertEquals("tcp.tls.key", e.key());
    }

    @Test
    void unreadableKeyStoreIsAConfigError() {
        ConfigException e = assertThrows(ConfigException.class,
                () -> Transports.create("x", Map.of("tls.enabled", "true", "tls.keystore", dir.resolve("missing.p12").toString())));
        assertEquals("tcp.tls.keystore", e.key());
    }

    private static Path keyPair(String alias) throws Exception {
        Path store = dir.resolve(alias + ".p12");
        run(keytool(), "-genkeypair", "-alias", alias, "-keyalg", "EC", "-groupname", "secp256r1",
                "-validity", "2", "-dname", "CN=localhost", "-ext", "SAN=ip:127.0.0.1,dns:localhost",
                "-keystore", store.toString(), "-storetype", "PKCS12",
                "-storepass", PASSWORD, "-keypass", PASSWORD);
        return store;
    }

    /** The certificate as PEM: its DER encoding in base64 (what {@code keytool -exportcert -rfc} writes). */
    private static Path exportCertificate(Path store, String alias) throws Exception {
        Certificate certificate = load(store).getCertificate(alias);
        return Files.writeString(dir.resolve(alias + ".crt"), pem("CERTIFICATE", certificate.getEncoded()));
    }

    /** keytool cannot write a private key; PKCS#8 PEM is the key's DER encoding in base64. */
    private static Path exportPrivateKey(Path store, String alias) throws Exception {
        Key key = load(store).getKey(alias, PASSWORD.toCharArray());
        return Files.writeString(dir.resolve(alias + ".key"), pem("PRIVATE KEY", key.getEncoded()));
    }

    private static KeyStore load(Path store) throws Exception {
        KeyStore keyStore = KeyStore.getInstance("PKCS12");
        try (InputStream in = Files.newInputStream(store)) {
            keyStore.load(in, PASSWORD.toCharArray());
        }
        return keyStore;
    }

    private static String pem(String type, byte[] der) {
        return "-----BEGIN " + type + "-----\n"
                + Base64.getMimeEncoder(64, "\n".getBytes(StandardCharsets.US_ASCII)).encodeToString(der)
                + "\n-----END " + type + "-----\n";
    }

    private static String keytool() {
        return Path.of(System.getProperty("java.home"), "bin", "keytool").toString();
    }

    private static void run(String... command) throws Exception {
        Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
        String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (!process.waitFor(30, TimeUnit.SECONDS) || process.exitValue() != 0) {
            throw new IllegalStateException(String.join(" ", command) + " failed: " + output);
        }
    }
}
