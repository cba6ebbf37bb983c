package io.dynamo.core.cluster;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import io.dynamo.api.Bytes;
import io.dynamo.api.Causality;
import io.dynamo.api.Context;
import io.dynamo.api.ReadResult;
import io.dynamo.api.RequestOptions;
import io.dynamo.api.VectorClock;
import io.dynamo.api.Versioned;
import io.dynamo.core.client.DynamoClient;
import io.dynamo.core.coordination.Scheduler;
import io.dynamo.core.transport.local.Faults;
import io.dynamo.core.transport.local.LocalNetwork;
import io.dynamo.core.transport.local.NetworkEvent;
import io.dynamo.spi.causality.CausalityScheme;
import java.time.Duration;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Random;
import java.util.Set;
import java.util.TreeSet;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * A seeded schedule of drops, delays, duplicates, reordering, partitions and crashes under
 * 1,000 operations from 4 concurrent clients: no acknowledged write is lost, and the same seed
 * replays the same run message for message.
 */
class FaultScheduleTest {
    private static final int CLIENTS = 4;
    private static final int OPERATIONS_PER_CLIENT = 250;
    private static final int KEYS = 12;

    /** A write the cluster acknowledged: its key, the clock it got, and what it wrote. */
    record Acknowledged(Bytes key, VectorClock clock, Bytes value, boolean tombstone) {}

    record Run(List<NetworkEvent> history, List<Acknowledged> acknowledged, List<ReadResult> finalReads, int failures,
            Set<String> crashes, Causes causes) {}

    /**
     * The ground truth of causality, kept by the clients: for each value written, every value
     * the writer had seen (transitively); for each acknowledged tombstone, the same. A clock can
     * claim to dominate a write it never saw (that is the bug this catches); this cannot.
     */
    record Causes(java.util.Map<Bytes, Set<Bytes>> ofValue, java.util.Map<VectorClock, Set<Bytes>> ofTombstone,
            List<DeleteAttempt> deletes) {
        Set<Bytes> seenThrough(ReadResult read) {
            Set<Bytes> seen = new java.util.HashSet<>();
            for (Versioned v : read.versions()) {
                if (v.tombstone()) {
                    seen.addAll(ofTombstone(read.key(), v.clock()));
                } else {
                    seen.add(v.value());
                    seen.addAll(ofValue.getOrDefault(v.value(), Set.of()));
                }
            }
            return seen;
        }

        /**
         * What a tombstone's writer had seen: known exactly when the delete was acknowledged,
         * else the union over every delete of the key that could have been stamped with this
         * clock (an over-approximation: lenient, never a false loss).
         */
        Set<Bytes> ofTombstone(Bytes key, VectorClock clock) {
            Set<Bytes> known = ofTombstone.get(clock);
            if (known != null) {
                return known;
            }
            Set<Bytes> union = new java.util.HashSet<>();
            for (DeleteAttempt d : deletes) {
                if (d.key().equals(key) && isStampOf(clock, d.context())) {
                    union.addAll(d.seen());
                }
            }
            return union;
        }

        /**
         * True when a coordinator could have given {@code written} to a write with
         * {@code context}: one entry is the context's plus one, every other entry equals the
         * context's (entries of the context may be missing: truncation); under dotted version
         * vectors, the context's events with a dot beyond them.
         */
        static boolean isStampOf(VectorClock written, VectorClock context) {
            if (written.dot().isPresent()) {
                VectorClock.Dot dot = written.dot().get();
                return !context.includes(dot.nodeId(), dot.counter())
                        && context.history().withDot(dot.nodeId(), dot.counter(), dot.timestamp()).compare(written)
                        == Causality.EQUAL;
            }
            int incremented = 0;
            for (VectorClock.Entry e : written.entries()) {
                long before = context.counter(e.nodeId());
                if (e.counter() == before + 1) {
                    incremented++;
                } else if (e.counter() != before) {
                    return false;
                }
            }
            return incremented == 1;
        }
    }

    record DeleteAttempt(Bytes key, VectorClock context, Set<Bytes> seen) {}

