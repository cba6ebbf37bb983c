package io.dynamo.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.dynamo.spi.PluginConfig;
import io.dynamo.spi.transport.Endpoint;
import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A start that fails, after its storage engine created its partition maps or before, leaves
 * them closed, and so does a SIGTERM right after a node recovered its maps: the next start of
 * the same data directory recovers nothing. Real node processes (chronicle storage, tcp on 127.0.0.1).
 */
class StartStopProcessesTest {
    private static final PluginConfig NO_SETTINGS = PluginConfig.empty(Connections.TRANSPORT);

    @TempDir Path directory;

    @Test
    void aFailedStartClosesWhatItOpenedSoTheNextStartIsClean() throws Exception {
        int port = InProcessNodes.freePorts(1).get(0);
        String settings = settings(port);
        Path config = directory.resolve("node-1.properties");
        Files.writeString(config, settings);

        // 1. The port is taken: the node creates its maps, then cannot bind.
        Path portTaken = directory.resolve("port-taken.log");
        try (ServerSocket taken = new ServerSocket(port, 1, InetAddress.getLoopbackAddress())) {
            assertNotEquals(0, runToExit(config, portTaken), () -> read(portTaken));
        }
        assertReportedLastAndFirst(portTaken, "cannot bind");

        // 2. A misspelt transport key: refused, naming it, before the maps are opened.
        Path misspelt = directory.resolve("node-1-misspelt.properties");
        Files.writeString(misspelt, settings + "tcp.max-frame-sise=32MiB\n");
        Path misspeltLog = directory.resolve("misspelt.log");
        assertNotEquals(0, runToExit(misspelt, misspeltLog), () -> read(misspeltLog));
        assertReportedLastAndFirst(misspeltLog, "tcp.max-frame-sise");
        assertFalse(read(misspeltLog).toLowerCase(Locale.ROOT).contains("recover"), () -> read(misspeltLog));

        // 3. Started again as it should be: nothing to recover, and it stops cleanly.
        assertStartsCleanAndStops(config, port, directory.resolve("clean.log"));
    }

    @Test
    void aSigtermRightAfterARecoveryRestartStopsCleanly() throws Exception {
        int port = InProcessNodes.freePorts(1).get(0);
        Path config = directory.resolve("node-1.properties");
        Files.writeString(config, settings(port));
        Endpoint endpoint = new Endpoint("127.0.0.1:" + port);

        // A node killed with SIGKILL leaves its maps open: its next start recovers them.
        Path firstLog = directory.resolve("first.log");
        Process first = NodeProcesses.start(config, firstLog);
        try {
            awaitAnswer(endpoint, first, firstLog);
        } finally {
            first.destroyForcibly();
            first.waitFor(60, TimeUnit.SECONDS);
        }

        // The restarted node recovers its maps; SIGTERM as soon as it answers.
        Path recoveringLog = directory.resolve("recovering.log");
        Process recovering = NodeProcesses.start(config, recoveringLog);
        try {
            awaitAnswer(endpoint, recovering, recoveringLog);
        } finally {
            assertTrue(NodeProcesses.stop(recovering.toHandle(), Duration.ofSeconds(60)), () -> read(recoveringLog));
        }
        String stopped = read(recoveringLog);
        String nodeLog = read(directory.resolve("node-1").resolve("dynamo.log"));
        assertTrue(nodeLog.contains("recovered: the last process stopped"), nodeLog); // the one-line summary
        assertFalse(stopped.contains("ERROR") || stopped.contains("Exception"), stopped);

        assertStartsCleanAndStops(config, port, directory.resolve("clean.log"));
    }

    private String settings(int port) {
        return "node.id=node-1\n"
                + "node.listen=127.0.0.1:" + port + "\n"
                + "cluster.members=node-1@127.0.0.1:" + port + "\n"
                + "cluster.partitions=8\n"
                + "node.data-dir=" + directory.resolve("node-1") + "\n"
                + "node.plugins-dir=" + directory.resolve("plugins") + "\n";
    }

    /** Starts the node, which recovers nothing and logs no error, waits until it answers, stops it with SIGTERM. */
    private static void assertStartsCleanAndStops(Path config, int port, Path consoleLog) throws InterruptedException {
        Process node = NodeProcesses.start(config, consoleLog);
        try {
            awaitAnswer(new Endpoint("127.0.0.1:" + port), node, consoleLog);
        } finally {
            assertTrue(NodeProcesses.stop(node.toHandle(), Duration.ofSeconds(60)), () -> read(consoleLog));
        }
        node.waitFor();
        String clean = read(consoleLog);
        assertFalse(clean.toLowerCase(Locale.ROOT).contains("recover"), clean);
        assertFalse(clean.contains("ERROR"), clean);
        // no secret: the node says once that it serves unauthenticated requests on loopback only
        assertEquals(1, clean.lines().filter(line -> line.contains("accepts unauthenticated requests")).count(), clean);
    }


    /**
     * The reason the start failed is the console's last line (what {@code cluster start} shows)
     * and its first line that speaks of an error.
     */
    private static void assertReportedLastAndFirst(Path consoleLog, String reason) throws IOException {
        List<String> lines = Files.readAllLines(consoleLog);
        String last = lines.get(lines.size() - 1);
        assertTrue(last.contains(reason), () -> read(consoleLog));
        String firstError = lines.stream().filter(line -> line.toLowerCase(Locale.ROOT).contains("error")).findFirst()
                .orElseThrow();
        assertEquals(last, firstError, () -> read(consoleLog));
    }

    private static int runToExit(Path config, Path consoleLog) throws InterruptedException {
        Process process = NodeProcesses.start(config, consoleLog);
        if (!process.waitFor(180, TimeUnit.SECONDS)) {
            process.destroyForcibly();
            throw new AssertionError("the node did not exit within 180 s: " + read(consoleLog));
        }
        return process.exitValue();
    }

    private static void awaitAnswer(Endpoint endpoint, Process process, Path consoleLog) throws InterruptedException {
        long deadline = System.nanoTime() + Duration.ofSeconds(120).toNanos();
        try (NodeProbe probe = Connections.probe(NO_SETTINGS)) {
            while (!probe.answers(endpoint, Duration.ofSeconds(1))) {
                assertTrue(process.isAlive(), () -> "the node exited: " + read(consoleLog));
                assertTrue(System.nanoTime() < deadline, () -> "the node did not answer: " + read(consoleLog));
                Thread.sleep(200);
            }
        }
    }

    private static String read(Path file) {
        try {
            return Files.readString(file);
        } catch (IOException e) {
            return "(" + file + " unreadable: " + e + ")";
        }
    }
}
