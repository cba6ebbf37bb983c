package io.dynamo.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.dynamo.api.Bytes;
import io.dynamo.api.Context;
import io.dynamo.api.DynamoException;
import io.dynamo.api.ReadResult;
import io.dynamo.api.RequestOptions;
import io.dynamo.core.client.DynamoClient;
import io.dynamo.core.membership.GossipState;
import io.dynamo.core.membership.MemberState;
import io.dynamo.core.membership.RingState;
import io.dynamo.spi.PluginConfig;
import io.dynamo.spi.transport.Endpoint;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Predicate;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue 6's join and decommission scenario with real processes over TCP: three node JVMs from
 * {@code dynamo cluster start}, a fourth started from a node config with {@code membership.join}
 * (what {@code dynamo join --seed} sets) while a client thread writes and reads; afterwards every
 * acknowledged write is readable at R=N and the new node owns a quarter of the partitions
 * ({@code dynamo status} shows it). Then {@code dynamo decommission node-4} under the same load,
 * with the same assertions. Every process is stopped in {@code finally}.
 */
class JoinDecommissionProcessesTest {
    private static final int PARTITIONS = 32;
    private static final Duration REQUEST_TIMEOUT = Duration.ofSeconds(10);
    private static final RequestOptions QUORUM_2 = RequestOptions.quorum(2).withTimeout(REQUEST_TIMEOUT);
    private static final RequestOptions ALL_3 = RequestOptions.quorum(3).withTimeout(REQUEST_TIMEOUT);
    private static final PluginConfig NO_SETTINGS = PluginConfig.empty(Connections.TRANSPORT);
    /** A loaded 2-core machine starts JVMs and moves partitions slowly: generous upper bounds, not expectations. */
    private static final Duration CHANGE_LIMIT = Duration.ofSeconds(90);

    @TempDir Path directory;

    /** A client thread that writes fresh keys at W=2 and reads earlier acknowledged ones at R=2. */
    private static final class Load implements Runnable {
        final Map<String, String> acknowledged = new ConcurrentHashMap<>();
        final List<String> keys = Collections.synchronizedList(new ArrayList<>());
        final AtomicInteger writes = new AtomicInteger();
        final AtomicInteger unacknowledged = new AtomicInteger();
        final AtomicInteger reads = new AtomicInteger();
        final AtomicInteger failedReads = new AtomicInteger();
        final AtomicInteger staleReads = new AtomicInteger();
        final AtomicBoolean paused = new AtomicBoolean();
        final AtomicBoolean stopped = new AtomicBoolean();
        final DynamoClient client;
        final SplittableRandom random = new SplittableRandom(6);
        volatile Throwable failure;
        int next;

        Load(DynamoClient client) {
            this.client = client;
        }

        @Override
        public void run() {
            try {
                while (!stopped.get()) {
                    if (paused.get()) {
                        Thread.sleep(20);
                        continue;
                    }
                    write();
                    read();
                    Thread.sleep(5); // leave the shared cores to the nodes
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            } catch (Throwable e) {
                failure = e;
            }
        }

        /** Only a write that was never acknowledged is retried (same key and value); it counts once acknowledged. */
        private void write() {
            String key = "key-" + next;
            String value = "value-" + next++;
            for (int attempt = 1; attempt <= 3 && !acknowledged.containsKey(key); attempt++) {
                writes.incrementAndGet();
                try {
                    client.put(Bytes.utf8(key), Bytes.utf8(value), Context.EMPTY, QUORUM_2);
                    acknowledged.put(key, value);
                    keys.add(key);
                } catch (DynamoException e) {
                    unacknowledged.incrementAndGet();
                }
            }
        }

        /**
         * Reads an earlier key at R=2. A value missing at R=2 right after a switch is possible
         * by design (a new replica streamed from a source that lacked that write, repaired by
         * read repair or anti-entropy): it is counted, not asserted; R=N is asserted afterwards.
         */
        private void read() {
            if (keys.isEmpty()) {
                return;
            }
            String key = keys.get(random.nextInt(keys.size()));
            reads.incrementAndGet();
            try {
                ReadResult read = client.get(Bytes.utf8(key), QUORUM_2);
                if (!read.values().contains(Bytes.utf8(acknowledged.get(key)))) {
                    staleReads.incrementAndGet();
                }
            } catch (DynamoException e) {
                failedReads.incrementAndGet();
            }
        }

        /** Pauses the client and returns once no request of it is in flight. */
        void pause() throws InterruptedException {
            paused.set(true);
            Thread.sleep(REQUEST_TIMEOUT.toMillis() / 4);
        }

        @Override
        public String toString() {
            return String.format("%d writes sent, %d acknowledged keys, %d unacknowledged attempts; %d reads, %d failed, "
                    + "%d missing the acknowledged value at R=2", writes.get(), acknowledged.size(), unacknowledged.get(),
                    reads.get(), failedReads.get(), staleReads.get());
        }
    }

