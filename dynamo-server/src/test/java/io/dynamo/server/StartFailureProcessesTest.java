package io.dynamo.server;

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
 * them closed: the next start of the same data directory recovers nothing. Real node processes
 * (chronicle storage, tcp on 127.0.0.1).
 */
class StartFailureProcessesTest {
    private static final PluginConfig NO_SETTINGS = PluginConfig.empty(Connections.TRANSPORT);

    @TempDir Path directory;

    @Test
    void aFailedStartClosesWhatItOpenedSoTheNextStartIsClean() throws Exception {
        int port = InProcessNodes.freePorts(1).get(0);
        String settings = "node.id=node-1\n"
                + "node.listen=127.0.0.1:" + port + "\n"
                + "cluster.members=node-1@127.0.0.1:" + port + "\n"
                + "cluster.partitions=8\n"
                + "node.data-dir=" + directory.resolve("node-1") + "\n"
                + "node.plugins-dir=" + directory.resolve("plugins") + "\n";
        Path config = directory.resolve("node-1.properties");
        Files.writeString(config, settings);

        // 1. The port is taken: the node creates its maps, then cannot bind.
        Path portTaken = directory.resolve("port-taken.log");
        try (ServerSocket taken = new ServerSocket(port, 1, InetAddress.getLoopbackAddress())) {
            assertNotEquals(0, runToExit(config, portTaken), () -> read(portTaken));
        }
        List<String> lines = Files.readAllLines(portTaken);
        assertTrue(lines.get(lines.size() - 1).contains("cannot bind"), () -> read(portTaken));

        // 2. A misspelt transport key: refused, naming it, before the maps are opened.
        Path misspelt = directory.resolve("node-1-misspelt.properties");
        Files.writeString(misspelt, settings + "tcp.max-frame-sise=32MiB\n");
        Path misspeltLog = directory.resolve("misspelt.log");
        assertNotEquals(0, runToExit(misspelt, misspeltLog), () -> read(misspeltLog));
        assertTrue(read(misspeltLog).contains("tcp.max-frame-sise"), () -> read(misspeltLog));
        assertFalse(read(misspeltLog).toLowerCase(Locale.ROOT).contains("recover"), () -> read(misspeltLog));

        // 3. Started again as it should be: nothing to recover, and it stops cleanly.
        Path cleanLog = directory.resolve("clean.log");
        Process node = NodeProcesses.start(config, cleanLog);
        try {
            awaitAnswer(new Endpoint("127.0.0.1:" + port), node, cleanLog);
        } finally {
            assertTrue(NodeProcesses.stop(node.toHandle(), Duration.ofSeconds(60)), () -> read(cleanLog));
        }
        node.waitFor();
        String clean = read(cleanLog);
        assertFalse(clean.toLowerCase(Locale.ROOT).contains("recover"), clean);
        assertFalse(clean.contains("ERROR"), clean);
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
