package io.dynamo.core.resolution;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.dynamo.api.Bytes;
import io.dynamo.api.Causality;
import io.dynamo.api.VectorClock;
import io.dynamo.api.Versioned;
import io.dynamo.spi.PluginConfig;
import io.dynamo.spi.resolution.ConflictResolver;
import io.dynamo.tck.ConflictResolverContractTest;
import java.util.List;
import java.util.Optional;
import java.util.Random;
import org.junit.jupiter.api.Test;

class LastWriteWinsResolverTest extends ConflictResolverContractTest {
    private static final Bytes KEY = Bytes.utf8("k");
    private static final VectorClock BASE = VectorClock.EMPTY.increment("a", 1_000);

    /** Every byte string is a value to it. */
    @Override
    protected Optional<Bytes> unparseableValue(Random random) {
        return Optional.empty();
    }

    @Override
    protected ConflictResolver createResolver() {
        return new LastWriteWinsResolverFactory().create(PluginConfig.empty("lww"), null);
    }

    @Test
    void newestTimestampWinsUnderTheMergedClock() {
        Versioned older = Versioned.of(BASE.increment("b", 2_000), Bytes.utf8("older"));
        Versioned newest = Versioned.of(BASE.increment("c", 3_000), Bytes.utf8("newest"));
        Versioned middle = Versioned.of(BASE.increment("d", 2_500), Bytes.utf8("middle"));
        List<Versioned> result = resolver().resolve(KEY, List.of(older, newest, middle));
        assertEquals(1, result.size());
        Versioned winner = result.get(0);
        assertEquals(Bytes.utf8("newest"), winner.value());
        assertEquals(older.clock().merge(newest.clock()).merge(middle.clock()), winner.clock());
        for (Versioned sibling : List.of(older, newest, middle)) {
            assertEquals(Causality.AFTER, winner.clock().compare(sibling.clock()), "the result replaces " + sibling);
        }
    }

    @Test
    void newestDeleteWinsAsATombstone() {
        Versioned value = Versioned.of(BASE.increment("b", 2_000), Bytes.utf8("value"));
        Versioned delete = Versioned.tombstone(BASE.increment("c", 3_000));
        Versioned winner = resolver().resolve(KEY, List.of(value, delete)).get(0);
        assertTrue(winner.tombstone());
    }

    @Test
    void equalTimestampsPickTheSameWinnerInAnyOrder() {
        Versioned left = Versioned.of(BASE.increment("b", 2_000), Bytes.utf8("left"));
        Versioned right = Versioned.of(BASE.increment("c", 2_000), Bytes.utf8("right"));
        Versioned one = resolver().resolve(KEY, List.of(left, right)).get(0);
        Versioned other = resolver().resolve(KEY, List.of(right, left)).get(0);
        assertEquals(one, other);
        // the larger value wins a tie between values
        assertEquals(Bytes.utf8("right"), one.value());
    }

    @Test
    void aTieIsBrokenAlikeHoweverTheSiblingsWereGrouped() {
        // A merge's clock sorts differently from its winner's: breaking ties by the encoded clock
        // made the value win when all three met at once, but the tombstone of c win after the
        // value had first been merged with b, so two nodes kept different values under equal clocks.
        Versioned deleteB = Versioned.tombstone(BASE.increment("b", 2_000));
        Versioned deleteC = Versioned.tombstone(BASE.increment("c", 2_000));
        Versioned value = Versioned.of(BASE.increment("d", 2_000), Bytes.utf8("value"));
        Versioned all = resolver().resolve(KEY, List.of(deleteB, deleteC, value)).get(0);
        Versioned valueWithBFirst = resolver().resolve(KEY,
                List.of(deleteC, resolver().resolve(KEY, List.of(deleteB, value)).get(0))).get(0);
        Versioned deletesFirst = resolver().resolve(KEY,
                List.of(value, resolver().resolve(KEY, List.of(deleteB, deleteC)).get(0))).get(0);
        assertEquals(all, valueWithBFirst);
        assertEquals(all, deletesFirst);
        assertTrue(all.tombstone(), "a delete wins a tie with a value");
    }

    @Test
    void aDominatedVersionNeverWinsWhateverItsTimestamp() {
        // "stale" carries a wall-clock time from a node whose clock runs ahead, but "fresh" saw it
        Versioned stale = Versioned.of(BASE.increment("b", 9_000), Bytes.utf8("stale"));
        Versioned fresh = Versioned.of(stale.clock().increment("c", 5_000), Bytes.utf8("fresh"));
        assertEquals(List.of(fresh), resolver().resolve(KEY, List.of(stale, fresh)));
    }

    @Test
    void factoryIsNamedLww() {
        assertEquals("lww", new LastWriteWinsResolverFactory().name());
    }
}
