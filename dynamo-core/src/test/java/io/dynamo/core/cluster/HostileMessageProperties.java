package io.dynamo.core.cluster;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.fail;

import io.dynamo.api.Bytes;
import io.dynamo.api.Context;
import io.dynamo.api.VectorClock;
import io.dynamo.api.Versioned;
import io.dynamo.api.WriteId;
import io.dynamo.core.coordination.RequestLimits;
import io.dynamo.core.messages.Message;
import io.dynamo.core.messages.MessageCodec;
import io.dynamo.core.ring.Ring;
import io.dynamo.spi.storage.StorageEngine;
import io.dynamo.spi.transport.Endpoint;
import java.lang.reflect.Constructor;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.RecordComponent;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Random;
import java.util.Set;
import java.util.TreeSet;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.lifecycle.AfterProperty;
import net.jqwik.api.lifecycle.BeforeProperty;

/**
 * Every request type, valid at first, with one field replaced by a hostile value (negative,
 * the largest, huge counts, empty, oversized, wrong ids, forged clocks and timestamps, keys of
 * another partition, the engine's own partitions), or its encoding damaged: the node answers
 * with an error or a valid result, never fails or hangs, and everything it stores still
 * decodes. On a simulated in-process cluster, so every run is the same for a seed.
 */
class HostileMessageProperties {
    private static final Duration WAIT = Duration.ofSeconds(30);
    private static final RequestLimits LIMITS = new RequestLimits(64, 256);
    private static final int REQUEST_KINDS = 18;
    private static final List<String> NODES = List.of("node-1", "node-2", "node-3");

    private InProcessCluster cluster;

    @BeforeProperty
    void startCluster() {
        cluster = InProcessCluster.builder().seed(41).partitions(16).limits(LIMITS).build();
        for (int i = 0; i < 20; i++) {
            cluster.store("node-1").put(key(i), Bytes.utf8("v" + i), Context.EMPTY);
        }
    }

    @AfterProperty
    void stopCluster() {
        cluster.close();
    }

    @Property(tries = 300)
    void everyMutatedRequestIsAnsweredAndLeavesOnlyReadableData(
            @ForAll @IntRange(min = 0, max = REQUEST_KINDS - 1) int kind, @ForAll long seed) {
        Random random = new Random(seed);
        Message.Request valid = validRequest(kind, random);
        Message.Request mutated = mutate(valid, random);
        String target = NODES.get(random.nextInt(NODES.size()));
        if (mutated != null) {
            answer(target, MessageCodec.encode(mutated));
        }
        answer(target, damage(MessageCodec.encode(valid), random));
        // replication and read repair that follow; and a request with a timeout of 1 ms makes its
        // coordinator suspect the peers it could not hear from in time, until handoff's next ping
        cluster.network().runFor(Duration.ofSeconds(1));
        everythingStoredDecodes();
        cluster.store(target).get(key(random.nextInt(20))); // the node serves again
    }

    /** The node's answer to {@code request}: decodable, a response, in time. */
    private void answer(String target, byte[] request) {
        byte[] bytes = cluster.network().await(
                cluster.network().transport("attacker").request(new Endpoint(target), request, WAIT), WAIT);
        Message answer = MessageCodec.decode(bytes);
        assertInstanceOf(Message.Response.class, answer, "answer to " + Arrays.toString(request));
    }

    private void everythingStoredDecodes() {
        for (String node : NODES) {
            StorageEngine engine = cluster.storage(node);
            Set<Integer> partitions = new TreeSet<>(engine.partitions());
            partitions.add(StorageEngine.HINTS_PARTITION);
            for (int partition : partitions) {
                engine.forEach(partition, (key, versions) -> { }, (key, failure) ->
                        fail(node + " stored an unreadable value under " + key + " in partition " + partition, failure));
            }
            assertEquals(0, cluster.node(node).unreadableValues(), node + " found unreadable values");
        }
    }

    private static Bytes key(int i) {
        return Bytes.utf8("key-" + i);
    }

    private VectorClock clock(Random random) {
        long now = cluster.network().currentTimeMillis();
        List<VectorClock.Entry> entries = new ArrayList<>();
        for (String node : NODES) {
            if (random.nextBoolean()) {
                entries.add(new VectorClock.Entry(node, 1 + random.nextInt(5), now - random.nextInt(1000)));
            }
        }
        return VectorClock.of(entries);
    }

    private List<Versioned> versions(Random random) {
        List<Versioned> versions = new ArrayList<>();
        int count = random.nextInt(3);
        for (int i = 0; i < count; i++) {
            versions.add(Versioned.of(VectorClock.of(new VectorClock.Entry("writer-" + i, 1,
                    cluster.network().currentTimeMillis())), Bytes.utf8("value-" + i)));
        }
        return versions;
    }

