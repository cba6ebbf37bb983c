package io.dynamo.examples.plugin;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.dynamo.api.Bytes;
import io.dynamo.api.VectorClock;
import io.dynamo.api.Versioned;
import io.dynamo.spi.resolution.ConflictResolver;
import io.dynamo.tck.ConflictResolverContractTest;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

/** The resolver passes the TCK's contract (one line) and keeps the largest number. */
class MaxRegisterResolverTest extends ConflictResolverContractTest {
    @Override
    protected ConflictResolver createResolver() {
        return new MaxRegisterResolver();
    }

    @Override
    protected Bytes sampleValue(Random random) {
        return Bytes.utf8(Integer.toString(random.nextInt(1000)));
    }

    @Test
    void theLargestNumberWinsUnderTheMergedClock() {
        VectorClock left = VectorClock.EMPTY.increment("node-1", 10);
        VectorClock right = VectorClock.EMPTY.increment("node-2", 20);
        List<Versioned> result = resolver().resolve(Bytes.utf8("k"),
                List.of(Versioned.of(left, Bytes.utf8("57")), Versioned.of(right, Bytes.utf8("41"))));
        assertEquals(1, result.size());
        assertEquals(Bytes.utf8("57"), result.get(0).value());
        assertEquals(left.merge(right), result.get(0).clock());
    }

    @Test
    void aNumberBeatsATombstoneAndGarbageIsKeptAsASibling() {
        VectorClock a = VectorClock.EMPTY.increment("a", 1);
        VectorClock b = VectorClock.EMPTY.increment("b", 1);
        VectorClock c = VectorClock.EMPTY.increment("c", 1);
        Versioned garbage = Versioned.of(a, Bytes.utf8("not a number"));
        List<Versioned> result = resolver().resolve(Bytes.utf8("k"), List.of(
                garbage, Versioned.tombstone(b), Versioned.of(c, Bytes.utf8("-3"))));
        assertEquals(List.of(garbage, Versioned.of(b.merge(c), Bytes.utf8("-3"))), result);
    }
}