    @Test
    void aFourthNodeJoinsUnderLoadAndIsDecommissionedAgain() throws Exception {
        long started = System.nanoTime();
        ClusterDirectory cluster = new ClusterDirectory(directory);
        Process node4 = null;
        Thread loadThread = null;
        Load load = null;
        try {
            int basePort = FreePorts.consecutive(4, 7);
            Cli.Result start = Cli.run("cluster", "start", "--nodes", "3", "--dir", directory.toString(),
                    "--base-port", Integer.toString(basePort), "--partitions", Integer.toString(PARTITIONS),
                    "--wait", "120s", "--set", "replication.timeout=10s", "--set", "membership.settle-delay=3s");
            assertEquals(0, start.exitCode(), start::toString);
            List<Endpoint> founders = cluster.endpoints();
            Endpoint node4Endpoint = new Endpoint("127.0.0.1:" + (basePort + 3));
            List<Endpoint> all = new ArrayList<>(founders);
            all.add(node4Endpoint);

            try (DynamoClient client = Connections.storeOpener().open(founders, REQUEST_TIMEOUT, NO_SETTINGS);
                    DynamoClient admin = Connections.storeOpener().open(founders, REQUEST_TIMEOUT, NO_SETTINGS)) {
                load = new Load(client);
                loadThread = new Thread(load, "client-load");
                loadThread.start();
                Thread.sleep(2_000);

                // node-4: node-3's config with its own id, address and data, and membership.join (as `dynamo join` sets)
                Path config = cluster.path().resolve("node-4.properties");
                Files.writeString(config, joinerConfig(cluster, basePort));
                node4 = NodeProcesses.start(config, cluster.consoleLog("node-4"));
                long joinStarted = System.nanoTime();
                Process joiner = node4;
                GossipState joined = awaitEverywhere(admin, all, ring -> ring.current().contains("node-4"), joiner, cluster);
                double joinSeconds = (System.nanoTime() - joinStarted) / 1e9;
                load.pause();
                assertLoadHealthy(load);
                long owned = joined.ring().current().stream().filter("node-4"::equals).count();
                System.out.printf("join: settled %.1f s after node-4's JVM started; node-4 owns %d of %d partitions; %s%n",
                        joinSeconds, owned, PARTITIONS, load);
                assertTrue(Math.abs(owned - PARTITIONS / 4.0) <= 1, "node-4 owns about a quarter: " + owned);
                // node-4 marks itself UP once it sees the settled ring, a gossip round after the others may
                for (Endpoint node : all) {
                    awaitState(admin, node, MemberState.UP);
                }
                Cli.Result status = Cli.run("status", "--dir", directory.toString());
                assertTrue(status.out().lines().anyMatch(line -> line.startsWith("node-4 ") && line.contains(" up ")
                        && line.contains(" " + owned + " ")), status::toString);
                assertReadableAtRn(admin, load.acknowledged);

                load.paused.set(false);
                Thread.sleep(2_000);
                Cli.Result decommission = Cli.run("decommission", "node-4", "--dir", directory.toString());
                assertEquals(0, decommission.exitCode(), decommission::toString);
                long leaveStarted = System.nanoTime();
                GossipState left = awaitEverywhere(admin, founders, ring -> !ring.current().contains("node-4"), joiner,
                        cluster);
                double leaveSeconds = (System.nanoTime() - leaveStarted) / 1e9;
                load.pause();
                assertLoadHealthy(load);
                System.out.printf("decommission: settled %.1f s after the command; partitions per node %s; %s%n",
                        leaveSeconds, left.ring().current().stream()
                                .collect(Collectors.groupingBy(id -> id, java.util.TreeMap::new, Collectors.counting())),
                        load);
                assertTrue(left.ring().current().containsAll(List.of("node-1", "node-2", "node-3")));
                awaitState(admin, node4Endpoint, MemberState.LEFT);
                assertReadableAtRn(admin, load.acknowledged);
            }
        } finally {
            if (load != null) {
                load.stopped.set(true);
                loadThread.join(REQUEST_TIMEOUT.toMillis() * 4);
            }
            if (node4 != null) {
                node4.destroy();
                if (!node4.waitFor(20, TimeUnit.SECONDS)) {
                    node4.destroyForcibly();
                    node4.waitFor(30, TimeUnit.SECONDS);
                }
            }
            if (Files.exists(cluster.pidsFile())) {
                Cli.run("cluster", "stop", "--dir", directory.toString(), "--grace", "10s");
            }
            cluster.pids().values().forEach(pid -> ProcessHandle.of(pid).ifPresent(ProcessHandle::destroyForcibly));
        }
        System.out.printf("join and decommission test: %.1f s%n", (System.nanoTime() - started) / 1e9);
    }

