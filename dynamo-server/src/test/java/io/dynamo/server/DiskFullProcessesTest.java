package io.dynamo.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.dynamo.api.Bytes;
import io.dynamo.api.Context;
import io.dynamo.api.DynamoException;
import io.dynamo.api.DynamoStore;
import io.dynamo.api.ReadResult;
import io.dynamo.api.RequestOptions;
import io.dynamo.core.config.NodeConfig;
import io.dynamo.spi.PluginConfig;
import io.dynamo.spi.transport.Endpoint;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue 11's full disk, with real processes: three node JVMs (chronicle storage, tcp) whose data
 * directories each sit on a small tmpfs this test mounts (needs root, as CI has; otherwise
 * skipped with a printed reason). Writes go on until the nodes refuse them; then every
 * acknowledged write is readable, the refusal says "disk full", reads are served, writes are
 * taken again once two nodes get space back, SIGTERM stops every node within its grace period
 * (one of them still full), and after a restart every acknowledged write is still there.
 */
@Timeout(value = 180, unit = TimeUnit.SECONDS)
class DiskFullProcessesTest {
    private static final int NODES = 3;
    private static final int DISK_MIB = 16;
    private static final int VALUE_BYTES = 16 * 1024;
    private static final Duration GRACE = Duration.ofSeconds(20);
    private static final RequestOptions QUORUM_2 = RequestOptions.quorum(2).withTimeout(Duration.ofSeconds(10));
    private static final PluginConfig NO_SETTINGS = PluginConfig.empty(Connections.TRANSPORT);

    @TempDir Path directory;

    @Test
    void aFullDiskRefusesWritesLosesNothingServesReadsRecoversAndStops() throws Exception {
        String reason = unavailableReason();
        List<Path> mounts = new ArrayList<>();
        List<Process> nodes = new ArrayList<>();
        try {
            if (reason == null) {
                try {
                    for (int i = 1; i <= NODES; i++) {
                        Path mountPoint = Files.createDirectories(directory.resolve("disk-" + i));
                        run("mount", "-t", "tmpfs", "-o", "size=" + DISK_MIB + "m", "tmpfs", mountPoint.toString());
                        mounts.add(mountPoint);
                    }
                } catch (IOException e) {
                    reason = "the disk-full process test cannot mount a small tmpfs (" + e.getMessage() + "); skipped";
                }
            }
            if (reason != null) {
                System.out.println(reason);
            }
            assumeTrue(reason == null, reason);

            List<Integer> ports = InProcessNodes.freePorts(NODES);
            List<Path> configs = writeConfigs(ports, mounts);
            List<Endpoint> endpoints = ports.stream().map(p -> new Endpoint("127.0.0.1:" + p)).toList();
            for (int i = 0; i < NODES; i++) {
                nodes.add(NodeProcesses.start(configs.get(i), consoleLog(i)));
            }
            long started = System.nanoTime();
            awaitAnswers(endpoints, nodes);
            List<String> steps = new ArrayList<>();
            steps.add("started in " + millisSince(started) + " ms");

            Map<String, Bytes> acknowledged = new LinkedHashMap<>();
            try (DynamoStore store = Connections.storeOpener().open(endpoints, Duration.ofSeconds(10), NO_SETTINGS)) {
                long filling = System.nanoTime();
                DynamoException refused = writeUntilDiskFull(store, acknowledged);
                steps.add(acknowledged.size() + " writes acknowledged, then refused after " + millisSince(filling)
                        + " ms: " + refused.getMessage());
                assertTrue(refused.getMessage().contains("disk full"), refused.getMessage());
                assertTrue(acknowledged.size() > 50, "refused after only " + acknowledged.size() + " writes");
                assertReadable(store, acknowledged); // reads are served while the disks are full

                // space returns on two of the three nodes (W=2): writes are taken again, no restart
                run("mount", "-o", "remount,size=64m", mounts.get(0).toString());
                run("mount", "-o", "remount,size=64m", mounts.get(1).toString());
                long freed = System.nanoTime();
                writeOnceSpaceReturns(store, acknowledged);
                steps.add("a write taken " + millisSince(freed) + " ms after space returned");
                assertReadable(store, acknowledged);
            }

            long stopping = System.nanoTime();
            nodes.forEach(Process::destroy); // SIGTERM to all three; node-3's disk is still full
            for (int i = 0; i < NODES; i++) {
                assertTrue(nodes.get(i).waitFor(GRACE.toMillis(), TimeUnit.MILLISECONDS),
                        "node-" + (i + 1) + " did not exit within " + GRACE + " of SIGTERM: "
                                + NodeProcesses.tail(consoleLog(i), 20));
            }
            steps.add("all stopped " + millisSince(stopping) + " ms after SIGTERM");
            nodes.clear();

            for (int i = 0; i < NODES; i++) {
                nodes.add(NodeProcesses.start(configs.get(i), consoleLog(i)));
            }
            long restarting = System.nanoTime();
            awaitAnswers(endpoints, nodes);
            steps.add("restarted in " + millisSince(restarting) + " ms");
            try (DynamoStore store = Connections.storeOpener().open(endpoints, Duration.ofSeconds(10), NO_SETTINGS)) {
                assertReadable(store, acknowledged);
            }
            System.out.println("disk full over tcp: " + String.join("; ", steps));
        } finally {
            for (Process node : nodes) {
                node.destroyForcibly();
                node.waitFor(30, TimeUnit.SECONDS);
            }
            for (Path mount : mounts) {
                run("umount", "-l", mount.toString());
            }
        }
    }

