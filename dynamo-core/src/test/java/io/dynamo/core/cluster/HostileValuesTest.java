package io.dynamo.core.cluster;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.dynamo.api.Bytes;
import io.dynamo.api.Context;
import io.dynamo.api.DynamoStore;
import io.dynamo.api.InvalidArgumentException;
import io.dynamo.api.ReadResult;
import io.dynamo.api.RequestOptions;
import io.dynamo.api.VectorClock;
import io.dynamo.api.Versioned;
import io.dynamo.api.codec.BytesOut;
import io.dynamo.core.antientropy.AntiEntropySettings;
import io.dynamo.core.coordination.VersionLimits;
import io.dynamo.core.messages.ErrorCode;
import io.dynamo.core.messages.Message;
import io.dynamo.core.messages.MessageCodec;
import io.dynamo.core.storage.MemoryStorageEngine;
import io.dynamo.spi.storage.StorageEngine;
import io.dynamo.spi.transport.Endpoint;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/**
 * Forged contexts and versions, and damaged stored values, on simulated in-process clusters:
 * nothing a request carries or a disk damages makes a key unreadable or stops handoff.
 */
class HostileValuesTest {
    private static final Duration WAIT = Duration.ofSeconds(10);
    private static final byte[] GARBAGE = {1, 5, 0, (byte) 0xFF, (byte) 0xFF, 42};

    private static Bytes utf8(String text) {
        return Bytes.utf8(text);
    }

    /** A ClientPut whose context has one entry with a counter no clock may hold, encoded by hand. */
    private static byte[] clientPutWithCounter(Bytes key, String node, long counter, long timestamp) {
        BytesOut out = new BytesOut();
        out.writeByte(MessageCodec.VERSION).writeByte(2).writeBytes(key).writeBytes(utf8("forged"));
        out.writeVarInt(1).writeString(node).writeVarLong(counter).writeVarLong(timestamp);
        out.writeVarInt(0).writeVarLong(0).writeByte(0); // quorum, timeout, flags
        return out.toByteArray();
    }

    private static Message send(InProcessCluster cluster, String node, byte[] request) {
        return MessageCodec.decode(cluster.network().await(
                cluster.network().transport("attacker").request(new Endpoint(node), request, WAIT), WAIT));
    }

    private static Message send(InProcessCluster cluster, String node, Message request) {
        return send(cluster, node, MessageCodec.encode(request));
    }

    @Test
    void aContextAtTheLargestCounterIsRefusedAndTheKeyAndHandoffKeepWorking() {
        try (InProcessCluster cluster = InProcessCluster.builder().seed(31).build()) {
            Bytes key = utf8("victim");
            String coordinator = cluster.ring().preferenceList(key, 3).get(0);
            String absent = cluster.ring().preferenceList(key, 3).get(2);
            DynamoStore client = cluster.client("client");
            client.put(key, utf8("v1"), Context.EMPTY);
            cluster.crash(absent);

            // 2^63-1 does not even decode; 2^62 decodes but cannot be incremented
            Message wrapped = send(cluster, coordinator, clientPutWithCounter(key, coordinator, Long.MAX_VALUE, 1));
            Message atMax = send(cluster, coordinator, clientPutWithCounter(key, coordinator, VectorClock.MAX_COUNTER, 1));

            assertInstanceOf(Message.Error.class, wrapped);
            assertEquals(ErrorCode.INVALID_ARGUMENT, ((Message.Error) atMax).code(), atMax.toString());
            assertTrue(((Message.Error) atMax).message().contains("maximum"), atMax.toString());
            ReadResult read = client.get(key);
            assertEquals(List.of(utf8("v1")), read.values());
            client.put(key, utf8("v2"), read.context());
            assertEquals(List.of(utf8("v2")), client.get(key).values());

            cluster.restart(absent);
            assertTrue(cluster.awaitHandoff(WAIT), "every hint delivered");
            int partition = cluster.ring().partitionOf(key);
            assertEquals(List.of(utf8("v2")),
                    cluster.storage(absent).get(partition, key).stream().map(Versioned::value).toList());
            assertTrue(cluster.storage(absent).get(partition, key).get(0).clock().counter(coordinator)
                    < VectorClock.MAX_COUNTER, "no forged counter was stored");
        }
    }

