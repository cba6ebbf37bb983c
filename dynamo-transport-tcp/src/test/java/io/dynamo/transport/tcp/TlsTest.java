package io.dynamo.transport.tcp;

import static io.dynamo.transport.tcp.Responses.await;
import static io.dynamo.transport.tcp.Responses.failureOf;
import static io.dynamo.transport.tcp.Responses.utf8;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.dynamo.spi.ConfigException;
import io.dynamo.spi.transport.Endpoint;
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
    void bytesOnTheWireAreNotPlainFrames() throws IOException {
        Endpoint server = server(clusterTls());
        try (Socket socket = new Socket("127.0.0.1", server.port())) {
            socket.setSoTimeout(2_000);
            socket.getOutputStream().write(RawFrames.frame(1, 1, utf8("plain")));
            InputStream in = socket.getInputStream();
            byte[] first = in.readNBytes(2);
            // either nothing (closed) or a TLS alert record, never our magic
            if (first.length == 2) {
                assertEquals(0x15, first[0] & 0xff, "a TLS alert record");
            }
        } catch (IOException expected) {
            // reset by the server: also fine
        }
        assertEquals(0, handled.get());
    }

    @Test
    void plainClientCannotTalkToATlsServer() throws Exception {
        Endpoint server = server(clusterTls());
        Throwable failure = failureOf(transport("client", Map.of("connect-timeout", "1s")).request(server, utf8("hi"), TIMEOUT));
        assertInstanceOf(TransportException.class, failure);
        assertEquals(0, handled.get());
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