    private Message.Request validRequest(int kind, Random random) {
        Ring ring = cluster.ring();
        Bytes key = key(random.nextInt(25));
        int partition = ring.partitionOf(key);
        Optional<String> hintFor = random.nextBoolean() ? Optional.empty() : Optional.of(NODES.get(random.nextInt(3)));
        return switch (kind) {
            case 0 -> new Message.ClientGet(key, random.nextInt(4), random.nextInt(2000), random.nextBoolean(),
                    random.nextInt(4));
            case 1 -> new Message.ClientPut(key, Bytes.utf8("x"), clock(random), random.nextInt(4), 0, random.nextBoolean(),
                    writeId(random), cluster.network().currentTimeMillis() + 1000, random.nextInt(4), random.nextBoolean());
            case 2 -> new Message.ClientDelete(key, clock(random), random.nextInt(4), 0, false, writeId(random), 0,
                    random.nextInt(4), random.nextBoolean());
            case 3 -> new Message.ReplicaRead(key, hintFor);
            case 4 -> {
                List<Versioned> versions = versions(random);
                yield new Message.ReplicaWrite(key, versions, hintFor, versions.size() == 1 && random.nextBoolean());
            }
            case 5 -> new Message.HintDelivery(key, versions(random), NODES.get(random.nextInt(3)));
            case 6 -> new Message.Ping(NODES.get(random.nextInt(3)));
            case 7 -> new Message.TreeNodes(partition, cluster.node("node-1").antiEntropy().trees().depth(), 1,
                    List.of(0, 1));
            case 8 -> new Message.LeafKeys(partition, cluster.node("node-1").antiEntropy().trees().depth(), List.of(0));
            case 9 -> new Message.Reconcile(partition, List.of(new Message.KeyVersions(key, versions(random))));
            case 10 -> new Message.CollectTombstones(partition, List.of(new Message.KeyVersions(key,
                    List.of(Versioned.tombstone(clock(random))))));
            case 11 -> new Message.Repair(random.nextBoolean() ? Optional.empty() : Optional.of(partition));
            case 12 -> new Message.StreamPartition(partition, Optional.empty(), 1 + random.nextInt(10));
            case 13 -> new Message.Decommission(NODES.get(random.nextInt(3)));
            case 15 -> new Message.CreateStore("carts", Map.of("n", "2", "resolver", "lww"));
            case 16 -> new Message.DropStore("carts");
            case 17 -> new Message.ListStores();
            default -> new Message.Routing();
        };
    }

    private static Optional<WriteId> writeId(Random random) {
        return random.nextBoolean() ? Optional.empty() : Optional.of(new WriteId(random.nextLong() | 1, 1 + random.nextInt(3)));
    }

    /** {@code valid} with one field replaced by a hostile value; null when its record refuses every one tried. */
    private Message.Request mutate(Message.Request valid, Random random) {
        RecordComponent[] components = valid.getClass().getRecordComponents();
        if (components.length == 0) {
            return null;
        }
        int which = random.nextInt(components.length);
        Object[] values = new Object[components.length];
        Class<?>[] types = new Class<?>[components.length];
        try {
            for (int i = 0; i < components.length; i++) {
                values[i] = components[i].getAccessor().invoke(valid);
                types[i] = components[i].getType();
            }
            Constructor<?> constructor = valid.getClass().getDeclaredConstructor(types);
            for (int attempt = 0; attempt < 5; attempt++) {
                values[which] = hostile(components[which], values[which], random);
                try {
                    return (Message.Request) constructor.newInstance(values);
                } catch (InvocationTargetException refused) {
                    // the record itself refuses this value (so would the decoder): try another
                }
            }
            return null;
        } catch (ReflectiveOperationException e) {
            throw new AssertionError(e);
        }
    }