    @Test
    void aCorruptHintIsSkippedAndQuarantinedWhileTheOthersAreDelivered() {
        try (InProcessCluster cluster = InProcessCluster.builder().seed(32).build()) {
            cluster.crash("node-3");
            DynamoStore store = cluster.store("node-1");
            List<Bytes> keys = new ArrayList<>();
            for (int i = 0; i < 20; i++) {
                Bytes key = utf8("key-" + i);
                store.put(key, utf8("v" + i), Context.EMPTY);
                keys.add(key);
            }
            MemoryStorageEngine holder = (MemoryStorageEngine) cluster.storage("node-1");
            assertTrue(holder.size(StorageEngine.HINTS_PARTITION) > 0, "node-1 holds hints for node-3");
            Bytes badHint = hintKey("node-3", utf8("damaged"));
            holder.putStoredBytes(StorageEngine.HINTS_PARTITION, badHint, GARBAGE);

            cluster.restart("node-3");
            assertTrue(cluster.network().runUntil(() -> holder.size(StorageEngine.HINTS_PARTITION) == 0, WAIT),
                    "every readable hint delivered, the damaged one moved aside");

            for (Bytes key : keys) {
                int partition = cluster.ring().partitionOf(key);
                assertEquals(1, cluster.storage("node-3").get(partition, key).size(), "node-3 got " + key);
            }
            assertEquals(1, cluster.node("node-1").unreadableValues());
            List<Versioned> kept = holder.get(StorageEngine.QUARANTINE_PARTITION,
                    StorageEngine.quarantineKey(StorageEngine.HINTS_PARTITION, badHint));
            assertEquals(Bytes.of(GARBAGE), kept.get(0).value(), "the damaged bytes are kept as they were");
        }
    }

    @Test
    void aHintForAStrangerIsRefusedAndOneHeldForANodeThatLeftDoesNotStopTheOthers() {
        try (InProcessCluster cluster = InProcessCluster.builder().seed(40).build()) {
            long now = cluster.network().currentTimeMillis();
            List<Versioned> version = List.of(Versioned.of(VectorClock.of(new VectorClock.Entry("node-1", 1, now)),
                    utf8("v")));
            Message forged = send(cluster, "node-1", new Message.ReplicaWrite(utf8("k"), version, Optional.of("ghost")));
            assertEquals(ErrorCode.INVALID_ARGUMENT, ((Message.Error) forged).code(), forged.toString());

            cluster.crash("node-3");
            DynamoStore store = cluster.store("node-1");
            for (int i = 0; i < 10; i++) {
                store.put(utf8("key-" + i), utf8("v" + i), Context.EMPTY);
            }
            // a hint kept for a node no longer in the cluster (it left, or an older build took it)
            cluster.node("node-1").hints().add("a-node-that-left", utf8("orphan"), version);
            cluster.restart("node-3");
            StorageEngine holder = cluster.storage("node-1");
            assertTrue(cluster.network().runUntil(() -> holder.size(StorageEngine.HINTS_PARTITION) == 1, WAIT),
                    "every hint for node-3 delivered; the orphan stays");
        }
    }

    @Test
    void aCorruptStoredCopyReadsAsAbsentAndIsRepairedByReadRepair() {
        try (InProcessCluster cluster = InProcessCluster.builder().seed(33).build()) {
            Bytes key = utf8("damaged");
            DynamoStore client = cluster.client("client");
            client.put(key, utf8("good"), Context.EMPTY);
            cluster.network().runFor(Duration.ofMillis(100));
            String damagedOwner = cluster.ring().preferenceList(key, 3).get(1);
            int partition = cluster.ring().partitionOf(key);
            MemoryStorageEngine damaged = (MemoryStorageEngine) cluster.storage(damagedOwner);
            damaged.putStoredBytes(partition, key, GARBAGE);

            ReadResult read = client.get(key, RequestOptions.quorum(3));

            assertEquals(List.of(utf8("good")), read.values());
            assertTrue(cluster.network().runUntil(() -> damaged.get(partition, key).size() == 1, WAIT), "repaired");
            assertEquals(utf8("good"), damaged.get(partition, key).get(0).value());
            assertEquals(1, cluster.node(damagedOwner).unreadableValues());
            assertEquals(Bytes.of(GARBAGE), damaged.get(StorageEngine.QUARANTINE_PARTITION,
                    StorageEngine.quarantineKey(partition, key)).get(0).value());
        }
    }

    @Test
    void aCorruptStoredCopyIsRepairedByAntiEntropy() {
        AntiEntropySettings settings = AntiEntropySettings.DEFAULT.withInterval(Duration.ZERO).withTreeDepth(4);
        try (InProcessCluster cluster = InProcessCluster.builder().seed(34).antiEntropy(settings).build()) {
            DynamoStore store = cluster.store("node-1");
            for (int i = 0; i < 50; i++) {
                store.put(utf8("key-" + i), utf8("v" + i), Context.EMPTY);
            }
            cluster.network().runFor(Duration.ofMillis(100));
            Bytes key = utf8("key-7");
            String damagedOwner = cluster.ring().preferenceList(key, 3).get(2);
            int partition = cluster.ring().partitionOf(key);
            MemoryStorageEngine damaged = (MemoryStorageEngine) cluster.storage(damagedOwner);
            damaged.putStoredBytes(partition, key, GARBAGE);

            cluster.network().await(cluster.node(damagedOwner).repair(Optional.of(partition)), WAIT);

            assertEquals(List.of(utf8("v7")), damaged.get(partition, key).stream().map(Versioned::value).toList());
            assertEquals(1, cluster.node(damagedOwner).unreadableValues());
        }
    }

