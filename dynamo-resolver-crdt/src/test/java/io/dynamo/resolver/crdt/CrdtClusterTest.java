package io.dynamo.resolver.crdt;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.dynamo.api.Bytes;
import io.dynamo.api.Context;
import io.dynamo.api.DynamoException;
import io.dynamo.api.DynamoStore;
import io.dynamo.api.ReadResult;
import io.dynamo.api.RequestOptions;
import io.dynamo.core.causality.DottedVersionVectors;
import io.dynamo.core.causality.WriterSlots;
import io.dynamo.core.cluster.InProcessCluster;
import io.dynamo.core.config.NodePluginContext;
import io.dynamo.core.plugin.ExtensionPoint;
import io.dynamo.core.plugin.PluginRegistry;
import io.dynamo.core.transport.local.Faults;
import io.dynamo.spi.PluginConfig;
import io.dynamo.spi.causality.CausalityScheme;
import io.dynamo.spi.resolution.ConflictResolver;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.SplittableRandom;
import java.util.function.BiFunction;
import java.util.function.Function;
import java.util.stream.Stream;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Clients add, remove and count through a five-node in-process cluster on the simulated network
 * (seeded, so every run replays), under dropped, delayed and reordered messages, a partition that
 * splits nodes and clients in two, and a crashed node; then the network heals and a read at R=N
 * is checked against what the clients did.
 *
 * <p>Each client works as the module README says a writer must: it keeps its own value, merges
 * every read into it, changes it, and writes it with the read's context. It holds each read for a
 * while before writing (other clients write meanwhile), so most writes are concurrent with
 * another and the resolver has siblings to merge. A write that fails is undetermined: its change
 * stays in the client's value and goes out with the client's next write.
 */
class CrdtClusterTest {
    private static final List<String> KEYS = List.of("k-0", "k-1");
    private static final List<String> CLIENTS = List.of("client-a", "client-b", "client-c", "client-d");
    private static final int OPERATIONS = 600;

    @TempDir
    Path directory;

    static Stream<CausalityScheme> schemes() {
        return Stream.of(new WriterSlots(), new DottedVersionVectors());
    }

    /** One client's view: its own value per key, and a read it holds per key. */
    private static final class Writer<S> {
        final String name;
        final DynamoStore store;
        final Map<String, S> values = new HashMap<>();
        final Map<String, ReadResult> pendingReads = new HashMap<>();
        final Map<String, Long> writesSeenAtRead = new HashMap<>();

        Writer(String name, DynamoStore store) {
            this.name = name;
            this.store = store;
        }
    }

    /** A workload on one CRDT type: how to decode a read, merge, and change a client's value. */
    private record Workload<S>(String resolver, S empty, Function<ReadResult, S> fromRead, BiFunction<S, S, S> merge,
            Function<S, Bytes> encode) {}

    /** What the run saw: writes acknowledged, failed, and acknowledged while another write to the key happened after their read. */
    private record Tally(int acknowledged, int failed, int concurrent) {}

    private ConflictResolver resolver(String name) {
        try (PluginRegistry registry = PluginRegistry.load(directory.resolve("plugins"))) {
            return registry.create(ExtensionPoint.CONFLICT_RESOLVER, name, PluginConfig.empty(name),
                    new NodePluginContext("test", directory));
        }
    }

    private InProcessCluster cluster(String resolver, CausalityScheme causality, long seed) {
        Faults faults = Faults.delay(Duration.ofMillis(1), Duration.ofMillis(20)).withDropRate(0.02)
                .withReordering(0.05, Duration.ofMillis(30));
        return InProcessCluster.builder().nodes(5).replication(3, 2, 2).seed(seed).causality(causality)
                .resolver(resolver(resolver)).faults(faults).timeout(Duration.ofMillis(500)).build();
    }

