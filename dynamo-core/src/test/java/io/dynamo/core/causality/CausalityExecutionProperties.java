package io.dynamo.core.causality;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.dynamo.api.Bytes;
import io.dynamo.api.Causality;
import io.dynamo.api.VectorClock;
import io.dynamo.api.Versioned;
import io.dynamo.core.coordination.ReplicaStore;
import io.dynamo.core.coordination.Siblings;
import io.dynamo.core.storage.MemoryStorageEngine;
import io.dynamo.spi.causality.CausalityScheme;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import net.jqwik.api.Example;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.PropertyDefaults;

/**
 * Random executions of one key on three replicas under a causality scheme, checked against
 * what the clients really saw: clients read from some replicas, write through a coordinator with
 * what they read as context, and replicas exchange versions at random (partial replication,
 * reordering, duplicates). The ground truth of a write is the set of writes its client had read.
 */
@PropertyDefaults(tries = 150)
class CausalityExecutionProperties {
    private static final List<String> NODES = List.of("n1", "n2", "n3");
    private static final Bytes KEY = Bytes.utf8("k");
    private static final int CLIENTS = 4;

    @Property(seed = "7")
    void dvvKeepsExactlyTheWritesNoClientSaw(@ForAll long seed) {
        Execution run = new Execution(new DottedVersionVectors(), seed, 40);
        run.checkFinalStateIsExactlyTheUnseenWrites();
    }

    @Property(seed = "7")
    void writerSlotsKeepExactlyTheWritesNoClientSawWithoutTruncation(@ForAll long seed) {
        Execution run = new Execution(new WriterSlots(), seed, 40);
        run.checkFinalStateIsExactlyTheUnseenWrites();
    }

    @Example
    void plainVectorClocksLoseWritesThatTheOtherSchemesKeep() {
        int lossy = 0;
        for (long seed = 0; seed < 50; seed++) {
            Execution run = new Execution(new PlainVectorClocks(), seed, 40, false);
            if (!run.unseenWrites().equals(run.finalValues())) {
                lossy++;
            }
        }
        assertTrue(lossy > 0, "Dynamo's plain clocks make equal clocks for two writes from one context");
    }

    @Property(seed = "7")
    void dvvSyncIsCommutativeAssociativeAndIdempotent(@ForAll long seed) {
        Execution run = new Execution(new DottedVersionVectors(), seed, 30);
        List<Versioned> a = run.stateOf(0);
        List<Versioned> b = run.stateOf(1);
        List<Versioned> c = run.stateOf(2);
        assertEquals(clocks(Siblings.merge(a, b)), clocks(Siblings.merge(b, a)));
        assertEquals(clocks(Siblings.merge(Siblings.merge(a, b), c)), clocks(Siblings.merge(a, Siblings.merge(b, c))));
        assertEquals(clocks(a), clocks(Siblings.merge(a, a)));
    }

    /** One execution; every step checks the per-write properties as it goes. */
    static final class Execution {
        private final CausalityScheme scheme;
        private final Random random;
        private final List<ReplicaStore> replicas = new ArrayList<>();
        /** For every written value, the values its writer had read. */
        private final Map<Bytes, Set<Bytes>> sawBefore = new HashMap<>();
        private int writes;
        private final boolean checked;

        Execution(CausalityScheme scheme, long seed, int steps) {
            this(scheme, seed, steps, true);
        }

        /** {@code checked}: whether each write is checked as it happens (a baseline that breaks the rules is not). */
        Execution(CausalityScheme scheme, long seed, int steps, boolean checked) {
            this.checked = checked;
            this.scheme = scheme;
            this.random = new Random(seed);
            for (int i = 0; i < NODES.size(); i++) {
                replicas.add(new ReplicaStore(new io.dynamo.core.storage.Quarantine("test", new MemoryStorageEngine()),
                        ReplicaStore.ChangeListener.NONE, scheme));
            }
            for (int step = 0; step < steps; step++) {
                if (random.nextInt(3) == 0) {
                    replicate();
                } else {
                    clientWrite();
                }
            }
        }