    /**
     * A node whose start fails after it opened its storage (here: its port is taken) closes the
     * storage before it exits, so the next start opens every map as cleanly closed, with no
     * recovery. Needs no root.
     */
    @Test
    void aStartThatFailsClosesItsStorageSoTheNextStartIsClean() throws Exception {
        Path data = directory.resolve("alone");
        Path config = directory.resolve("alone.properties");
        Path console = directory.resolve("alone.console.log");
        Process node = null;
        try (java.net.ServerSocket taken = new java.net.ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
            int port = taken.getLocalPort();
            ClusterDirectory.write(config, String.join("\n",
                    NodeConfig.NODE_ID + "=node-1",
                    NodeConfig.CLUSTER_MEMBERS + "=node-1@127.0.0.1:" + port,
                    NodeConfig.NODE_DATA_DIR + "=" + data,
                    NodeConfig.NODE_PLUGINS_DIR + "=" + directory.resolve("plugins"),
                    NodeConfig.CLUSTER_PARTITIONS + "=16",
                    "chronicle.entries-per-partition=1000", ""));
            Process failing = NodeProcesses.start(config, console);
            assertTrue(failing.waitFor(120, TimeUnit.SECONDS), "the node did not give up on a taken port");
            assertTrue(failing.exitValue() != 0, "exit " + failing.exitValue());
            taken.close();

            node = NodeProcesses.start(config, console);
            Process started = node;
            try (NodeProbe probe = Connections.probe(NO_SETTINGS)) {
                long deadline = System.nanoTime() + Duration.ofSeconds(120).toNanos();
                while (!probe.answers(new Endpoint("127.0.0.1:" + port), Duration.ofSeconds(1))) {
                    assertTrue(started.isAlive(), () -> "exited: " + NodeProcesses.tail(console, 20));
                    assertTrue(System.nanoTime() < deadline, "the node did not answer");
                    Thread.sleep(200);
                }
            }
            List<String> opened = Files.readAllLines(data.resolve("dynamo.log")).stream()
                    .filter(line -> line.contains("partition map(s)")).toList();
            assertEquals(2, opened.size(), opened.toString()); // the failed start, then this one
            assertTrue(opened.stream().noneMatch(line -> line.contains("recovered")), opened.toString());
            assertTrue(NodeProcesses.stop(node.toHandle(), GRACE), "did not stop within " + GRACE);
        } finally {
            if (node != null) {
                node.destroyForcibly();
                node.waitFor(30, TimeUnit.SECONDS);
            }
        }
    }

    private List<Path> writeConfigs(List<Integer> ports, List<Path> mounts) {
        StringBuilder members = new StringBuilder();
        for (int i = 0; i < NODES; i++) {
            members.append(i == 0 ? "" : ",").append("node-").append(i + 1).append("@127.0.0.1:").append(ports.get(i));
        }
        List<Path> configs = new ArrayList<>();
        for (int i = 0; i < NODES; i++) {
            Map<String, String> config = new LinkedHashMap<>();
            config.put(NodeConfig.NODE_ID, "node-" + (i + 1));
            config.put(NodeConfig.CLUSTER_MEMBERS, members.toString());
            config.put(NodeConfig.NODE_DATA_DIR, dataDirectory(i).toString());
            config.put(NodeConfig.NODE_PLUGINS_DIR, directory.resolve("plugins").toString());
            // 17 maps of ~184 KiB each at start, then growth: the 16 MiB disk fills after a few MB of values
            config.put(NodeConfig.CLUSTER_PARTITIONS, "16");
            config.put("chronicle.entries-per-partition", "1000");
            config.put("chronicle.min-free-space", "4m");
            config.put(NodeConfig.REPLICATION_N, "3");
            config.put(NodeConfig.REPLICATION_R, "2");
            config.put(NodeConfig.REPLICATION_W, "2");
            // a loaded test machine is slow
            config.put(NodeConfig.REPLICATION_TIMEOUT, "10s");
            StringBuilder text = new StringBuilder();
            config.forEach((k, v) -> text.append(k).append('=').append(v).append('\n'));
            Path file = directory.resolve("node-" + (i + 1) + ".properties");
            ClusterDirectory.write(file, text.toString());
            configs.add(file);
        }
        return configs;
    }

