package ${package};

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.dynamo.api.Bytes;
import io.dynamo.api.VectorClock;
import io.dynamo.api.Versioned;
import io.dynamo.spi.resolution.ConflictResolver;
import io.dynamo.tck.ConflictResolverContractTest;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * The resolver contract and, since the resolver declares MERGE, the property checks that its
 * merge is commutative, associative and idempotent and keeps values it cannot parse.
 */
class ExampleResolverTest extends ConflictResolverContractTest {
    @Override
    protected ConflictResolver createResolver() {
        return new ExampleResolver();
    }

    /** The values the resolver understands: decimal numbers. */
    @Override
    protected Bytes sampleValue(Random random) {
        return Bytes.utf8(Integer.toString(random.nextInt(1_000)));
    }

    @Test
    void theLargestNumberWinsUnderTheMergedClock() {
        VectorClock left = VectorClock.EMPTY.increment("node-1", 10);
        VectorClock right = VectorClock.EMPTY.increment("node-2", 20);
        List<Versioned> result = resolver().resolve(Bytes.utf8("k"),
                List.of(Versioned.of(left, Bytes.utf8("57")), Versioned.of(right, Bytes.utf8("41"))));
        assertEquals(List.of(Versioned.of(left.merge(right), Bytes.utf8("57"))), result);
    }
}