    @ParameterizedTest(name = "{0}")
    @MethodSource("io.dynamo.core.cluster.Schemes#both")
    void noAcknowledgedWriteIsLost(CausalityScheme causality) {
        Run run = run(7, causality);
        assertTrue(run.acknowledged().size() > OPERATIONS_PER_CLIENT, "most writes acknowledged: " + run.acknowledged().size());
        assertTrue(run.failures() > 0, "the faults made some requests fail");
        EnumSet<NetworkEvent.Fate> fates = EnumSet.noneOf(NetworkEvent.Fate.class);
        run.history().forEach(e -> fates.add(e.fate()));
        assertTrue(fates.containsAll(EnumSet.of(NetworkEvent.Fate.DROPPED, NetworkEvent.Fate.DUPLICATED,
                NetworkEvent.Fate.PARTITIONED, NetworkEvent.Fate.REFUSED)), "faults seen: " + fates);
        assertTrue(run.crashes().size() >= 2, "nodes crashed: " + run.crashes());

        for (Acknowledged ack : run.acknowledged()) {
            ReadResult last = run.finalReads().stream().filter(r -> r.key().equals(ack.key())).findFirst().orElseThrow();
            boolean kept = false;
            for (Versioned v : last.versions()) {
                Causality c = v.clock().compare(ack.clock());
                boolean claimed = c == Causality.AFTER
                        || (c == Causality.EQUAL && v.value().equals(ack.value()) && v.tombstone() == ack.tombstone());
                if (!claimed) {
                    continue;
                }
                if (ack.tombstone()) {
                    kept = true; // a delete's own ground truth is not tracked: the clock has to do
                } else if (!v.tombstone()) {
                    kept = v.value().equals(ack.value()) || run.causes().ofValue().getOrDefault(v.value(), Set.of())
                            .contains(ack.value());
                } else {
                    kept = run.causes().ofTombstone(ack.key(), v.clock()).contains(ack.value());
                }
                if (kept) {
                    break;
                }
            }
            if (!kept) {
                fail("acknowledged write " + ack + " is lost: the final read of " + ack.key() + " returned "
                        + last.versions());
            }
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("io.dynamo.core.cluster.Schemes#both")
    void theSameSeedReplaysTheSameMessageHistory(CausalityScheme causality) {
        Run first = run(21, causality);
        Run second = run(21, causality);
        assertTrue(first.history().size() > 10_000, "a real workload: " + first.history().size() + " messages");
        assertEquals(first.history(), second.history());
        assertEquals(first.acknowledged(), second.acknowledged());
        assertNotEquals(first.history(), run(22, causality).history(), "another seed, another run");
    }

    private static Run run(long seed, CausalityScheme causality) {
        Faults faults = Faults.delay(Duration.ofMillis(1), Duration.ofMillis(15))
                .withDropRate(0.02)
                .withDuplicateRate(0.02)
                .withReordering(0.1, Duration.ofMillis(40));
        // Dynamo's 10 clock entries, not the default 50: truncation must lose no write either
        try (InProcessCluster cluster = InProcessCluster.builder().causality(causality).nodes(5).seed(seed).faults(faults).maxClockEntries(10)
                .timeout(Duration.ofMillis(500)).handoffInterval(Duration.ofMillis(200)).build()) {
            LocalNetwork network = cluster.network();
            Random chaos = new Random(seed * 31 + 1);
            List<Acknowledged> acknowledged = new ArrayList<>();
            int[] failures = new int[1];
            int[] finished = new int[1];
            Set<String> crashes = new TreeSet<>();
            Causes causes = new Causes(new java.util.HashMap<>(), new java.util.HashMap<>(), new ArrayList<>());

            Scheduler chaosClock = network.scheduler("chaos");
            Runnable[] disturb = new Runnable[1];
            disturb[0] = () -> {
                if (finished[0] == CLIENTS) {
                    return;
                }
                List<String> down = cluster.nodeIds().stream().filter(id -> !cluster.isUp(id)).toList();
                int action = chaos.nextInt(4);
                String victim = cluster.nodeIds().get(chaos.nextInt(cluster.nodeIds().size()));
                if (action == 0 && down.size() < 2 && cluster.isUp(victim)) {
                    cluster.crash(victim);
                    crashes.add(victim);
                } else if (action == 1 && !down.isEmpty()) {
                    cluster.restart(down.get(chaos.nextInt(down.size())));
                } else if (action == 2) {
                    List<String> shuffled = new ArrayList<>(cluster.nodeIds());
                    java.util.Collections.shuffle(shuffled, chaos);
                    int cut = 1 + chaos.nextInt(shuffled.size() - 1);
                    network.partition(List.of(shuffled.subList(0, cut), shuffled.subList(cut, shuffled.size())));
                } else {
                    network.heal();
                }
                chaosClock.schedule(Duration.ofMillis(100 + chaos.nextInt(400)), disturb[0]);
            };
            chaosClock.schedule(Duration.ofMillis(50), disturb[0]);

            for (int c = 0; c < CLIENTS; c++) {
                String name = "client-" + c;
                new Workload(name, cluster.client(name), network.scheduler(name), new Random(seed * 1000 + c), acknowledged,
                        failures, causes, () -> finished[0]++).next(0);
            }
            assertTrue(network.runUntil(() -> finished[0] == CLIENTS, Duration.ofHours(1)), "clients finished");

            // the storm is over: everyone back, hints handed off, then read everything at R = N
            network.heal();
            network.setFaults(Faults.NONE);
            for (String id : cluster.nodeIds()) {
                if (!cluster.isUp(id)) {
                    cluster.restart(id);
                }
            }
            assertTrue(cluster.awaitHandoff(Duration.ofMinutes(2)), "hints left: " + cluster.hintCount());
            DynamoClient reader = cluster.client("reader");
            List<ReadResult> finalReads = new ArrayList<>();
            for (int k = 0; k < KEYS; k++) {
                finalReads.add(reader.get(key(k), RequestOptions.quorum(3)));
            }
            return new Run(network.history(), List.copyOf(acknowledged), finalReads, failures[0], crashes, causes);
        }
    }

    private static Bytes key(int k) {
        return Bytes.utf8("key-" + k);
    }

    /** One client: reads, read-modify-writes, blind writes and deletes, one at a time. */
    private record Workload(String name, DynamoClient client, Scheduler clock, Random random, List<Acknowledged> acknowledged,
            int[] failures, Causes causes, Runnable done) {
        void next(int op) {
            if (op == OPERATIONS_PER_CLIENT) {
                done.run();
                return;
            }
            Bytes key = key(random.nextInt(KEYS));
            Bytes value = Bytes.utf8(name + "-" + op);
            int kind = random.nextInt(10);
            Runnable following = () -> clock.schedule(Duration.ofMillis(random.nextInt(20)), () -> next(op + 1));
            // 20% reads, 60% read-modify-writes, 10% blind writes, 10% deletes of what was read
            if (kind < 8) {
                client.getAsync(key, RequestOptions.DEFAULT).whenComplete((read, failure) -> {
                    if (failure != null) {
                        failures[0]++;
                        following.run();
                    } else if (kind < 2) {
                        following.run();
                    } else {
                        write(key, value, read.context(), causes.seenThrough(read), false, following);
                    }
                });
            } else if (kind < 9) { // blind writes make siblings: keep them few
                write(key, value, Context.EMPTY, Set.of(), false, following);
            } else {
                client.getAsync(key, RequestOptions.DEFAULT).whenComplete((read, failure) -> {
                    if (failure != null) {
                        failures[0]++;
                        following.run();
                    } else {
                        write(key, Bytes.EMPTY, read.context(), causes.seenThrough(read), true, following);
                    }
                });
            }
        }

        private void write(Bytes key, Bytes value, Context context, Set<Bytes> seen, boolean tombstone,
                Runnable following) {
            if (!tombstone) {
                causes.ofValue().put(value, seen);
            } else {
                causes.deletes().add(new DeleteAttempt(key, context.clock(), seen));
            }
            (tombstone ? client.deleteAsync(key, context, RequestOptions.DEFAULT)
                    : client.putAsync(key, value, context, RequestOptions.DEFAULT)).whenComplete((written, failure) -> {
                        if (failure != null) {
                            failures[0]++;
                        } else {
                            acknowledged.add(new Acknowledged(key, written.clock(), value, tombstone));
                            if (tombstone) {
                                causes.ofTombstone().put(written.clock(), seen);
                            }
                        }
                        following.run();
                    });
        }
    }
}
