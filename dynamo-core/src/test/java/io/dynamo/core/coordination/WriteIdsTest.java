package io.dynamo.core.coordination;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.dynamo.api.Bytes;
import io.dynamo.api.VectorClock;
import io.dynamo.api.Versioned;
import io.dynamo.api.WriteId;
import io.dynamo.core.storage.MemoryStorageEngine;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** A client write counts once: at the coordinator that stamps it, and wherever its copies meet. */
class WriteIdsTest {
    private static final WriteId WRITE = new WriteId(0x5eed, 1);
    private static final Bytes KEY = Bytes.utf8("k");
    private static final Bytes VALUE_V = Bytes.utf8("v");

    private static Versioned made(String value, String node, WriteId id) {
        return Versioned.of(VectorClock.EMPTY.increment(node, 1), Bytes.utf8(value)).withWriteId(id);
    }

    @Test
    void aRepeatedWriteIdIsAnsweredWithTheFirstVersionAndStoresNothing() {
        ReplicaStore store = new ReplicaStore(new MemoryStorageEngine());
        ReplicaStore.Written first = store.write(0, KEY, Bytes.utf8("v"), false, VectorClock.EMPTY, "n1", 1, 10, 100,
                Optional.of(WRITE));
        assertFalse(first.repeated());
        assertEquals(Optional.of(WRITE), first.version().writeId());

        ReplicaStore.Written again = store.write(0, KEY, Bytes.utf8("v"), false, VectorClock.EMPTY, "n1", 2, 10, 100,
                Optional.of(WRITE));
        assertTrue(again.repeated());
        assertEquals(first.version(), again.version());
        assertEquals(List.of(first.version()), store.read(0, KEY));

        // the same value without a write id (a client before write ids) is a new write, as always
        store.write(0, KEY, Bytes.utf8("v"), false, VectorClock.EMPTY, "n1", 3, 10, 100, Optional.empty());
        assertEquals(2, store.read(0, KEY).size());
    }

    @Test
    void aReplicaSkipsACopyOfAWriteItHolds() {
        Versioned held = made("v", "n1", WRITE);
        assertEquals(List.of(held), Siblings.merge(List.of(held), List.of(held)));
        Versioned other = made("w", "n2", new WriteId(0x5eed, 2));
        assertEquals(List.of(held, other), Siblings.merge(List.of(held), List.of(other)));
    }

    @Test
    void twoCopiesOfOneWriteWithDifferentClocksLeaveTheSameOneWhicheverArrivesFirst() {
        // a retry applied by a second coordinator before the first one's copy reached it
        Versioned fromN1 = made("v", "n1", WRITE);
        Versioned fromN2 = made("v", "n2", WRITE);
        Versioned unrelated = made("u", "n3", new WriteId(7, 1));
        List<Versioned> oneWay = Siblings.merge(List.of(fromN1, unrelated), List.of(fromN2));
        List<Versioned> otherWay = Siblings.merge(List.of(fromN2, unrelated), List.of(fromN1));
        assertEquals(2, oneWay.size(), "one copy of the write and the unrelated version: " + oneWay);
        assertEquals(java.util.Set.copyOf(oneWay), java.util.Set.copyOf(otherWay));
        assertTrue(oneWay.contains(unrelated));
        // and both copies arriving together settle the same way
        assertEquals(java.util.Set.copyOf(oneWay),
                java.util.Set.copyOf(Siblings.merge(List.of(unrelated), List.of(fromN2, fromN1))));
    }

    @Test
    void theCopyStampedLastIsKeptForItsClockIsTheOneTheClientWasGiven() {
        Versioned first = Versioned.of(VectorClock.EMPTY.increment("n9", 100), VALUE_V).withWriteId(WRITE);
        Versioned retry = Versioned.of(VectorClock.EMPTY.increment("n1", 200), VALUE_V).withWriteId(WRITE);
        assertEquals(List.of(retry), Siblings.merge(List.of(first), List.of(retry)));
        assertEquals(List.of(retry), Siblings.merge(List.of(retry), List.of(first)));
    }

    @Test
    void aVersionThatSupersedesOneCopySupersedesTheWrite() {
        Versioned fromN1 = made("v", "n1", WRITE);
        Versioned fromN2 = made("v", "n2", WRITE);
        Versioned kept = WriteIds.keeps(fromN1, fromN2) ? fromN1 : fromN2;
        Versioned next = Versioned.of(kept.clock().increment("n3", 2), Bytes.utf8("next")).withWriteId(new WriteId(0x5eed, 2));
        List<Versioned> merged = Siblings.merge(List.of(kept), List.of(next));
        assertEquals(List.of(next), merged);
    }

    @Test
    void listsWithoutWriteIdsAreLeftAlone() {
        List<Versioned> stored = List.of(Versioned.of(VectorClock.EMPTY.increment("a", 1), Bytes.utf8("x")));
        List<Versioned> incoming = List.of(Versioned.of(VectorClock.EMPTY.increment("b", 1), Bytes.utf8("x")));
        WriteIds.Settled settled = WriteIds.settle(stored, incoming);
        assertSame(stored, settled.stored());
        assertSame(incoming, settled.incoming());
    }
}
