package io.dynamo.core.coordination;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.dynamo.api.Bytes;
import io.dynamo.api.Causality;
import io.dynamo.api.VectorClock;
import io.dynamo.api.Versioned;
import io.dynamo.core.causality.WriterSlots;
import io.dynamo.core.storage.MemoryStorageEngine;
import io.dynamo.spi.causality.NewWrite;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The replica's causality rules, and how a coordinator stamps new writes. */
class SiblingsTest {
    private static VectorClock clock(Object... entries) {
        List<VectorClock.Entry> list = new java.util.ArrayList<>();
        for (int i = 0; i < entries.length; i += 2) {
            list.add(new VectorClock.Entry((String) entries[i], ((Number) entries[i + 1]).longValue(), 0));
        }
        return VectorClock.of(list);
    }

    private static Versioned v(String value, VectorClock clock) {
        return Versioned.of(clock, Bytes.utf8(value));
    }

    @Test
    void equalSiblingValuesAreShownOnceUnderTheirMergedClock() {
        Versioned first = v("milk", clock("a", 1));
        Versioned other = v("tea", clock("c", 1));
        Versioned retried = v("milk", clock("b", 1));
        Versioned gone = Versioned.tombstone(clock("d", 1));
        Versioned goneToo = Versioned.tombstone(clock("e", 1));

        assertEquals(List.of(v("milk", clock("a", 1, "b", 1)), other),
                Siblings.withoutRepeatedValues(List.of(first, other, retried)));
        assertEquals(List.of(gone, goneToo), Siblings.withoutRepeatedValues(List.of(gone, goneToo)),
                "tombstones stay: a read of only tombstones is not-found anyway");
        assertEquals(List.of(first, other, gone), Siblings.withoutRepeatedValues(List.of(first, other, gone)),
                "distinct contents stay as they are");
        assertEquals(List.of(first), Siblings.withoutRepeatedValues(List.of(first)));
    }

    @Test
    void mergeDropsDominatedKeepsConcurrentAndDedupesEqual() {
        Versioned old = v("old", clock("a", 1));
        Versioned newer = v("newer", clock("a", 2));
        Versioned other = v("other", clock("b", 1));
        assertEquals(List.of(newer), Siblings.merge(List.of(old), List.of(newer)));
        assertEquals(List.of(newer), Siblings.merge(List.of(newer), List.of(old)));
        assertEquals(List.of(newer, other), Siblings.merge(List.of(newer), List.of(other)));
        assertEquals(List.of(newer), Siblings.merge(List.of(newer), List.of(v("copy", clock("a", 2)))),
                "an equal clock is the same version: the stored copy stays");
        assertEquals(List.of(newer, other), Siblings.merge(List.of(newer, other), List.of(newer, other)));
    }

    @Test
    void coversSaysWhetherAMergeWouldChangeAnything() {
        List<Versioned> have = List.of(v("x", clock("a", 2)), v("y", clock("b", 1)));
        assertTrue(Siblings.covers(have, List.of(v("x", clock("a", 1)))));
        assertTrue(Siblings.covers(have, have));
        assertFalse(Siblings.covers(have, List.of(v("z", clock("a", 1, "b", 1)))));
    }

    @Test
    void aWriteSucceedsItsContextAndNothingElse() {
        VectorClock context = clock("a", 3, "b", 1);
        VectorClock stamped = new WriterSlots().stamp(new NewWrite("a", context, List.of(), 10, 10));
        assertEquals(Causality.AFTER, stamped.compare(context));
        assertEquals(4, stamped.counter("a"));
    }

    @Test
    void concurrentWritesFromOneContextTakeDifferentWriterSlots() {
        MemoryStorageEngine engine = new MemoryStorageEngine();
        ReplicaStore store = new ReplicaStore(engine);
        Bytes key = Bytes.utf8("k");
        Versioned first = store.write(0, key, Bytes.utf8("one"), false, VectorClock.EMPTY, "n1", 1, 10);
        Versioned second = store.write(0, key, Bytes.utf8("two"), false, VectorClock.EMPTY, "n1", 2, 10);
        assertEquals(Causality.CONCURRENT, first.clock().compare(second.clock()));
        assertEquals(2, store.read(0, key).size());
        // a write that saw both goes back to the first slot and supersedes them
        VectorClock seen = first.clock().merge(second.clock());
        Versioned merged = store.write(0, key, Bytes.utf8("both"), false, seen, "n1", 3, 10);
        assertEquals(List.of(merged), store.read(0, key));
        assertEquals(2, merged.clock().counter("n1"));
    }

    @Test
    void truncationKeepsTheWritersOwnEntry() {
        List<VectorClock.Entry> entries = new java.util.ArrayList<>();
        for (int i = 0; i < 12; i++) {
            entries.add(new VectorClock.Entry("n" + (char) ('a' + i), 1, 5)); // all as recent as the write
        }
        VectorClock context = VectorClock.of(entries);
        VectorClock stamped = new WriterSlots().stamp(new NewWrite("a-writer", context, List.of(), 5, 10));
        assertEquals(10, stamped.size());
        assertEquals(1, stamped.counter("a-writer"));
        assertNotEquals(Causality.BEFORE, stamped.compare(context));
    }
}
