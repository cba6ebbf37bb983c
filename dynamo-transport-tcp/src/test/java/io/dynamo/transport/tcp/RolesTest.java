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
import io.dynamo.spi.transport.RequestHandler;
import io.dynamo.spi.transport.Role;
import io.dynamo.spi.transport.TransportException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * The secret a caller proves decides the role its requests reach the handler with: the peer
 * secret ({@code tcp.secret}) a peer, {@code tcp.client-secret} a client, {@code tcp.admin-secret}
 * an admin. A client or admin process dials with its own secret in {@code tcp.secret}.
 */
@Timeout(value = 30, unit = TimeUnit.SECONDS)
class RolesTest {
    private static final Duration TIMEOUT = Duration.ofSeconds(5);
    private static final Map<String, String> NODE = Map.of("secret", "peer secret",
            "client-secret", "client secret", "admin-secret", "admin secret");

    private final List<TcpTransport> transports = new ArrayList<>();
    private final List<Role> roles = new CopyOnWriteArrayList<>();

    @AfterEach
    void close() {
        transports.forEach(TcpTransport::close);
    }

    private TcpTransport transport(String name, Map<String, String> settings) {
        TcpTransport transport = Transports.create(name, settings);
        transports.add(transport);
        return transport;
    }

    /** A server whose handler records the role of every caller; the role-less entry point must never be used. */
    private Endpoint server(Map<String, String> settings) {
        return transport("server", settings).bind(Transports.ANY_LOOPBACK_PORT, new RequestHandler() {
            @Override
            public CompletableFuture<byte[]> handle(byte[] request) {
                throw new AssertionError("the tcp transport must hand every request in with its caller's role");
            }

            @Override
            public CompletableFuture<byte[]> handle(Role caller, byte[] request) {
                roles.add(caller);
                return CompletableFuture.completedFuture(utf8(caller.name()));
            }
        });
    }

    private String roleOf(Endpoint server, String dialingSecret) throws Exception {
        Map<String, String> settings = dialingSecret == null ? Map.of() : Map.of("secret", dialingSecret);
        return await(transport("caller", settings).request(server, utf8("who am I"), TIMEOUT));
    }

    @Test
    void clientSecretMakesAClient() throws Exception {
        assertEquals("CLIENT", roleOf(server(NODE), "client secret"));
    }

    @Test
    void adminSecretMakesAnAdmin() throws Exception {
        assertEquals("ADMIN", roleOf(server(NODE), "admin secret"));
    }

    @Test
    void peerSecretMakesAPeer() throws Exception {
        assertEquals("PEER", roleOf(server(NODE), "peer secret"));
    }

    @Test
    void everyRequestOfAConnectionCarriesItsRole() throws Exception {
        Endpoint server = server(NODE);
        TcpTransport client = transport("client", Map.of("secret", "client secret", "connections-per-peer", "1"));
        for (int i = 0; i < 20; i++) {
            assertEquals("CLIENT", await(client.request(server, utf8("r" + i), TIMEOUT)));
        }
        assertEquals(20, roles.size());
        assertTrue(roles.stream().allMatch(Role.CLIENT::equals), roles.toString());
    }

    @Test
    void wrongSecretIsRefused() throws Exception {
        Endpoint server = server(NODE);
        Throwable failure = failureOf(transport("caller", Map.of("secret", "a guess")).request(server, utf8("hi"), TIMEOUT));
        assertInstanceOf(TransportException.class, failure);
        assertTrue(failure.getMessage().contains("wrong cluster secret"), failure.getMessage());
        assertTrue(roles.isEmpty(), "the handler ran for a caller with a wrong secret");
    }

    @Test
    void callerWithoutASecretIsRefusedByANodeWithRoles() throws Exception {
        Endpoint server = server(NODE);
        Throwable failure = failureOf(transport("caller", Map.of()).request(server, utf8("hi"), TIMEOUT));
        assertTrue(failure.getMessage().contains("requires a cluster secret"), failure.getMessage());
        assertTrue(roles.isEmpty());
    }

    @Test
    void withOnlyThePeerSecretItsHoldersArePeers() throws Exception {
        Map<String, String> onlyPeer = Map.of("secret", "peer secret");
        Endpoint server = server(onlyPeer);
        assertTrue(transports.get(0).authenticates());
        assertEquals("PEER", roleOf(server, "peer secret"));
    }

    @Test
    void withNoSecretEveryCallerIsAPeerAndNothingIsAuthenticated() throws Exception {
        Endpoint server = server(Map.of());
        assertFalse(transports.get(0).authenticates());
        assertEquals("PEER", roleOf(server, null));
    }

    @Test
    void rolesAuthenticate() {
        assertTrue(transport("node", NODE).authenticates());
    }

    @Test
    void secretsFromFiles(@TempDir Path dir) throws Exception {
        Endpoint server = server(Map.of("secret-file", Files.writeString(dir.resolve("peer"), "peer secret\n").toString(),
                "client-secret-file", Files.writeString(dir.resolve("client"), "client secret\n").toString(),
                "admin-secret-file", Files.writeString(dir.resolve("admin"), "admin secret\n").toString()));
        assertEquals("CLIENT", roleOf(server, "client secret"));
        assertEquals("ADMIN", roleOf(server, "admin secret"));
        assertEquals("PEER", roleOf(server, "peer secret"));
    }

    @Test
    void equalSecretsAreAConfigErrorNamingBothKeys() {
        ConfigException e = assertThrows(ConfigException.class, () -> Transports.create("x",
                Map.of("secret", "same", "client-secret", "same")));
        assertEquals("tcp.client-secret", e.key());
        assertTrue(e.getMessage().contains("tcp.secret"), e.getMessage());

        e = assertThrows(ConfigException.class, () -> Transports.create("x",
                Map.of("secret", "peer", "client-secret", "same", "admin-secret", "same")));
        assertEquals("tcp.admin-secret", e.key());
        assertTrue(e.getMessage().contains("tcp.client-secret"), e.getMessage());

        e = assertThrows(ConfigException.class, () -> Transports.create("x",
                Map.of("secret", "same", "admin-secret", "same")));
        assertEquals("tcp.admin-secret", e.key());
    }

    @Test
    void clientOrAdminSecretWithoutAPeerSecretIsAConfigError() {
        ConfigException e = assertThrows(ConfigException.class, () -> Transports.create("x",
                Map.of("client-secret", "client secret")));
        assertEquals("tcp.client-secret", e.key());
        assertTrue(e.getMessage().contains("tcp.secret"), e.getMessage());
        e = assertThrows(ConfigException.class, () -> Transports.create("x", Map.of("admin-secret", "admin secret")));
        assertEquals("tcp.admin-secret", e.key());
    }

    @Test
    void inlineAndFileTogetherAreAConfigError() {
        ConfigException e = assertThrows(ConfigException.class, () -> Transports.create("x",
                Map.of("secret", "p", "client-secret", "c", "client-secret-file", "/nonexistent")));
        assertEquals("tcp.client-secret", e.key());
    }

    @Test
    void emptyRoleSecretIsAConfigError() {
        ConfigException e = assertThrows(ConfigException.class, () -> Transports.create("x",
                Map.of("secret", "p", "admin-secret", "  ")));
        assertEquals("tcp.admin-secret", e.key());
    }
}