    private Object hostile(RecordComponent component, Object current, Random random) {
        String type = component.getGenericType().getTypeName();
        long now = cluster.network().currentTimeMillis();
        return switch (type) {
            case "io.dynamo.api.Bytes" -> pick(random, hostileBytes(random));
            case "int" -> pick(random, List.of(-1, 0, 1, 15, 16, 255, Integer.MAX_VALUE, Integer.MIN_VALUE,
                    StorageEngine.HINTS_PARTITION - 1, StorageEngine.QUARANTINE_PARTITION, Message.MAX_QUORUM + 1));
            case "long" -> pick(random, List.of(-1L, 0L, 1L, Long.MAX_VALUE, Long.MIN_VALUE, 86_400_001L));
            case "boolean" -> !(Boolean) current;
            case "java.lang.String" -> pick(random, List.of("", "x".repeat(300), "ghost", "node-1", "node-2", "\u0000"));
            case "io.dynamo.api.VectorClock" -> pick(random, hostileClocks(now));
            case "java.util.List<io.dynamo.api.Versioned>" -> pick(random, hostileVersionLists(now, random));
            case "java.util.List<io.dynamo.core.messages.Message$KeyVersions>" -> pick(random, List.of(List.of(),
                    List.of(new Message.KeyVersions(Bytes.EMPTY, List.of())),
                    List.of(new Message.KeyVersions(pick(random, hostileBytes(random)), List.of(Versioned.tombstone(
                            VectorClock.of(new VectorClock.Entry("node-1", 1, now)))))),
                    List.of(new Message.KeyVersions(key(random.nextInt(25)), pick(random, hostileVersionLists(now, random))))));
            case "java.util.List<java.lang.Integer>" -> pick(random, List.of(List.of(), List.of(-1),
                    List.of(Integer.MAX_VALUE), java.util.Collections.nCopies(10_000, 0)));
            case "java.util.Optional<java.lang.String>" -> pick(random, List.of(Optional.empty(), Optional.of("ghost"),
                    Optional.of(""), Optional.of("x".repeat(300))));
            case "java.util.Optional<java.lang.Integer>" -> pick(random, List.of(Optional.empty(), Optional.of(-1),
                    Optional.of(Integer.MAX_VALUE), Optional.of(StorageEngine.HINTS_PARTITION - 1), Optional.of(16)));
            case "java.util.Optional<io.dynamo.api.WriteId>" -> pick(random, List.of(Optional.empty(),
                    Optional.of(new WriteId(1, 1)), Optional.of(new WriteId(-1, Long.MAX_VALUE)),
                    Optional.of(new WriteId(Long.MIN_VALUE, 1))));
            case "java.util.Map<java.lang.String, java.lang.String>" -> pick(random, List.of(Map.of(),
                    Map.of("n", "-1"), Map.of("n", "99999999999"), Map.of("color", "red"), Map.of("timeout", "0"),
                    Map.of("resolver", "x".repeat(256)), manySettings()));
            case "java.util.Optional<io.dynamo.api.Bytes>" -> pick(random, List.of(Optional.empty(), Optional.of(Bytes.EMPTY),
                    Optional.of(pick(random, hostileBytes(random)))));
            default -> throw new AssertionError("no hostile values for " + type + " of " + component);
        };
    }

    private static Map<String, String> manySettings() {
        Map<String, String> settings = new java.util.TreeMap<>();
        for (int i = 0; i < 32; i++) {
            settings.put("k" + i, "v");
        }
        return settings;
    }

    private static List<Bytes> hostileBytes(Random random) {
        return List.of(Bytes.EMPTY, Bytes.of(new byte[] {0}), filled(LIMITS.maxKeySize() + 1),
                filled(LIMITS.maxValueSize() + 1), filled(4096), key(100 + random.nextInt(100)));
    }

    private static Bytes filled(int length) {
        byte[] bytes = new byte[length];
        Arrays.fill(bytes, (byte) 'k');
        return Bytes.of(bytes);
    }

    private static List<VectorClock> hostileClocks(long now) {
        return List.of(VectorClock.EMPTY,
                VectorClock.of(new VectorClock.Entry("node-1", VectorClock.MAX_COUNTER, now)),
                VectorClock.of(new VectorClock.Entry("node-2", 1, Long.MAX_VALUE)),
                VectorClock.of(new VectorClock.Entry("node-3", 1, now + 3_600_000)),
                manyEntries(51, now), manyEntries(VectorClock.MAX_ENTRIES, now));
    }

    private static VectorClock manyEntries(int count, long now) {
        List<VectorClock.Entry> entries = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            entries.add(new VectorClock.Entry("n" + i, 1, now));
        }
        return VectorClock.of(entries);
    }

    private static List<List<Versioned>> hostileVersionLists(long now, Random random) {
        List<Versioned> many = new ArrayList<>();
        for (int i = 0; i < 150; i++) {
            many.add(Versioned.of(VectorClock.of(new VectorClock.Entry("w" + i, 1, now)), Bytes.utf8("s" + i)));
        }
        List<List<Versioned>> lists = new ArrayList<>();
        lists.add(List.of());
        lists.add(many);
        lists.add(List.of(Versioned.of(VectorClock.EMPTY, Bytes.utf8("no clock"))));
        lists.add(List.of(Versioned.of(VectorClock.of(new VectorClock.Entry("w", 1, now)), filled(LIMITS.maxValueSize() + 1))));
        for (VectorClock clock : hostileClocks(now)) {
            lists.add(List.of(random.nextBoolean() ? Versioned.tombstone(clock) : Versioned.of(clock, Bytes.utf8("h"))));
        }
        return lists;
    }

    /** The encoding with one byte changed, bytes cut off, or a byte inserted. */
    private static byte[] damage(byte[] bytes, Random random) {
        int at = random.nextInt(bytes.length);
        return switch (random.nextInt(3)) {
            case 0 -> {
                byte[] flipped = bytes.clone();
                flipped[at] = (byte) pick(random, List.of(0, 0x7F, 0x80, 0xFF, random.nextInt(256))).intValue();
                yield flipped;
            }
            case 1 -> Arrays.copyOf(bytes, at);
            default -> {
                byte[] longer = new byte[bytes.length + 1];
                System.arraycopy(bytes, 0, longer, 0, at);
                longer[at] = (byte) 0xFF;
                System.arraycopy(bytes, at, longer, at + 1, bytes.length - at);
                yield longer;
            }
        };
    }

    private static <T> T pick(Random random, List<T> choices) {
        return choices.get(random.nextInt(choices.size()));
    }
}
