package io.dynamo.bench.clock;

import io.dynamo.api.Causality;
import io.dynamo.api.VectorClock;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;

/**
 * Vector clocks of 10 entries (Dynamo's truncation size): compare, merge, increment, and the
 * binary encoding both ways.
 *
 * <p>Clocks made from one another by increment or merge share their node-id array, which
 * {@link VectorClock} recognises by reference; clocks decoded from bytes (as replicas' answers
 * are) hold equal but distinct strings. The {@code ...Decoded} and {@code ...DifferentNodes}
 * variants measure those slower paths; clocks of different ids compare order keys of their ids
 * (made on first need, then kept), and {@code mergeDifferentNodesFresh} pays for making them.
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@State(Scope.Thread)
public class VectorClockBenchmark {
    private static final int ENTRIES = 10;

    private VectorClock base;
    /** Concurrent with {@link #base}: the last entry differs each way, so compare walks all. */
    private VectorClock concurrent;
    /** Dominates {@link #base}: one counter higher on the last node. */
    private VectorClock descendant;
    /** The same nodes as {@link #base} with half the counters higher, half lower. */
    private VectorClock interleaved;
    /** {@link #base} after an encode/decode round trip: equal ids, distinct String instances. */
    private VectorClock decodedBase;
    /** 10 entries, 5 of them on the nodes of {@link #base}, 5 on others. */
    private VectorClock halfOverlapping;
    private byte[] encoded;
    private byte[] halfOverlappingEncoded;
    private String existingNode;

    @Setup
    public void setUp() {
        List<VectorClock.Entry> entries = new ArrayList<>();
        List<VectorClock.Entry> others = new ArrayList<>();
        long now = 1_700_000_000_000L;
        for (int i = 0; i < ENTRIES; i++) {
            String node = String.format("node-%03d", i * 7);
            entries.add(new VectorClock.Entry(node, 10 + i, now + i));
            others.add(new VectorClock.Entry(node, i % 2 == 0 ? 20 + i : 5 + i, now + 2 * i));
        }
        base = VectorClock.of(entries);
        interleaved = VectorClock.of(others);
        existingNode = entries.get(ENTRIES - 1).nodeId();
        descendant = base.increment(existingNode, now + 100);
        // differs from base only in its first and last entries, one up and one down
        List<VectorClock.Entry> late = new ArrayList<>(entries);
        VectorClock.Entry first = late.get(0);
        VectorClock.Entry last = late.get(ENTRIES - 1);
        late.set(0, new VectorClock.Entry(first.nodeId(), first.counter() + 1, first.timestamp()));
        late.set(ENTRIES - 1, new VectorClock.Entry(last.nodeId(), last.counter() - 1, last.timestamp()));
        concurrent = VectorClock.of(late);
        encoded = base.toBytes();
        decodedBase = VectorClock.fromBytes(encoded);
        List<VectorClock.Entry> mixed = new ArrayList<>();
        for (int i = 0; i < ENTRIES; i++) {
            String node = String.format("node-%03d", i % 2 == 0 ? i * 7 : i * 7 + 3);
            mixed.add(new VectorClock.Entry(node, 12 + i, now + 3 * i));
        }
        halfOverlapping = VectorClock.of(mixed);
        halfOverlappingEncoded = halfOverlapping.toBytes();
        if (base.compare(concurrent) != Causality.CONCURRENT || descendant.compare(base) != Causality.AFTER) {
            throw new IllegalStateException("benchmark clocks are not related as intended");
        }
    }

    @Benchmark
    public Causality compareDescendant() {
        return descendant.compare(base);
    }

    @Benchmark
    public Causality compareDescendantDecoded() {
        return descendant.compare(decodedBase);
    }

    @Benchmark
    public Causality compareDifferentNodes() {
        return base.compare(halfOverlapping);
    }

    @Benchmark
    public Causality compareConcurrentLate() {
        return base.compare(concurrent);
    }

    @Benchmark
    public Causality compareEqual() {
        return base.compare(base);
    }

    @Benchmark
    public VectorClock merge() {
        return base.merge(interleaved);
    }

    @Benchmark
    public VectorClock mergeDecoded() {
        return decodedBase.merge(interleaved);
    }

    @Benchmark
    public VectorClock mergeDifferentNodes() {
        return base.merge(halfOverlapping);
    }

    /**
     * As {@link #mergeDifferentNodes}, with both clocks decoded afresh each time, as a replica's
     * answer is: the order keys of their ids are made here, and the decoding is part of the figure.
     */
    @Benchmark
    public VectorClock mergeDifferentNodesFresh() {
        return VectorClock.fromBytes(encoded).merge(VectorClock.fromBytes(halfOverlappingEncoded));
    }

    @Benchmark
    public VectorClock incrementExisting() {
        return base.increment(existingNode, 1_700_000_001_000L);
    }

    @Benchmark
    public VectorClock incrementNewNode() {
        return base.increment("node-999", 1_700_000_001_000L);
    }

    @Benchmark
    public byte[] encode() {
        return base.toBytes();
    }

    @Benchmark
    public VectorClock decode() {
        return VectorClock.fromBytes(encoded);
    }
}