    private static String joinerConfig(ClusterDirectory cluster, int basePort) throws java.io.IOException {
        String node4 = "127.0.0.1:" + (basePort + 3);
        StringBuilder config = new StringBuilder();
        for (String line : Files.readAllLines(cluster.configFile("node-3"))) {
            if (line.startsWith("node.id=")) {
                line = "node.id=node-4";
            } else if (line.startsWith("node.listen=")) {
                line = "node.listen=" + node4;
            } else if (line.startsWith("node.data-dir=")) {
                line = "node.data-dir=" + cluster.dataDirectory("node-4").toString().replace("\\", "\\\\");
            } else if (line.startsWith("cluster.members=")) {
                line = "cluster.members=node-4@" + node4;
            } else if (line.startsWith("metrics.port=")) {
                line = "metrics.port=" + (basePort + 1003); // its own endpoint, next to the others'
            }
            config.append(line).append('\n');
        }
        config.append("membership.join=true\n");
        config.append("membership.seeds=127.0.0.1:").append(basePort).append('\n');
        return config.toString();
    }

    private static void assertLoadHealthy(Load load) {
        assertTrue(load.failure == null, () -> "the client thread failed: " + load.failure);
        assertTrue(load.acknowledged.size() > 50, "the client kept writing: " + load);
    }

    /** Every acknowledged write, read at R=N=3; a failed request is asked again, a wrong answer fails at once. */
    private static void assertReadableAtRn(DynamoClient client, Map<String, String> acknowledged) throws InterruptedException {
        for (Map.Entry<String, String> write : Map.copyOf(acknowledged).entrySet()) {
            for (int attempt = 1; ; attempt++) {
                ReadResult read;
                try {
                    read = client.get(Bytes.utf8(write.getKey()), ALL_3);
                } catch (DynamoException e) {
                    assertTrue(attempt < 5, "R=N read of " + write.getKey() + " kept failing: " + e);
                    Thread.sleep(1_000);
                    continue;
                }
                // contains: a put retried after a timeout may be stored twice, as siblings of one value
                assertTrue(read.values().contains(Bytes.utf8(write.getValue())),
                        "R=N read of " + write.getKey() + ": " + read.values());
                break;
            }
        }
    }

    /** Waits until every node in {@code nodes} knows one settled ring that satisfies {@code done}; returns it. */
    private static GossipState awaitEverywhere(DynamoClient admin, List<Endpoint> nodes, Predicate<RingState> done,
            Process node4, ClusterDirectory cluster) throws InterruptedException {
        long deadline = System.nanoTime() + CHANGE_LIMIT.toNanos();
        while (true) {
            assertTrue(node4.isAlive(), () -> "node-4 exited: " + NodeProcesses.tail(cluster.consoleLog("node-4"), 20));
            GossipState first = null;
            boolean agreed = true;
            for (Endpoint node : nodes) {
                try {
                    GossipState state = admin.membership(node, Duration.ofSeconds(5));
                    RingState ring = state.ring();
                    agreed &= ring.known() && !ring.moving() && done.test(ring)
                            && (first == null || first.ring().equals(ring));
                    first = first == null ? state : first;
                } catch (DynamoException e) {
                    agreed = false;
                }
            }
            if (agreed) {
                return first;
            }
            assertTrue(System.nanoTime() < deadline, "the ring change did not settle within " + CHANGE_LIMIT);
            Thread.sleep(500);
        }
    }

    private static void awaitState(DynamoClient admin, Endpoint node, MemberState expected) throws InterruptedException {
        long deadline = System.nanoTime() + CHANGE_LIMIT.toNanos();
        MemberState seen = null;
        while (System.nanoTime() < deadline) {
            try {
                seen = admin.membership(node, Duration.ofSeconds(5)).members().get("node-4").state();
                if (seen == expected) {
                    return;
                }
            } catch (DynamoException e) {
                // asked again below
            }
            Thread.sleep(500);
        }
        assertEquals(expected, seen, "node-4's state");
    }
}
