package io.dynamo.server;

import static org.junit.jupiter.api.Assertions.assertAll;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** What a user sees on mistakes: one line on stderr, a non-zero exit code, no stack trace. */
class CliUsageTest {
    @TempDir Path directory;

    @Test
    void helpListsTheCommands() {
        Cli.Result result = Cli.run("--help");
        assertEquals(0, result.exitCode(), result::toString);
        for (String command : new String[] {"server", "put", "get", "delete", "status", "cluster", "bench", "repair",
                "remove", "replace", "store"}) {
            assertTrue(result.out().contains(command), command + " missing from:\n" + result.out());
        }
    }

    @Test
    void storeWithoutSubcommandOrDropWithoutYesIsAUsageError() {
        Cli.Result bare = Cli.run("store");
        assertEquals(2, bare.exitCode(), bare::toString);
        assertTrue(bare.err().contains("missing subcommand: create, list, describe or drop"), bare::toString);
        Cli.Result drop = Cli.run("store", "drop", "carts", "--nodes", "127.0.0.1:1");
        assertEquals(2, drop.exitCode(), drop::toString);
        assertEquals("dynamo: dropping store carts deletes its data on every node; add --yes to do it"
                + " (see: dynamo store drop --help)\n", drop.err(), drop::toString);
    }

    @Test
    void everyCommandHasHelp() {
        for (String[] command : new String[][] {{"server"}, {"put"}, {"get"}, {"delete"}, {"status"}, {"cluster"},
                {"cluster", "start"}, {"cluster", "stop"}, {"bench"}, {"repair"}, {"plugins"}, {"remove"}, {"replace"},
                {"store"}, {"store", "create"}, {"store", "list"}, {"store", "describe"}, {"store", "drop"}}) {
            String[] args = java.util.stream.Stream.concat(java.util.Arrays.stream(command), java.util.stream.Stream.of("--help"))
                    .toArray(String[]::new);
            Cli.Result result = Cli.run(args);
            assertEquals(0, result.exitCode(), result::toString);
            assertTrue(result.out().startsWith("Usage: dynamo " + String.join(" ", command)), result::toString);
        }
    }

    @Test
    void removeWithoutForceIsAUsageError() {
        assertUsageError(Cli.run("remove", "node-3", "--nodes", "127.0.0.1:1"), "remove is for a node that will never"
                + " return: add --force (a node that runs hands its data over with: dynamo decommission node-3)");
    }

    @Test
    void unknownCommand() {
        assertUsageError(Cli.run("frobnicate"), "Unmatched argument at index 0: 'frobnicate'");
    }

    @Test
    void noCommand() {
        assertUsageError(Cli.run(), "missing command");
    }

    @Test
    void putWithoutValue() {
        assertUsageError(Cli.run("put", "k"), "Missing the value: give VALUE, or --value-file FILE (- for standard input)");
    }

    @Test
    void putWithAValueAndAValueFile() {
        assertUsageError(Cli.run("put", "k", "v", "--value-file", "-"), "give the value as VALUE or with --value-file, not both");
    }

    @Test
    void putOfAValueFileOverTheLimitSendsNothing() {
        // no --nodes reachable: the size is refused before any connection is tried
        assertUsageError(Cli.runWithInput(new byte[KeyValueCommands.Put.MAX_VALUE_SIZE + 1], "put", "k", "--value-file", "-",
                "--nodes", "127.0.0.1:1"), "--value-file - (standard input): the value is over the limit of "
                + KeyValueCommands.Put.MAX_VALUE_SIZE + " bytes (replication.max-value-size)");
    }

    @Test
    void putOfAMissingValueFile() {
        assertUsageError(Cli.run("put", "k", "--value-file", "/nonexistent/value.bin", "--nodes", "127.0.0.1:1"),
                "--value-file /nonexistent/value.bin: cannot read it");
    }

    @Test
    void deleteWithoutContext() {
        assertUsageError(Cli.run("delete", "k"), "Missing required option: '--context=CONTEXT'");
    }

    @Test
    void malformedContext() {
        assertUsageError(Cli.run("put", "k", "v", "--context", "not*base64"), "malformed context 'not*base64'");
    }

    @Test
    void malformedNodeAddress() {
        assertUsageError(Cli.run("get", "k", "--nodes", "localhost"), "--nodes: 'localhost' is not host:port");
    }

