package io.dynamo.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Client commands against three nodes that require a cluster secret (tcp, in this JVM). */
class CliSecretTest {
    @TempDir static Path directory;
    private static InProcessNodes nodes;
    private static Path wrongSecret;
    private static Path clientSecret;
    private static Path adminSecret;

    @BeforeAll
    static void startNodes() throws IOException {
        Path secret = Files.writeString(directory.resolve("cluster.secret"), "correct horse battery staple\n");
        wrongSecret = Files.writeString(directory.resolve("wrong.secret"), "incorrect horse\n");
        clientSecret = Files.writeString(directory.resolve("client.secret"), "client horse\n");
        adminSecret = Files.writeString(directory.resolve("admin.secret"), "admin horse\n");
        nodes = InProcessNodes.start(3, directory, Map.of("storage", "memory", "tcp.secret-file", secret.toString(),
                "tcp.client-secret-file", clientSecret.toString(), "tcp.admin-secret-file", adminSecret.toString()));
    }

    @AfterAll
    static void stopNodes() {
        if (nodes != null) {
            nodes.close();
        }
    }

    @Test
    void theNodeConfigsSecretLetsTheClientIn() {
        String config = nodes.config(0).toString();
        Cli.Result put = Cli.run("put", "k", "v", "--nodes", nodes.nodesOption(), "--config", config);
        assertEquals(0, put.exitCode(), put::toString);
        Cli.Result get = Cli.run("get", "k", "--nodes", nodes.nodesOption(), "--config", config);
        assertEquals(0, get.exitCode(), get::toString);
        assertTrue(get.out().startsWith("value: v\n"), get::toString);
        Cli.Result status = Cli.run("status", "--config", config);
        assertEquals(0, status.exitCode(), status::toString);
        assertTrue(status.out().contains("3 nodes: 3 up, 0 down"), status::toString);
    }

    @Test
    void aWrongSecretIsOneClearLine() {
        Cli.Result get = Cli.run("get", "k", "--nodes", nodes.nodesOption(), "--set", "tcp.secret-file=" + wrongSecret);
        assertEquals(DynamoCli.FAILURE, get.exitCode(), get::toString);
        assertEquals("", get.out());
        assertEquals(1, get.err().lines().count(), get::toString);
        assertTrue(get.err().startsWith("dynamo get: error: "), get::toString);
        assertTrue(get.err().contains("wrong cluster secret"), get::toString);
    }

    @Test
    void noSecretIsOneClearLine() {
        Cli.Result put = Cli.run("put", "k", "v", "--nodes", nodes.nodesOption());
        assertEquals(DynamoCli.FAILURE, put.exitCode(), put::toString);
        assertEquals(1, put.err().lines().count(), put::toString);
        assertTrue(put.err().contains("requires a cluster secret"), put::toString);
    }

    @Test
    void theClientSecretReadsAndWritesButOnlyTheAdminSecretRepairs() {
        String client = "tcp.secret-file=" + clientSecret;
        Cli.Result put = Cli.run("put", "k2", "v", "--nodes", nodes.nodesOption(), "--set", client);
        assertEquals(0, put.exitCode(), put::toString);
        Cli.Result get = Cli.run("get", "k2", "--nodes", nodes.nodesOption(), "--set", client);
        assertTrue(get.out().startsWith("value: v\n"), get::toString);

        Cli.Result refused = Cli.run("repair", "--node", nodes.address(0), "--set", client);
        assertEquals(DynamoCli.FAILURE, refused.exitCode(), refused::toString);
        assertEquals(1, refused.err().lines().count(), refused::toString);
        assertTrue(refused.err().contains("a client connection may not send Repair: it needs the admin credential"),
                refused::toString);

        Cli.Result repair = Cli.run("repair", "--node", nodes.address(0), "--set", "tcp.secret-file=" + adminSecret);
        assertEquals(0, repair.exitCode(), repair::toString);
    }

    @Test
    void aSettingOutsideTheTransportIsAUsageError() {
        Cli.Result get = Cli.run("get", "k", "--nodes", nodes.nodesOption(), "--set", "storage=memory");
        assertEquals(DynamoCli.USAGE, get.exitCode(), get::toString);
        assertEquals(1, get.err().lines().count(), get::toString);
        assertTrue(get.err().contains("--set storage: a client command takes only the transport's tcp.* keys"), get::toString);
    }
}