    @Test
    void aReplicaWriteWithAClockOverTheLimitIsRefusedAndNothingIsStored() {
        try (InProcessCluster cluster = InProcessCluster.builder().seed(36).build()) {
            Bytes key = utf8("big-clock");
            long now = cluster.network().currentTimeMillis();
            Message huge = send(cluster, "node-1", new Message.ReplicaWrite(key,
                    List.of(Versioned.of(clockOf(10_000, now), utf8("x"))), Optional.empty()));
            Message justOver = send(cluster, "node-1", new Message.ReplicaWrite(key,
                    List.of(Versioned.of(clockOf(51, now), utf8("x"))), Optional.empty()));
            Message atLimit = send(cluster, "node-1", new Message.ReplicaWrite(key,
                    List.of(Versioned.of(clockOf(50, now), utf8("x"))), Optional.empty()));

            assertInstanceOf(Message.Error.class, huge);
            assertEquals(ErrorCode.INVALID_ARGUMENT, ((Message.Error) justOver).code(), justOver.toString());
            assertTrue(((Message.Error) justOver).message().contains("replication.max-clock-entries"), justOver.toString());
            assertInstanceOf(Message.Ack.class, atLimit);
            int partition = cluster.ring().partitionOf(key);
            assertEquals(50, cluster.storage("node-1").get(partition, key).get(0).clock().size());
        }
    }

    @Test
    void aTimestampFarInTheFutureIsRefusedInContextsAndVersions() {
        try (InProcessCluster cluster = InProcessCluster.builder().seed(37).build()) {
            Bytes key = utf8("future");
            long now = cluster.network().currentTimeMillis();
            Message forgedContext = send(cluster, "node-1", clientPutWithCounter(key, "node-9", 1, Long.MAX_VALUE));
            Message forgedVersion = send(cluster, "node-1", new Message.ReplicaWrite(key,
                    List.of(Versioned.of(VectorClock.of(new VectorClock.Entry("node-9", 1, now + 3_600_000)), utf8("x"))),
                    Optional.empty()));
            Message forgedHint = send(cluster, "node-1", new Message.HintDelivery(key,
                    List.of(Versioned.of(VectorClock.of(new VectorClock.Entry("node-9", 1, Long.MAX_VALUE)), utf8("x"))),
                    "node-2"));
            Message slightlyAhead = send(cluster, "node-1", new Message.ReplicaWrite(key,
                    List.of(Versioned.of(VectorClock.of(new VectorClock.Entry("node-9", 1, now + 1_000)), utf8("y"))),
                    Optional.empty()));

            for (Message refused : List.of(forgedContext, forgedVersion, forgedHint)) {
                assertEquals(ErrorCode.INVALID_ARGUMENT, ((Message.Error) refused).code(), refused.toString());
                assertTrue(((Message.Error) refused).message().contains("replication.max-clock-skew"), refused.toString());
            }
            assertInstanceOf(Message.Ack.class, slightlyAhead);
            int partition = cluster.ring().partitionOf(key);
            assertEquals(List.of(utf8("y")),
                    cluster.storage("node-1").get(partition, key).stream().map(Versioned::value).toList());
        }
    }

    @Test
    void aBadKeyInAnAntiEntropyBatchIsSkippedAndTheOthersAreMerged() {
        try (InProcessCluster cluster = InProcessCluster.builder().seed(42).build()) {
            long now = cluster.network().currentTimeMillis();
            Bytes good = utf8("key-0");
            int partition = cluster.ring().partitionOf(good);
            Bytes bad = null;
            for (int i = 1; bad == null; i++) {
                if (cluster.ring().partitionOf(utf8("key-" + i)) == partition) {
                    bad = utf8("key-" + i);
                }
            }
            Message answer = send(cluster, "node-1", new Message.Reconcile(partition, List.of(
                    new Message.KeyVersions(bad, List.of(Versioned.of(
                            VectorClock.of(new VectorClock.Entry("node-9", 1, Long.MAX_VALUE)), utf8("forged")))),
                    new Message.KeyVersions(good, List.of(Versioned.of(
                            VectorClock.of(new VectorClock.Entry("node-9", 1, now)), utf8("fine")))))));

            assertInstanceOf(Message.Reconciled.class, answer);
            assertEquals(List.of(utf8("fine")),
                    cluster.storage("node-1").get(partition, good).stream().map(Versioned::value).toList());
            assertEquals(List.of(), cluster.storage("node-1").get(partition, bad), "the forged version was not stored");

            Message elsewhere = send(cluster, "node-1", new Message.Reconcile(StorageEngine.HINTS_PARTITION,
                    List.of(new Message.KeyVersions(good, List.of()))));
            assertEquals(ErrorCode.INVALID_ARGUMENT, ((Message.Error) elsewhere).code(), elsewhere.toString());
        }
    }

