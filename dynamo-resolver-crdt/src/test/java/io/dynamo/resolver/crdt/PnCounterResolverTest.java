package io.dynamo.resolver.crdt;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.dynamo.api.Bytes;
import io.dynamo.api.VectorClock;
import io.dynamo.api.Versioned;
import io.dynamo.spi.PluginConfig;
import io.dynamo.spi.resolution.ConflictResolver;
import io.dynamo.tck.ConflictResolverContractTest;
import java.util.HashSet;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

class PnCounterResolverTest extends ConflictResolverContractTest {
    private static final Bytes KEY = Bytes.utf8("likes");
    private static final VectorClock BASE = VectorClock.EMPTY.increment("node-1", 1_000);

    @Override
    protected ConflictResolver createResolver() {
        return new PnCounterResolverFactory().create(PluginConfig.empty("pn-counter"), null);
    }

    @Override
    protected Bytes sampleValue(Random random) {
        PnCounter counter = PnCounter.zero();
        int ops = 1 + random.nextInt(4);
        for (int i = 0; i < ops; i++) {
            String actor = "client-" + random.nextInt(3);
            long amount = 1 + random.nextInt(10);
            counter = random.nextBoolean() ? counter.increment(actor, amount) : counter.decrement(actor, amount);
        }
        return counter.encode();
    }

    private static Versioned written(String node, PnCounter counter) {
        return Versioned.of(BASE.increment(node, 2_000), counter.encode());
    }

    @Test
    void concurrentIncrementsAreAllCounted() {
        PnCounter seen = PnCounter.zero().increment("alice", 5);
        Versioned left = written("node-2", seen.increment("alice", 2));
        Versioned right = written("node-3", seen.increment("bob", 3).decrement("bob", 1));
        List<Versioned> result = checkContract(List.of(left, right));
        assertEquals(1, result.size());
        assertEquals(9, PnCounter.decode(result.get(0).value()).value());
        assertEquals(left.clock().merge(right.clock()), result.get(0).clock());
    }

    @Test
    void aTombstoneAddsNothing() {
        Versioned deleted = Versioned.tombstone(BASE.increment("node-2", 2_000));
        Versioned live = written("node-3", PnCounter.zero().increment("alice", 4));
        Versioned result = checkContract(List.of(deleted, live)).get(0);
        assertEquals(4, PnCounter.decode(result.value()).value());
        assertEquals(deleted.clock().merge(live.clock()), result.clock());
    }

    @Test
    void anOrSetValueIsUnreadableAndKept() {
        Versioned left = written("node-2", PnCounter.zero().increment("alice", 1));
        Versioned right = written("node-3", PnCounter.zero().increment("bob", 1));
        Versioned set = Versioned.of(BASE.increment("node-4", 2_000), OrSet.empty().add(Bytes.utf8("x"), "c").encode());
        List<Versioned> result = checkContract(List.of(left, right, set));
        assertEquals(2, result.size());
        assertTrue(result.contains(set));
    }

    @Test
    void aMergePastTheActorBoundLeavesTheSiblings() {
        PnCounter many = PnCounter.zero();
        PnCounter others = PnCounter.zero();
        for (int i = 0; i < 600; i++) {
            many = many.increment("a-" + i, 1);
            others = others.decrement("b-" + i, 1);
        }
        Versioned left = written("node-2", many);
        Versioned right = written("node-3", others);
        assertEquals(new HashSet<>(List.of(left, right)), new HashSet<>(checkContract(List.of(left, right))));
    }

    @Test
    void factoryIsNamedPnCounter() {
        assertEquals("pn-counter", new PnCounterResolverFactory().name());
    }
}