    @Test
    void malformedDuration() {
        assertUsageError(Cli.run("get", "k", "--timeout", "soon"), "'soon' is not a duration");
    }

    @Test
    void unknownWorkload() {
        assertUsageError(Cli.run("bench", "--workload", "z", "--nodes", "127.0.0.1:1"), "unknown workload 'z'; choose one of a, b, c");
    }

    @Test
    void serverWithoutConfig() {
        assertUsageError(Cli.run("server"), "give a config file (--config FILE) or at least --node-id");
    }

    @Test
    void serverWithABadSettingNamesTheKey() {
        assertUsageError(Cli.run("server", "--node-id", "n1", "--data-dir", directory.toString(), "-R", "7"),
                "replication.r");
    }

    @Test
    void serverWithAMisspeltSettingNamesIt() {
        assertUsageError(Cli.run("server", "--node-id", "n1", "--data-dir", directory.toString(),
                "--set", "replication.read-fannout=all"), "replication.read-fannout: unknown setting");
        // a plugin's own keys: a misspelt cluster secret must not start a node without one
        assertUsageError(Cli.run("server", "--node-id", "n1", "--data-dir", directory.toString(),
                "--set", "tcp.secret-fil=cluster.secret"), "tcp.secret-fil: unknown setting of transport 'tcp'");
    }

    @Test
    void serverWithAMissingConfigFile() {
        Cli.Result result = Cli.run("server", "--config", directory.resolve("absent.properties").toString());
        assertUsageError(result, "cannot read the config file");
    }

    @Test
    void clusterStopWithoutACluster() {
        Cli.Result result = Cli.run("cluster", "stop", "--dir", directory.toString());
        assertFailure(result, "no running cluster recorded in " + directory.toAbsolutePath());
    }

    @Test
    void clusterStartOnAPortInUse() throws IOException {
        try (ServerSocket taken = new ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
            Cli.Result result = Cli.run("cluster", "start", "--nodes", "1", "--dir", directory.toString(),
                    "--base-port", Integer.toString(taken.getLocalPort()));
            assertFailure(result, "port " + taken.getLocalPort() + " on 127.0.0.1 is in use");
        }
        assertFalse(Files.exists(directory.resolve("pids")));
    }

    @Test
    void clusterStartWithABadSetting() {
        Cli.Result result = Cli.run("cluster", "start", "--nodes", "2", "--dir", directory.toString(), "--base-port", "47001",
                "--set", "replication.n=5");
        assertUsageError(result, "replication.n");
    }

    @Test
    void requestToANodeThatIsNotThere() throws IOException {
        int port;
        try (ServerSocket socket = new ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
            port = socket.getLocalPort();
        }
        Cli.Result result = Cli.run("get", "k", "--nodes", "127.0.0.1:" + port, "--timeout", "500ms");
        assertFailure(result, "no node answered");
    }

    @Test
    void statusOfNodesThatAreDown() throws IOException {
        int port;
        try (ServerSocket socket = new ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
            port = socket.getLocalPort();
        }
        Cli.Result result = Cli.run("status", "--nodes", "127.0.0.1:" + port, "--timeout", "500ms");
        assertEquals(1, result.exitCode(), result::toString);
        assertTrue(result.out().contains("127.0.0.1:" + port) && result.out().contains("down"), result::toString);
        assertTrue(result.out().contains("1 node: 0 up, 1 down"), result::toString);
    }

    private static void assertUsageError(Cli.Result result, String expected) {
        assertAll(
                () -> assertEquals(2, result.exitCode(), result::toString),
                () -> assertTrue(result.err().contains(expected), "expected '" + expected + "' in\n" + result),
                () -> assertOneLine(result));
    }

    private static void assertFailure(Cli.Result result, String expected) {
        assertAll(
                () -> assertEquals(1, result.exitCode(), result::toString),
                () -> assertTrue(result.err().contains(expected), "expected '" + expected + "' in\n" + result),
                () -> assertOneLine(result));
    }

    private static void assertOneLine(Cli.Result result) {
        assertEquals(1, result.err().lines().count(), "not one line:\n" + result);
        assertFalse(result.err().contains("\tat "), "stack trace:\n" + result);
    }
}
