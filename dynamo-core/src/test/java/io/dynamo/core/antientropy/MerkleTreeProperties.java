package io.dynamo.core.antientropy;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;

import io.dynamo.api.Bytes;
import io.dynamo.api.Versioned;
import io.dynamo.core.antientropy.TreeFixtures.Op;
import io.dynamo.core.storage.MemoryStorageEngine;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Random;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.constraints.IntRange;

class MerkleTreeProperties {
    private static final int PARTITION = 3;

    @Provide
    Arbitrary<List<Op>> histories() {
        Arbitrary<Op> op = Combinators.combine(
                        Arbitraries.integers().between(0, 40),
                        Arbitraries.integers().between(0, 3),
                        Arbitraries.integers().between(0, 3),
                        Arbitraries.integers().between(0, 1000))
                .as(Op::new);
        return op.list().ofMaxSize(200);
    }

    @Property(tries = 200)
    void incrementalUpdatesEqualARebuild(@ForAll("histories") List<Op> history, @ForAll @IntRange(min = 1, max = 8) int depth) {
        MemoryStorageEngine engine = new MemoryStorageEngine();
        PartitionTrees maintained = new PartitionTrees(engine, depth);
        // built from the empty partition, then kept current write by write
        maintained.tree(PARTITION);
        long time = 1;
        for (Op op : history) {
            TreeFixtures.apply(engine, maintained, PARTITION, op, time++);
        }
        MerkleTree rebuilt = new PartitionTrees(engine, depth).tree(PARTITION);
        MerkleTree incremental = maintained.tree(PARTITION);
        assertArrayEquals(rebuilt.leaves(), incremental.leaves());
        assertEquals(rebuilt.root(), incremental.root());
        for (int level = 0; level <= depth; level++) {
            for (int i = 0; i < 1 << level; i++) {
                assertEquals(rebuilt.hash(level, i), incremental.hash(level, i), "level " + level + " node " + i);
            }
        }
        assertEquals(0, incremental.unsettledLeaves());
    }

    @Property(tries = 100)
    void twoReplicasWithTheSameContentsHaveEqualTrees(@ForAll("histories") List<Op> history, @ForAll long seed,
            @ForAll @IntRange(min = 1, max = 10) int depth) {
        MemoryStorageEngine first = new MemoryStorageEngine();
        long time = 1;
        for (Op op : history) {
            TreeFixtures.apply(first, null, PARTITION, op, time++);
        }
        // the same keys and versions, written in another order with siblings in another order
        MemoryStorageEngine second = new MemoryStorageEngine();
        PartitionTrees secondTrees = new PartitionTrees(second, depth);
        secondTrees.tree(PARTITION);
        List<Bytes> keys = new ArrayList<>();
        first.forEach(PARTITION, (key, versions) -> keys.add(key));
        Collections.shuffle(keys, new Random(seed));
        for (Bytes key : keys) {
            List<Versioned> versions = new ArrayList<>(first.get(PARTITION, key));
            Collections.shuffle(versions, new Random(seed));
            TreeFixtures.write(second, secondTrees, PARTITION, key, versions);
        }
        MerkleTree a = new PartitionTrees(first, depth).tree(PARTITION);
        MerkleTree b = secondTrees.tree(PARTITION);
        assertEquals(a.root(), b.root());
        assertArrayEquals(a.leaves(), b.leaves());
    }

    @Property(tries = 200)
    void oneDifferingKeyDiffersInExactlyOneLeafPath(@ForAll("histories") List<Op> history, @ForAll("histories") List<Op> more,
            @ForAll @IntRange(min = 0, max = 40) int changedKey, @ForAll @IntRange(min = 0, max = 3) int change,
            @ForAll @IntRange(min = 1, max = 10) int depth) {
        MemoryStorageEngine first = new MemoryStorageEngine();
        MemoryStorageEngine second = new MemoryStorageEngine();
        PartitionTrees firstTrees = new PartitionTrees(first, depth);
        PartitionTrees secondTrees = new PartitionTrees(second, depth);
        long time = 1;
        for (Op op : history) {
            TreeFixtures.apply(first, firstTrees, PARTITION, op, time);
            TreeFixtures.apply(second, secondTrees, PARTITION, op, time++);
        }
        Op op = new Op(changedKey, 0, change, 7);
        TreeFixtures.apply(second, secondTrees, PARTITION, op, time);
        Bytes key = TreeFixtures.key(changedKey);
        boolean differs = !first.get(PARTITION, key).equals(second.get(PARTITION, key));
        MerkleTree a = firstTrees.tree(PARTITION);
        MerkleTree b = secondTrees.tree(PARTITION);
        if (!differs) { // e.g. removing a key neither holds
            assertEquals(a.root(), b.root());
            return;
        }
        int leaf = Digests.leafOf(key, depth);
        for (int level = 0; level <= depth; level++) {
            int ancestor = leaf >>> (depth - level);
            for (int i = 0; i < 1 << level; i++) {
                if (i == ancestor) {
                    assertNotEquals(a.hash(level, i), b.hash(level, i), "ancestor at level " + level);
                } else {
                    assertEquals(a.hash(level, i), b.hash(level, i), "level " + level + " node " + i);
                }
            }
        }
    }
}