    @ParameterizedTest
    @MethodSource("schemes")
    void orSetUnderPartitionsNeitherResurrectsNorLosesAnything(CausalityScheme causality) {
        SplittableRandom random = new SplittableRandom(17);
        Map<String, Set<Bytes>> addedOnce = new HashMap<>(); // unique elements, added once each
        Map<String, Set<Bytes>> removed = new HashMap<>();
        int[] next = {0};
        Workload<OrSet> workload = new Workload<>("or-set", OrSet.empty(), OrSet::fromRead, OrSet::merge, OrSet::encode);
        try (InProcessCluster cluster = cluster("or-set", causality, 17)) {
            List<Writer<OrSet>> writers = writers(cluster);
            Tally tally = run(cluster, writers, workload, random, (writer, key, set) -> {
                List<Bytes> present = new ArrayList<>(set.elements());
                int dice = random.nextInt(10);
                if (dice < 2) { // an element every client adds and removes: add wins, or the removal holds
                    Bytes shared = Bytes.utf8("shared-" + random.nextInt(3));
                    return random.nextBoolean() ? set.add(shared, writer.name) : set.remove(shared);
                }
                if (dice < 5 && !present.isEmpty()) {
                    Bytes victim = present.get(random.nextInt(present.size()));
                    if (!victim.asUtf8().startsWith("shared-")) {
                        removed.computeIfAbsent(key, k -> new HashSet<>()).add(victim);
                    }
                    return set.remove(victim);
                }
                Bytes element = Bytes.utf8(writer.name + "-" + next[0]++);
                addedOnce.computeIfAbsent(key, k -> new HashSet<>()).add(element);
                return set.add(element, writer.name);
            });
            assertTrue(tally.concurrent() > 20, "too few concurrent writes to test anything: " + tally);
            assertTrue(tally.acknowledged() > 200, "too few writes acknowledged: " + tally);

            DynamoStore auditor = cluster.client("auditor");
            for (String key : KEYS) {
                ReadResult read = auditor.get(Bytes.utf8(key), RequestOptions.quorum(3));
                assertEquals(1, read.versions().size(), "the resolver merges every sibling: " + read.versions());
                OrSet stored = OrSet.decode(read.versions().get(0).value());
                OrSet expected = OrSet.mergeAll(writers.stream().map(w -> w.values.getOrDefault(key, OrSet.empty())).toList());
                assertEquals(expected, stored, key);
                Set<Bytes> gone = removed.getOrDefault(key, Set.of());
                assertFalse(gone.isEmpty(), "no removals on " + key);
                for (Bytes element : gone) {
                    assertFalse(stored.contains(element), element + " was removed after being seen, and came back in " + key);
                }
                for (Bytes element : addedOnce.getOrDefault(key, Set.of())) {
                    assertTrue(gone.contains(element) || stored.contains(element), element + " was added, never removed, and lost");
                }
            }
        }
    }

    @ParameterizedTest
    @MethodSource("schemes")
    void pnCounterUnderPartitionsIsExact(CausalityScheme causality) {
        SplittableRandom random = new SplittableRandom(23);
        Map<String, Long> intended = new HashMap<>();
        Workload<PnCounter> workload = new Workload<>("pn-counter", PnCounter.zero(), PnCounter::fromRead, PnCounter::merge,
                PnCounter::encode);
        try (InProcessCluster cluster = cluster("pn-counter", causality, 23)) {
            List<Writer<PnCounter>> writers = writers(cluster);
            Tally tally = run(cluster, writers, workload, random, (writer, key, counter) -> {
                long amount = 1 + random.nextInt(5);
                boolean up = random.nextInt(4) != 0;
                intended.merge(key, up ? amount : -amount, Long::sum);
                return up ? counter.increment(writer.name, amount) : counter.decrement(writer.name, amount);
            });
            assertTrue(tally.concurrent() > 20, "too few concurrent writes to test anything: " + tally);

            DynamoStore auditor = cluster.client("auditor");
            for (String key : KEYS) {
                ReadResult read = auditor.get(Bytes.utf8(key), RequestOptions.quorum(3));
                assertEquals(1, read.versions().size(), "the resolver merges every sibling: " + read.versions());
                assertEquals(intended.get(key), PnCounter.fromRead(read).value(), key + " after " + tally);
            }
        }
    }

