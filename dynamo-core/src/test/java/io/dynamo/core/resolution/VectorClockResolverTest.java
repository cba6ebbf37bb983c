package io.dynamo.core.resolution;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.dynamo.api.Bytes;
import io.dynamo.api.VectorClock;
import io.dynamo.api.Versioned;
import io.dynamo.spi.PluginConfig;
import io.dynamo.spi.resolution.ConflictResolver;
import io.dynamo.tck.ConflictResolverContractTest;
import java.util.List;
import org.junit.jupiter.api.Test;

class VectorClockResolverTest extends ConflictResolverContractTest {
    private static final Bytes KEY = Bytes.utf8("k");

    @Override
    protected ConflictResolver createResolver() {
        return new VectorClockResolverFactory().create(PluginConfig.empty("vector-clock"), null);
    }

    @Test
    void concurrentSiblingsAreAllReturned() {
        VectorClock base = VectorClock.EMPTY.increment("a", 1);
        Versioned left = Versioned.of(base.increment("b", 2), Bytes.utf8("left"));
        Versioned right = Versioned.of(base.increment("c", 3), Bytes.utf8("right"));
        Versioned deleted = Versioned.tombstone(base.increment("d", 4));
        assertEquals(List.of(left, right, deleted).size(), resolver().resolve(KEY, List.of(right, deleted, left)).size());
        assertEquals(resolver().resolve(KEY, List.of(left, right, deleted)), resolver().resolve(KEY, List.of(deleted, right, left)),
                "siblings come back in one canonical order");
    }

    @Test
    void dominatedVersionsAndDuplicatesAreDropped() {
        VectorClock old = VectorClock.EMPTY.increment("a", 1);
        Versioned stale = Versioned.of(old, Bytes.utf8("stale"));
        Versioned newer = Versioned.of(old.increment("a", 2), Bytes.utf8("newer"));
        Versioned sibling = Versioned.of(old.increment("b", 3), Bytes.utf8("sibling"));
        List<Versioned> result = resolver().resolve(KEY, List.of(stale, newer, sibling, newer));
        assertEquals(2, result.size());
        assertEquals(List.of(newer, sibling).stream().sorted(Versions.CANONICAL).toList(), result);
    }

    @Test
    void emptyInputIsRefused() {
        assertThrows(IllegalArgumentException.class, () -> resolver().resolve(KEY, List.of()));
    }

    @Test
    void factoryIsNamedVectorClock() {
        assertEquals("vector-clock", new VectorClockResolverFactory().name());
    }
}