    @Test
    void writesAddingSiblingsBeyondTheLimitAreRefusedWhileAResolvingWriteIsAccepted() {
        VersionLimits limits = new VersionLimits(3, 5, VersionLimits.DEFAULT_MAX_CLOCK_SKEW);
        try (InProcessCluster cluster = InProcessCluster.builder().seed(38).versionLimits(limits).build()) {
            Bytes key = utf8("hot");
            DynamoStore store = cluster.store(cluster.ring().preferenceList(key, 3).get(0));
            for (int i = 0; i < 5; i++) {
                store.put(key, utf8("v" + i), Context.EMPTY); // blind writes: each one a sibling
            }
            assertEquals(5, store.get(key).values().size());

            InvalidArgumentException refused = assertThrows(InvalidArgumentException.class,
                    () -> store.put(key, utf8("one too many"), Context.EMPTY));
            assertTrue(refused.getMessage().contains("replication.max-siblings=5"), refused.getMessage());
            assertEquals(5, store.get(key).values().size(), "the refused write stored nothing");

            ReadResult read = store.get(key);
            store.put(key, utf8("resolved"), read.context());
            assertEquals(List.of(utf8("resolved")), store.get(key, RequestOptions.quorum(3)).values());
        }
    }

    @Test
    void replicaMergesAtTheSiblingLimitAreAccepted() {
        VersionLimits limits = new VersionLimits(2, 2, VersionLimits.DEFAULT_MAX_CLOCK_SKEW);
        try (InProcessCluster cluster = InProcessCluster.builder().seed(39).versionLimits(limits).build()) {
            Bytes key = utf8("merged");
            long now = cluster.network().currentTimeMillis();
            List<Versioned> three = List.of(
                    Versioned.of(VectorClock.of(new VectorClock.Entry("node-a", 1, now)), utf8("a")),
                    Versioned.of(VectorClock.of(new VectorClock.Entry("node-b", 1, now)), utf8("b")),
                    Versioned.of(VectorClock.of(new VectorClock.Entry("node-c", 1, now)), utf8("c")));
            Message answer = send(cluster, "node-1", new Message.ReplicaWrite(key, three, Optional.empty()));
            assertInstanceOf(Message.Ack.class, answer);
            int partition = cluster.ring().partitionOf(key);
            assertEquals(3, cluster.storage("node-1").get(partition, key).size(),
                    "versions another coordinator accepted are kept, so replicas converge");
        }
    }

    private static VectorClock clockOf(int entries, long timestamp) {
        List<VectorClock.Entry> list = new ArrayList<>();
        for (int i = 0; i < entries; i++) {
            list.add(new VectorClock.Entry("n" + i, 1, timestamp));
        }
        return VectorClock.of(list);
    }

    /** How HintStore names a hint: the owner's id, then the key. */
    private static Bytes hintKey(String owner, Bytes key) {
        BytesOut out = new BytesOut();
        out.writeString(owner).writeBytes(key);
        return Bytes.wrapOwned(out.toByteArray());
    }

    @Test
    void aRequestWithATinyTimeoutDoesNotMakeItsCoordinatorSuspectItsPeers() {
        try (InProcessCluster cluster = InProcessCluster.builder().seed(33).faults(
                io.dynamo.core.transport.local.Faults.delay(Duration.ofMillis(2), Duration.ofMillis(5))).build()) {
            Bytes key = utf8("k");
            String coordinator = cluster.ring().preferenceList(key, 3).get(0);
            for (int i = 0; i < 5; i++) {
                // quorum 3 within 1 ms: the peers cannot answer in time, through no fault of theirs
                assertInstanceOf(Message.Error.class, send(cluster, coordinator, new Message.ClientDelete(key,
                        VectorClock.EMPTY, 3, 1, false)));
            }
            for (String peer : cluster.ring().preferenceList(key, 3).subList(1, 3)) {
                assertTrue(cluster.node(coordinator).failureDetector().isAvailable(peer), peer + " suspected");
            }
            cluster.store(coordinator).put(key, utf8("v"), Context.EMPTY, RequestOptions.quorum(3));
        }
    }
}
