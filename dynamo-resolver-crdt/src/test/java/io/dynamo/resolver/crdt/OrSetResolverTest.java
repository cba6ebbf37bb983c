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

class OrSetResolverTest extends ConflictResolverContractTest {
    private static final Bytes KEY = Bytes.utf8("cart");
    private static final VectorClock BASE = VectorClock.EMPTY.increment("node-1", 1_000);
    private static final Bytes MILK = Bytes.utf8("milk");
    private static final Bytes EGGS = Bytes.utf8("eggs");
    private static final Bytes BREAD = Bytes.utf8("bread");

    @Override
    protected ConflictResolver createResolver() {
        return new OrSetResolverFactory().create(PluginConfig.empty("or-set"), null);
    }

    /** A value some client could have written: a few adds and removes by one of three actors. */
    @Override
    protected Bytes sampleValue(Random random) {
        OrSet set = OrSet.empty();
        int ops = 1 + random.nextInt(5);
        for (int i = 0; i < ops; i++) {
            Bytes element = Bytes.utf8("item-" + random.nextInt(6));
            set = random.nextInt(4) == 0 ? set.remove(element) : set.add(element, "client-" + random.nextInt(3));
        }
        return set.encode();
    }

    private static Versioned written(String node, OrSet set) {
        return Versioned.of(BASE.increment(node, 2_000), set.encode());
    }

    @Test
    void siblingsMergeIntoOneVersionUnderTheMergedClock() {
        OrSet seen = OrSet.empty().add(MILK, "alice").add(EGGS, "alice");
        Versioned left = written("node-2", seen.remove(MILK));
        Versioned right = written("node-3", seen.add(BREAD, "bob"));
        List<Versioned> result = resolver().resolve(KEY, List.of(left, right));
        assertEquals(1, result.size());
        assertEquals(left.clock().merge(right.clock()), result.get(0).clock());
        assertEquals(List.of("bread", "eggs"), OrSet.decode(result.get(0).value()).elementsAsUtf8());
        checkContract(List.of(left, right));
    }

    @Test
    void aConcurrentAddWinsOverARemove() {
        OrSet seen = OrSet.empty().add(MILK, "alice");
        Versioned removed = written("node-2", seen.remove(MILK));
        Versioned readded = written("node-3", seen.add(MILK, "bob"));
        assertTrue(OrSet.decode(resolver().resolve(KEY, List.of(removed, readded)).get(0).value()).contains(MILK));
    }

    @Test
    void aTombstoneAddsNothingAndOnlyTombstonesGiveOne() {
        Versioned deleted = Versioned.tombstone(BASE.increment("node-2", 2_000));
        Versioned live = written("node-3", OrSet.empty().add(MILK, "alice"));
        Versioned other = written("node-4", OrSet.empty().add(EGGS, "bob"));
        List<Versioned> result = resolver().resolve(KEY, List.of(deleted, live, other));
        assertEquals(1, result.size());
        assertEquals(List.of("eggs", "milk"), OrSet.decode(result.get(0).value()).elementsAsUtf8());
        Versioned deletedToo = Versioned.tombstone(BASE.increment("node-3", 2_000));
        assertEquals(List.of(Versioned.tombstone(deleted.clock().merge(deletedToo.clock()))),
                resolver().resolve(KEY, List.of(deleted, deletedToo)));
    }

    @Test
    void anUnreadableSiblingIsKeptUntouchedBesideTheMergedOne() {
        Versioned left = written("node-2", OrSet.empty().add(MILK, "alice"));
        Versioned right = written("node-3", OrSet.empty().add(EGGS, "bob"));
        Versioned text = Versioned.of(BASE.increment("node-4", 2_000), Bytes.utf8("milk\neggs"));
        Versioned counter = Versioned.of(BASE.increment("node-5", 2_000), PnCounter.zero().increment("c", 1).encode());
        List<Versioned> result = checkContract(List.of(left, right, text, counter));
        assertEquals(3, result.size(), result.toString());
        assertTrue(result.contains(text) && result.contains(counter), result.toString());
        Versioned merged = result.stream().filter(v -> v != text && v != counter).findFirst().orElseThrow();
        assertEquals(List.of("eggs", "milk"), OrSet.decode(merged.value()).elementsAsUtf8());
        assertEquals(left.clock().merge(right.clock()), merged.clock());
    }

    /** Writing the merged version back would supersede the unreadable one: every sibling stays as it is. */
    @Test
    void noMergeWhenItsClockWouldCoverAnUnreadableSibling() {
        Versioned left = Versioned.of(VectorClock.of(new VectorClock.Entry("x", 2, 1)), OrSet.empty().add(MILK, "a").encode());
        Versioned right = Versioned.of(VectorClock.of(new VectorClock.Entry("y", 2, 1)), OrSet.empty().add(EGGS, "b").encode());
        Versioned bad = Versioned.of(VectorClock.of(new VectorClock.Entry("x", 1, 1), new VectorClock.Entry("y", 1, 1)),
                Bytes.of(new byte[] {(byte) 0x11, 5}));
        List<Versioned> result = checkContract(List.of(left, right, bad));
        assertEquals(new HashSet<>(List.of(left, right, bad)), new HashSet<>(result));
    }

    @Test
    void aMergePastTheActorBoundLeavesTheSiblings() {
        OrSet many = OrSet.empty();
        OrSet others = OrSet.empty();
        for (int i = 0; i < 600; i++) {
            many = many.add(MILK, "a-" + i);
            others = others.add(EGGS, "b-" + i);
        }
        Versioned left = written("node-2", many);
        Versioned right = written("node-3", others);
        assertEquals(new HashSet<>(List.of(left, right)), new HashSet<>(checkContract(List.of(left, right))));
    }

    @Test
    void factoryIsNamedOrSetAndReadsNoSettings() {
        assertEquals("or-set", new OrSetResolverFactory().name());
        assertEquals(java.util.Optional.of(java.util.Set.of()), new OrSetResolverFactory().settingKeys());
    }
}
