package io.dynamo.core.cluster;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.dynamo.api.Bytes;
import io.dynamo.api.Condition;
import io.dynamo.api.ConflictException;
import io.dynamo.api.Context;
import io.dynamo.api.DynamoStore;
import io.dynamo.api.RequestOptions;
import io.dynamo.core.transport.local.Faults;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import org.junit.jupiter.api.Test;

/** put(key, value, context, IF_UNMODIFIED): refused with the current versions when the context is stale. */
class ConditionalWriteTest {
    private static final Bytes KEY = Bytes.utf8("account-7");
    private static final RequestOptions IF_UNMODIFIED = RequestOptions.DEFAULT.withCondition(Condition.IF_UNMODIFIED);

    @Test
    void aStaleContextIsRefusedWithTheCurrentVersionsAndTheirContext() {
        try (InProcessCluster cluster = InProcessCluster.builder().seed(161).build()) {
            for (DynamoStore store : List.of(cluster.store("node-2"), cluster.client("client"))) {
                Bytes key = Bytes.utf8("k-" + store.getClass().getSimpleName());
                // the empty context: write only if absent
                Context first = store.put(key, Bytes.utf8("v1"), Context.EMPTY, Condition.IF_UNMODIFIED);
                ConflictException conflict = assertThrows(ConflictException.class,
                        () -> store.put(key, Bytes.utf8("again"), Context.EMPTY, Condition.IF_UNMODIFIED));
                assertEquals(List.of(Bytes.utf8("v1")), conflict.current().values());
                assertEquals(key, conflict.current().key());
                // with the context the conflict carries, it succeeds
                Context second = store.put(key, Bytes.utf8("v2"), conflict.current().context(), Condition.IF_UNMODIFIED);
                // the first context is stale now: a put and a delete with it are refused, and nothing was written
                assertThrows(ConflictException.class,
                        () -> store.put(key, Bytes.utf8("stale"), first, Condition.IF_UNMODIFIED));
                assertThrows(ConflictException.class, () -> store.delete(key, first, IF_UNMODIFIED));
                assertEquals(List.of(Bytes.utf8("v2")), store.get(key).values());
                store.delete(key, second, IF_UNMODIFIED);
                assertTrue(!store.get(key).found());
                // an unconditional write from a stale context still makes siblings, as always
                store.put(key, Bytes.utf8("sibling"), first);
            }
            double conflicts = cluster.nodeIds().stream().mapToDouble(id -> cluster.node(id).metrics().registry()
                    .find("dynamo.conditional.conflicts").counter().count()).sum();
            assertEquals(6, conflicts, "three refusals by each store's coordinators");
        }
    }

    @Test
    void exactlyOneOfTwoRacingConditionalWritesThroughOneCoordinatorSucceeds() {
        for (long seed = 170; seed < 180; seed++) {
            try (InProcessCluster cluster = racingCluster(seed)) {
                Context context = cluster.store("node-1").put(KEY, Bytes.utf8("base"), Context.EMPTY);
                // both read the same R replicas before either writes: the coordinator's atomic check decides
                List<Outcome> outcomes = race(cluster, context, "node-1", "node-1");
                assertExactlyOneWon(cluster, outcomes, seed);
            }
        }
    }

    @Test
    void exactlyOneOfTwoRacingConditionalWritesThroughTwoCoordinatorsSucceeds() {
        for (long seed = 180; seed < 200; seed++) {
            try (InProcessCluster cluster = racingCluster(seed)) {
                Context context = cluster.store("node-1").put(KEY, Bytes.utf8("base"), Context.EMPTY);
                // every primary stores at most one of the two versions, and each needs W=2 primaries
                List<Outcome> outcomes = race(cluster, context, "node-1", "node-2");
                assertExactlyOneWon(cluster, outcomes, seed);
            }
        }
    }

    private static InProcessCluster racingCluster(long seed) {
        // varied delays so that the seeds order the two writes' messages differently
        return InProcessCluster.builder().seed(seed).faults(Faults.delay(Duration.ofMillis(1), Duration.ofMillis(6)))
                .build();
    }

    private record Outcome(Bytes value, Context written, ConflictException conflict) {}

    private static List<Outcome> race(InProcessCluster cluster, Context context, String first, String second) {
        List<Bytes> values = List.of(Bytes.utf8("from-" + first + "-a"), Bytes.utf8("from-" + second + "-b"));
        List<CompletableFuture<Context>> writes = List.of(
                cluster.node(first).coordinator().put(KEY, values.get(0), context, IF_UNMODIFIED),
                cluster.node(second).coordinator().put(KEY, values.get(1), context, IF_UNMODIFIED));
        List<Outcome> outcomes = new ArrayList<>();
        for (int i = 0; i < 2; i++) {
            try {
                outcomes.add(new Outcome(values.get(i), cluster.network().await(writes.get(i), Duration.ofSeconds(5)), null));
            } catch (CompletionException | ConflictException e) {
                Throwable cause = e instanceof CompletionException ? e.getCause() : e;
                outcomes.add(new Outcome(values.get(i), null, assertInstanceOf(ConflictException.class, cause)));
            }
        }
        return outcomes;
    }

    private static void assertExactlyOneWon(InProcessCluster cluster, List<Outcome> outcomes, long seed) {
        List<Outcome> won = outcomes.stream().filter(o -> o.conflict() == null).toList();
        assertEquals(1, won.size(), "seed " + seed + ": exactly one succeeds, got " + outcomes);
        Outcome lost = outcomes.stream().filter(o -> o.conflict() != null).findFirst().orElseThrow();
        Bytes winner = won.get(0).value();
        assertTrue(lost.conflict().current().values().contains(winner),
                "seed " + seed + ": the loser sees the winner: " + lost.conflict().current().values());
        // the loser merges and writes again with the conflict's context: one value replaces everything
        DynamoStore store = cluster.store("node-3");
        store.put(KEY, Bytes.utf8("merged"), lost.conflict().current().context(), Condition.IF_UNMODIFIED);
        assertEquals(List.of(Bytes.utf8("merged")), store.get(KEY).values(), "seed " + seed);
    }
}
