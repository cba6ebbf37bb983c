package io.dynamo.bench.clock;

import io.dynamo.api.Bytes;
import io.dynamo.api.VectorClock;
import io.dynamo.api.Versioned;
import io.dynamo.api.codec.VersionedCodec;
import io.dynamo.core.causality.DottedVersionVectors;
import io.dynamo.core.causality.WriterSlots;
import io.dynamo.core.coordination.Siblings;
import io.dynamo.spi.causality.CausalityScheme;
import io.dynamo.spi.causality.NewWrite;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;

/**
 * What a causality scheme costs a key with 1, 3 or 10 siblings: a read's reconciliation (the
 * versions of two replicas merged, as a coordinator does, and the context computed from them)
 * and a write's (the clock stamped, the result merged into what is stored). The siblings are
 * made the way they arise: concurrent writes from one context through the three coordinators.
 * {@link #metadataBytes} reports the encoded clock bytes per version of that key (see
 * {@link CausalityMetadataMain} for the figures).
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@State(Scope.Thread)
public class CausalityBenchmark {
    private static final List<String> COORDINATORS = List.of("node-1", "node-2", "node-3");

    @Param({WriterSlots.NAME, DottedVersionVectors.NAME})
    public String scheme;

    @Param({"1", "3", "10"})
    public int siblings;

    private CausalityScheme causality;
    private List<Versioned> stored;
    /** The same versions decoded from bytes, as another replica's answer arrives. */
    private List<Versioned> fromReplica;
    private VectorClock context;

    @Setup
    public void setUp() {
        causality = schemeNamed(scheme);
        stored = siblingsOf(causality, siblings, 1_700_000_000_000L);
        fromReplica = VersionedCodec.decode(VersionedCodec.encode(stored));
        context = contextOf(stored);
        if (stored.size() != siblings) {
            throw new IllegalStateException(scheme + " made " + stored.size() + " siblings, not " + siblings);
        }
    }

    static CausalityScheme schemeNamed(String name) {
        return name.equals(DottedVersionVectors.NAME) ? new DottedVersionVectors() : new WriterSlots();
    }

    /**
     * A key written through each coordinator in turn from one context, after a history of
     * sequential writes: {@code count} siblings, stored as a coordinator holds them.
     */
    static List<Versioned> siblingsOf(CausalityScheme scheme, int count, long now) {
        List<Versioned> stored = List.of();
        // ten sequential read-modify-writes through every coordinator: a realistic past
        for (int i = 0; i < 10; i++) {
            String coordinator = COORDINATORS.get(i % COORDINATORS.size());
            stored = write(scheme, stored, coordinator, contextOf(stored), now + i);
        }
        VectorClock shared = contextOf(stored);
        // each write from the shared context replaces the past and stands beside the others
        for (int i = 0; i < count; i++) {
            stored = write(scheme, stored, COORDINATORS.get(i % COORDINATORS.size()), shared, now + 100 + i);
        }
        return stored;
    }

    private static List<Versioned> write(CausalityScheme scheme, List<Versioned> stored, String coordinator,
            VectorClock context, long now) {
        VectorClock clock = scheme.stamp(new NewWrite(coordinator, context, stored, now, 50));
        return Siblings.merge(stored, List.of(Versioned.of(clock, Bytes.utf8("value-" + now))));
    }

    static VectorClock contextOf(List<Versioned> versions) {
        VectorClock merged = VectorClock.EMPTY;
        for (Versioned v : versions) {
            merged = merged.merge(v.clock());
        }
        return merged;
    }

    /** A read at R=2: two replicas' answers merged, and the context the client gets. */
    @Benchmark
    public VectorClock reconcile() {
        return contextOf(Siblings.merge(stored, fromReplica));
    }

    /** A write with the read's context through one coordinator: stamp, then merge into what is stored. */
    @Benchmark
    public List<Versioned> write() {
        return write(causality, stored, "node-2", context, 1_700_000_001_000L);
    }

    /** The encoded clock bytes per version of the key (not a timing: reported by {@link CausalityMetadataMain}). */
    static double metadataBytes(List<Versioned> versions) {
        long bytes = 0;
        for (Versioned v : versions) {
            bytes += v.clock().toBytes().length;
        }
        return (double) bytes / versions.size();
    }

    /** How {@link #siblingsOf} stamps, for the metadata report. */
    static List<Versioned> sample(String scheme, int count) {
        return new ArrayList<>(siblingsOf(schemeNamed(scheme), count, 1_700_000_000_000L));
    }
}
