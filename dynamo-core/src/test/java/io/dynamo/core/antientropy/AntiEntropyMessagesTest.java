package io.dynamo.core.antientropy;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.dynamo.api.Bytes;
import io.dynamo.api.InvalidArgumentException;
import io.dynamo.api.VectorClock;
import io.dynamo.api.Versioned;
import io.dynamo.api.codec.MalformedDataException;
import io.dynamo.core.messages.Message;
import io.dynamo.core.messages.MessageCodec;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class AntiEntropyMessagesTest {
    private static final Versioned VALUE = Versioned.of(VectorClock.EMPTY.increment("a", 5), Bytes.utf8("v"));
    private static final Versioned TOMBSTONE = Versioned.tombstone(VectorClock.EMPTY.increment("a", 5).increment("b", 6));

    @Test
    void everyAntiEntropyMessageSurvivesTheCodec() {
        List<Message> messages = List.of(
                new Message.TreeNodes(7, 10, 3, List.of(0, 5, 7)),
                new Message.TreeHashes(List.of(Long.MIN_VALUE, 0L, -1L, 42L)),
                new Message.LeafKeys(0, 4, List.of(15, 0)),
                new Message.LeafDigests(List.of(new Message.KeyDigest(Bytes.utf8("k"), -5L))),
                new Message.Reconcile(3, List.of(new Message.KeyVersions(Bytes.utf8("k"), List.of(VALUE)),
                        new Message.KeyVersions(Bytes.utf8("missing"), List.of()))),
                new Message.Reconciled(List.of(new Message.KeyVersions(Bytes.utf8("k"), List.of(VALUE, TOMBSTONE)))),
                new Message.CollectTombstones(9, List.of(new Message.KeyVersions(Bytes.utf8("gone"), List.of(TOMBSTONE)))),
                new Message.Repair(Optional.empty()),
                new Message.Repair(Optional.of(255)),
                new RoundReport(1, 2, 3, 4, 5, 6, 7, 8, 9).toMessage());
        for (Message m : messages) {
            assertEquals(m, MessageCodec.decode(MessageCodec.encode(m)), m.getClass().getSimpleName());
        }
    }

    @Test
    void invalidTreeRequestsAreRefused() {
        assertThrows(InvalidArgumentException.class, () -> new Message.TreeNodes(0, 21, 0, List.of(0)));
        assertThrows(InvalidArgumentException.class, () -> new Message.TreeNodes(0, 4, 2, List.of(4)));
        assertThrows(InvalidArgumentException.class, () -> new Message.LeafKeys(0, 4, List.of(16)));
        assertThrows(InvalidArgumentException.class,
                () -> new Message.CollectTombstones(0, List.of(new Message.KeyVersions(Bytes.utf8("k"), List.of(VALUE)))));
        byte[] good = MessageCodec.encode(new Message.TreeNodes(0, 4, 2, List.of(3)));
        byte[] badIndex = good.clone();
        badIndex[badIndex.length - 1] = 4; // node 4 of a 4-node level
        assertThrows(MalformedDataException.class, () -> MessageCodec.decode(badIndex));
        assertThrows(MalformedDataException.class, () -> MessageCodec.decode(Arrays.copyOf(good, good.length - 1)));
    }
}
