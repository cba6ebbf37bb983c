package io.dynamo.core.cluster;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.dynamo.api.Bytes;
import io.dynamo.api.ConflictException;
import io.dynamo.api.Context;
import io.dynamo.api.DynamoStore;
import io.dynamo.api.GetAllException;
import io.dynamo.api.InvalidArgumentException;
import io.dynamo.api.PrimaryQuorumException;
import io.dynamo.api.ReadResult;
import io.dynamo.api.RequestOptions;
import io.dynamo.api.Versioned;
import io.dynamo.spi.resolution.ConflictResolver;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

/** update(key, fn): read, merge, apply, write conditionally, retry; getAll(keys) with per-key failures. */
class UpdateAndGetAllTest {
    private static final Bytes COUNTER = Bytes.utf8("counter");

    /**
     * Siblings of a counter updated only through conditional writes are a winner and copies of
     * writes that lost a race (each one more than a value the winner's line had): the largest is current.
     */
    private static final ConflictResolver LARGEST = (key, versions) -> versions.stream()
            .filter(v -> !v.tombstone())
            .max(Comparator.comparingLong(v -> parse(v.value())))
            .map(List::of).orElse(versions);

    private static long parse(Bytes value) {
        return value == null ? 0 : Long.parseLong(new String(value.toByteArray(), StandardCharsets.UTF_8));
    }

    private static Bytes increment(Bytes value) {
        return Bytes.utf8(Long.toString(parse(value) + 1));
    }

    @Test
    void everyIncrementOfEightClientsThroughDifferentCoordinatorsLands() throws Exception {
        try (InProcessCluster cluster = InProcessCluster.builder().seed(171).realTime().threads(4)
                .timeout(java.time.Duration.ofSeconds(5)).build()) {
            ConcurrentLinkedQueue<Throwable> failures = new ConcurrentLinkedQueue<>();
            List<Thread> clients = new ArrayList<>();
            for (int c = 0; c < 8; c++) {
                // each through its own coordinator: the embedded store of one of the three nodes, or a client
                DynamoStore store = (c % 4 == 3 ? cluster.client("client-" + c) : cluster.store("node-" + (c % 4 + 1)))
                        .withResolver(LARGEST, DynamoStore.MAX_UPDATE_ATTEMPTS);
                clients.add(new Thread(() -> {
                    try {
                        for (int i = 0; i < 100; i++) {
                            store.update(COUNTER, UpdateAndGetAllTest::increment);
                        }
                    } catch (Throwable e) {
                        failures.add(new AssertionError(Thread.currentThread().getName() + " failed", e));
                    }
                }, "incrementer-" + c));
            }
            clients.forEach(Thread::start);
            for (Thread client : clients) {
                client.join();
            }
            assertTrue(failures.isEmpty(), () -> "failed: " + failures);
            ReadResult last = cluster.store("node-1").withResolver(LARGEST).get(COUNTER);
            long value = last.values().stream().mapToLong(UpdateAndGetAllTest::parse).max().orElseThrow();
            assertEquals(800, value, "every increment landed: " + last.values());
        }
    }

    @Test
    void updateStartsFromEmptyCanDeleteAndNeedsAResolverForSiblings() {
        try (InProcessCluster cluster = InProcessCluster.builder().seed(172).build()) {
            DynamoStore store = cluster.client("client");
            Bytes key = Bytes.utf8("fresh");
            store.update(key, UpdateAndGetAllTest::increment); // absent: the function sees null
            assertEquals(List.of(Bytes.utf8("1")), store.get(key).values());
            store.update(key, value -> null); // null deletes
            assertTrue(!store.get(key).found());

            Bytes split = Bytes.utf8("split");
            store.put(split, Bytes.utf8("4"), Context.EMPTY);
            store.put(split, Bytes.utf8("6"), Context.EMPTY); // a blind write: siblings
            InvalidArgumentException noResolver = assertThrows(InvalidArgumentException.class,
                    () -> store.update(split, UpdateAndGetAllTest::increment));
            assertTrue(noResolver.getMessage().contains("withResolver"), noResolver.getMessage());
            store.withResolver(LARGEST).update(split, UpdateAndGetAllTest::increment);
            assertEquals(List.of(Bytes.utf8("7")), store.get(split).values());
        }
    }

    @Test
    void updateGivesUpAfterItsAttemptsSayingHowMany() {
        try (InProcessCluster cluster = InProcessCluster.builder().seed(173).build()) {
            DynamoStore store = cluster.store("node-1");
            DynamoStore other = cluster.store("node-2");
            store.put(COUNTER, Bytes.utf8("0"), Context.EMPTY);
            // a function that, each time, lets another writer change the key first: every attempt conflicts
            ConflictException exhausted = assertThrows(ConflictException.class, () -> store.withResolver(LARGEST, 3)
                    .update(COUNTER, value -> {
                        ReadResult now = other.get(COUNTER);
                        other.put(COUNTER, increment(now.values().get(0)), now.context());
                        return increment(value);
                    }));
            assertTrue(exhausted.getMessage().contains("gave up after 3 attempts"), exhausted.getMessage());
            assertEquals(List.of(Bytes.utf8("3")), store.get(COUNTER).values(), "only the other writer's writes");
            assertThrows(InvalidArgumentException.class, () -> store.withResolver(LARGEST, 0));
        }
    }

    @Test
    void getAllReadsManyKeysAndKeepsTheOthersWhenSomeFail() {
        try (InProcessCluster cluster = InProcessCluster.builder().nodes(4).seed(174).build()) {
            DynamoStore client = cluster.client("client");
            List<Bytes> keys = IntStream.range(0, 12).mapToObj(i -> Bytes.utf8("item-" + i)).toList();
            for (Bytes key : keys.subList(0, 10)) {
                client.put(key, key, Context.EMPTY);
            }
            Map<Bytes, ReadResult> all = client.getAll(keys);
            assertEquals(12, all.size());
            keys.subList(0, 10).forEach(key -> assertEquals(List.of(key), all.get(key).values()));
            assertTrue(!all.get(keys.get(11)).found(), "an absent key maps to a result without versions");

            // with pr=3 and node-4 down, exactly the keys node-4 is a primary of fail
            cluster.crash("node-4");
            List<Bytes> ofNode4 = keys.stream().filter(k -> cluster.ring().preferenceList(k, 3).contains("node-4")).toList();
            assertTrue(!ofNode4.isEmpty() && ofNode4.size() < keys.size(), "the keys split: " + ofNode4);
            GetAllException partial = assertThrows(GetAllException.class,
                    () -> client.getAll(keys, RequestOptions.primaries(3)));
            assertEquals(java.util.Set.copyOf(ofNode4), partial.failures().keySet());
            partial.failures().values().forEach(f -> assertEquals(PrimaryQuorumException.class, f.getClass()));
            assertEquals(keys.size() - ofNode4.size(), partial.results().size());
            // the embedded store does the same, one key after another
            GetAllException embedded = assertThrows(GetAllException.class,
                    () -> cluster.store("node-1").getAll(keys, RequestOptions.primaries(3)));
            assertEquals(partial.failures().keySet(), embedded.failures().keySet());

            List<Bytes> tooMany = IntStream.range(0, DynamoStore.MAX_GET_ALL_KEYS + 1).mapToObj(i -> Bytes.utf8("k" + i))
                    .toList();
            InvalidArgumentException refused = assertThrows(InvalidArgumentException.class, () -> client.getAll(tooMany));
            assertTrue(refused.getMessage().contains("at most " + DynamoStore.MAX_GET_ALL_KEYS), refused.getMessage());
        }
    }
}