    /** How a client changes its value of one key. */
    private interface Change<S> {
        S apply(Writer<S> writer, String key, S value);
    }

    private <S> List<Writer<S>> writers(InProcessCluster cluster) {
        List<Writer<S>> writers = new ArrayList<>();
        CLIENTS.forEach(name -> writers.add(new Writer<>(name, cluster.client(name))));
        return writers;
    }

    /**
     * The workload under faults, then the flush: the network heals and each client writes its
     * value (with every change it made, failed writes included) until a write is acknowledged.
     */
    private <S> Tally run(InProcessCluster cluster, List<Writer<S>> writers, Workload<S> workload, SplittableRandom random,
            Change<S> change) {
        Map<String, Long> acknowledgedPerKey = new HashMap<>();
        int acknowledged = 0;
        int failed = 0;
        int concurrent = 0;
        for (int op = 0; op < OPERATIONS; op++) {
            faultSchedule(cluster, op);
            Writer<S> writer = writers.get(random.nextInt(writers.size()));
            String key = KEYS.get(random.nextInt(KEYS.size()));
            ReadResult read = writer.pendingReads.remove(key);
            try {
                if (read == null) {
                    writer.pendingReads.put(key, writer.store.get(Bytes.utf8(key)));
                    writer.writesSeenAtRead.put(key, acknowledgedPerKey.getOrDefault(key, 0L));
                    continue;
                }
                S value = workload.merge().apply(writer.values.getOrDefault(key, workload.empty()), workload.fromRead().apply(read));
                value = change.apply(writer, key, value);
                writer.values.put(key, value);
                writer.store.put(Bytes.utf8(key), workload.encode().apply(value), read.context());
                acknowledged++;
                if (acknowledgedPerKey.getOrDefault(key, 0L) > writer.writesSeenAtRead.get(key)) {
                    concurrent++;
                }
                acknowledgedPerKey.merge(key, 1L, Long::sum);
            } catch (DynamoException e) {
                failed++; // undetermined: the change stays in the client's value
            }
        }
        cluster.network().heal();
        cluster.network().setFaults(Faults.NONE);
        cluster.nodeIds().stream().filter(id -> !cluster.isUp(id)).forEach(cluster::restart);
        for (Writer<S> writer : writers) {
            for (String key : KEYS) {
                flush(writer, key, workload);
            }
        }
        assertTrue(cluster.awaitHandoff(Duration.ofMinutes(5)), "hints still held");
        return new Tally(acknowledged, failed, concurrent);
    }

    private static <S> void flush(Writer<S> writer, String key, Workload<S> workload) {
        DynamoException last = null;
        for (int attempt = 0; attempt < 20; attempt++) {
            try {
                ReadResult read = writer.store.get(Bytes.utf8(key));
                S value = workload.merge().apply(writer.values.getOrDefault(key, workload.empty()), workload.fromRead().apply(read));
                writer.values.put(key, value);
                Context written = writer.store.put(Bytes.utf8(key), workload.encode().apply(value), read.context());
                assertFalse(written.clock().isEmpty());
                return;
            } catch (DynamoException e) {
                last = e;
            }
        }
        throw new AssertionError(writer.name + " could not write " + key + " after the network healed", last);
    }

    /** A partition from 25% to 50% of the run, each side with two clients; node-2 down from 60% to 80%. */
    private static void faultSchedule(InProcessCluster cluster, int op) {
        if (op == OPERATIONS / 4) {
            cluster.network().partition(List.of(
                    List.of("node-1", "node-2", "client-a", "client-b"),
                    List.of("node-3", "node-4", "node-5", "client-c", "client-d")));
        } else if (op == OPERATIONS / 2) {
            cluster.network().heal();
        } else if (op == OPERATIONS * 6 / 10) {
            cluster.crash("node-2");
        } else if (op == OPERATIONS * 8 / 10) {
            cluster.restart("node-2");
        }
    }
}
