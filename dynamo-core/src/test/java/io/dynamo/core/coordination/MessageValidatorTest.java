package io.dynamo.core.coordination;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.dynamo.api.Bytes;
import io.dynamo.api.InvalidArgumentException;
import io.dynamo.api.VectorClock;
import io.dynamo.api.Versioned;
import io.dynamo.core.causality.WriterSlots;
import io.dynamo.core.cluster.InProcessCluster;
import io.dynamo.core.messages.Message;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** The node-level checks on what peers answer, on a real cluster's ring. */
class MessageValidatorTest {
    private static Message.KeyVersions key(String key, long timestamp) {
        return new Message.KeyVersions(Bytes.utf8(key),
                List.of(Versioned.of(VectorClock.of(new VectorClock.Entry("n1", 1, timestamp)), Bytes.utf8("v"))));
    }

    @Test
    void answersAboutAPartitionKeepOnlyItsValidKeys() {
        try (InProcessCluster cluster = InProcessCluster.builder().seed(5).build()) {
            long now = 1_000_000;
            MessageValidator validator = new MessageValidator(RequestLimits.DEFAULT, 50, VersionLimits.DEFAULT,
                    () -> now, cluster::view, new WriterSlots());
            int partition = cluster.ring().partitionOf(Bytes.utf8("a"));
            String elsewhere = "b";
            for (int i = 0; cluster.ring().partitionOf(Bytes.utf8(elsewhere)) == partition; i++) {
                elsewhere = "b" + i;
            }
            Message.StreamBatch batch = new Message.StreamBatch(List.of(key("a", now), key(elsewhere, now)), false);

            Message.StreamBatch checked = validator.checkAnswer(
                    new Message.StreamPartition(partition, Optional.empty(), 10), batch);

            assertEquals(List.of(key("a", now)), checked.keys());
            assertEquals(false, checked.last());
            Message.Reconciled fine = new Message.Reconciled(List.of(key("a", now)));
            assertSame(fine, validator.checkAnswer(new Message.Reconcile(partition, List.of()), fine));
            Message.Reconciled future = new Message.Reconciled(List.of(key("a", Long.MAX_VALUE)));
            assertEquals(List.of(), validator.checkAnswer(new Message.Reconcile(partition, List.of()), future).keys());
            assertThrows(InvalidArgumentException.class, () -> validator.check(new Message.ReplicaWrite(Bytes.EMPTY,
                    List.of(), Optional.empty())), "an empty key");
        }
    }
}