    /** Writes new keys until a write is refused for lack of disk; keeps every acknowledged one. */
    private static DynamoException writeUntilDiskFull(DynamoStore store, Map<String, Bytes> acknowledged) {
        List<String> otherFailures = new ArrayList<>();
        for (int n = 0; n < 20_000; n++) {
            String key = "key-" + n;
            Bytes value = value(n);
            try {
                store.put(Bytes.utf8(key), value, Context.EMPTY, QUORUM_2);
                acknowledged.put(key, value);
            } catch (DynamoException e) {
                if (e.getMessage() != null && e.getMessage().contains("disk full")) {
                    return e;
                }
                otherFailures.add(e.toString());
            }
        }
        throw new AssertionError("20,000 writes of " + VALUE_BYTES + " bytes on " + DISK_MIB + " MiB disks and no "
                + "\"disk full\"; other failures: " + otherFailures.subList(0, Math.min(5, otherFailures.size())));
    }

    private static void writeOnceSpaceReturns(DynamoStore store, Map<String, Bytes> acknowledged) {
        long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
        DynamoException last = null;
        for (int n = 1_000_000; System.nanoTime() < deadline; n++) {
            String key = "after-" + n;
            Bytes value = value(n);
            try {
                store.put(Bytes.utf8(key), value, Context.EMPTY, QUORUM_2);
                acknowledged.put(key, value);
                return;
            } catch (DynamoException e) {
                last = e; // a key whose coordinator is the still-full node, or the floor not yet re-read
            }
        }
        throw new AssertionError("space returned on two nodes but no write was taken: " + last);
    }

    private static void assertReadable(DynamoStore store, Map<String, Bytes> acknowledged) {
        List<String> missing = new ArrayList<>();
        for (Map.Entry<String, Bytes> entry : acknowledged.entrySet()) {
            ReadResult read = readWithRetries(store, entry.getKey());
            if (read == null || !read.values().contains(entry.getValue())) {
                missing.add(entry.getKey());
            }
        }
        assertEquals(List.of(), missing, "acknowledged writes not readable (of " + acknowledged.size() + ")");
    }

    /** A read at R=2; a failure to reach the quorum (a busy machine) is retried, a wrong answer is not. */
    private static ReadResult readWithRetries(DynamoStore store, String key) {
        DynamoException last = null;
        for (int attempt = 0; attempt < 5; attempt++) {
            try {
                return store.get(Bytes.utf8(key), QUORUM_2);
            } catch (DynamoException e) {
                last = e;
            }
        }
        throw new AssertionError("reading " + key + " failed 5 times: " + last, last);
    }

    private void awaitAnswers(List<Endpoint> endpoints, List<Process> nodes) throws InterruptedException {
        long deadline = System.nanoTime() + Duration.ofSeconds(120).toNanos();
        try (NodeProbe probe = Connections.probe(NO_SETTINGS)) {
            for (int i = 0; i < endpoints.size(); i++) {
                while (!probe.answers(endpoints.get(i), Duration.ofSeconds(1))) {
                    int index = i;
                    assertTrue(nodes.get(i).isAlive(), () -> "node-" + (index + 1) + " exited: "
                            + NodeProcesses.tail(consoleLog(index), 20) + " "
                            + NodeProcesses.tail(dataDirectory(index).resolve("dynamo.log"), 20));
                    assertTrue(System.nanoTime() < deadline, "node-" + (i + 1) + " did not answer");
                    Thread.sleep(200);
                }
            }
        }
    }

    private static long millisSince(long nanos) {
        return (System.nanoTime() - nanos) / 1_000_000;
    }

    private Path dataDirectory(int index) {
        return directory.resolve("disk-" + (index + 1)).resolve("data");
    }

    private Path consoleLog(int index) {
        return directory.resolve("node-" + (index + 1) + ".console.log");
    }

    private static Bytes value(int n) {
        byte[] bytes = new byte[VALUE_BYTES];
        java.util.Arrays.fill(bytes, (byte) ('a' + n % 26));
        bytes[0] = (byte) n;
        bytes[1] = (byte) (n >> 8);
        bytes[2] = (byte) (n >> 16);
        return Bytes.of(bytes);
    }

    private static String unavailableReason() {
        if (!System.getProperty("os.name", "").toLowerCase().contains("linux")) {
            return "the disk-full process test needs Linux to mount a small tmpfs; skipped";
        }
        try {
            String uid = run("id", "-u").trim();
            return uid.equals("0") ? null
                    : "the disk-full process test needs root to mount a small filesystem (uid " + uid + "); skipped";
        } catch (IOException e) {
            return "the disk-full process test cannot tell the user id (" + e.getMessage() + "); skipped";
        }
    }

    private static String run(String... command) throws IOException {
        Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
        try {
            String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            if (!process.waitFor(30, TimeUnit.SECONDS) || process.exitValue() != 0) {
                throw new IOException(String.join(" ", command) + " failed: " + output.trim());
            }
            return output;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted: " + String.join(" ", command), e);
        }
    }
}