        private void clientWrite() {
            // the client reads from a random non-empty subset of replicas
            List<Versioned> read = List.of();
            for (int i = 0; i < NODES.size(); i++) {
                if (random.nextBoolean() || (i == NODES.size() - 1 && read.isEmpty() && random.nextBoolean())) {
                    read = Siblings.merge(read, replicas.get(i).read(0, KEY));
                }
            }
            VectorClock context = VectorClock.EMPTY;
            Set<Bytes> seen = new HashSet<>();
            for (Versioned v : read) {
                context = context.merge(v.clock());
                seen.add(v.value());
            }
            int coordinator = random.nextInt(NODES.size());
            ReplicaStore store = replicas.get(coordinator);
            List<Versioned> before = store.read(0, KEY);
            Bytes value = Bytes.utf8("w" + (++writes) + "-c" + random.nextInt(CLIENTS));
            Versioned written = store.write(0, KEY, value, false, context, NODES.get(coordinator), writes, 1000);
            sawBefore.put(value, seen);
            List<Versioned> after = store.read(0, KEY);
            if (checked) {
                checkWrite(context, written, before, after);
            }
            // send it to a random subset of the others, possibly twice
            for (int i = 0; i < NODES.size(); i++) {
                if (i != coordinator && random.nextBoolean()) {
                    replicas.get(i).merge(0, KEY, List.of(written));
                    if (random.nextInt(4) == 0) {
                        replicas.get(i).merge(0, KEY, List.of(written));
                    }
                }
            }
        }

        private static void checkWrite(VectorClock context, Versioned written, List<Versioned> before,
                List<Versioned> after) {
            // an update dominates its context
            assertEquals(Causality.AFTER, written.clock().compare(context), "the write is after its context");
            // a stored sibling survives the write iff the context did not cover it
            for (Versioned v : before) {
                Causality c = context.compare(v.clock());
                boolean covered = c == Causality.AFTER || c == Causality.EQUAL;
                assertEquals(!covered, after.contains(v), "survives iff not covered: " + v + " by " + context);
            }
            assertTrue(after.contains(written));
            checkDistinctDots(after);
        }

        private void replicate() {
            int from = random.nextInt(NODES.size());
            int to = random.nextInt(NODES.size());
            replicas.get(to).merge(0, KEY, replicas.get(from).read(0, KEY));
            if (checked) {
                checkDistinctDots(replicas.get(to).read(0, KEY));
            }
        }

        List<Versioned> stateOf(int replica) {
            return replicas.get(replica).read(0, KEY);
        }

        /** The written values no client read before writing: what must remain, all of it. */
        Set<Bytes> unseenWrites() {
            Set<Bytes> unseen = new HashSet<>(sawBefore.keySet());
            sawBefore.values().forEach(unseen::removeAll);
            return unseen;
        }

        Set<Bytes> finalValues() {
            List<Versioned> all = List.of();
            for (ReplicaStore r : replicas) {
                all = Siblings.merge(all, r.read(0, KEY));
            }
            Set<Bytes> values = new HashSet<>();
            all.forEach(v -> values.add(v.value()));
            return values;
        }

        void checkFinalStateIsExactlyTheUnseenWrites() {
            // no write lost (unseen ones remain), no false sibling (seen ones are gone)
            assertEquals(unseenWrites(), finalValues());
        }
    }

    private static void checkDistinctDots(List<Versioned> versions) {
        Set<VectorClock.Dot> dots = new HashSet<>();
        for (Versioned v : versions) {
            v.clock().dot().ifPresent(d -> assertTrue(dots.add(new VectorClock.Dot(d.nodeId(), d.counter(), 0)),
                    "two siblings share the dot " + d + ": " + versions));
        }
        for (int i = 0; i < versions.size(); i++) {
            for (int j = i + 1; j < versions.size(); j++) {
                assertNotEquals(Causality.EQUAL, versions.get(i).clock().compare(versions.get(j).clock()));
            }
        }
    }

    private static Set<VectorClock> clocks(List<Versioned> versions) {
        Set<VectorClock> clocks = new HashSet<>();
        versions.forEach(v -> clocks.add(v.clock()));
        return clocks;
    }
}
