package io.dynamo.api;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.List;
import org.junit.jupiter.api.Test;

class VectorClockTest {
    @Test
    void entriesAreCheckedAndKeptSortedByNode() {
        VectorClock clock = VectorClock.of(new VectorClock.Entry("b", 2, 20), new VectorClock.Entry("a", 1, 10));
        assertEquals(List.of(new VectorClock.Entry("a", 1, 10), new VectorClock.Entry("b", 2, 20)), clock.entries());
        assertEquals("{a:1, b:2}", clock.toString());
        assertEquals(20, clock.latestTimestamp());
        assertEquals(0, clock.counter("c"));
    }

    @Test
    void invalidEntriesAreRefused() {
        assertThrows(InvalidArgumentException.class, () -> new VectorClock.Entry("", 1, 0));
        assertThrows(InvalidArgumentException.class, () -> new VectorClock.Entry("a".repeat(256), 1, 0));
        assertThrows(InvalidArgumentException.class, () -> new VectorClock.Entry("a", 0, 0));
        assertThrows(InvalidArgumentException.class, () -> new VectorClock.Entry("a", 1, -1));
        InvalidArgumentException twice = assertThrows(InvalidArgumentException.class,
                () -> VectorClock.of(new VectorClock.Entry("a", 1, 0), new VectorClock.Entry("a", 2, 0)));
        assertEquals("node id a appears twice", twice.getMessage());
        assertThrows(InvalidArgumentException.class, () -> VectorClock.EMPTY.increment(null, 0));
        assertThrows(InvalidArgumentException.class, () -> VectorClock.EMPTY.truncate(0));
    }

    @Test
    void truncationTiesDropTheSmallerNodeIdFirst() {
        VectorClock clock = VectorClock.of(
                new VectorClock.Entry("a", 1, 5), new VectorClock.Entry("b", 1, 5), new VectorClock.Entry("c", 1, 9));
        assertEquals(List.of(new VectorClock.Entry("b", 1, 5), new VectorClock.Entry("c", 1, 9)), clock.truncate(2).entries());
    }

    @Test
    void aTruncatedDescendantMayLookConcurrent() {
        // the documented cost of truncation: a false conflict, never a lost write
        VectorClock old = VectorClock.EMPTY.increment("a", 1).increment("b", 2);
        VectorClock descendant = old.increment("c", 3).truncate(2);
        assertEquals(Causality.CONCURRENT, descendant.compare(old));
    }

    @Test
    void negativeTimestampsAreClampedOnIncrement() {
        assertEquals(0, VectorClock.EMPTY.increment("a", -5).latestTimestamp());
    }
}
