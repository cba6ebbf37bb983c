package io.dynamo.bench.clock;

import io.dynamo.api.Versioned;
import io.dynamo.core.causality.DottedVersionVectors;
import io.dynamo.core.causality.WriterSlots;
import java.util.List;

/**
 * The causality metadata each scheme stores per version, for the keys {@link CausalityBenchmark}
 * times: encoded clock bytes per version and clock entries (including dots), with 1, 3 and 10
 * siblings. Run: {@code java -cp dynamo-bench/target/benchmarks.jar io.dynamo.bench.clock.CausalityMetadataMain}.
 */
public final class CausalityMetadataMain {
    private CausalityMetadataMain() {}

    public static void main(String[] args) {
        System.out.printf("%-14s %9s %16s %14s%n", "scheme", "siblings", "clock bytes/ver", "entries/ver");
        for (String scheme : List.of(WriterSlots.NAME, DottedVersionVectors.NAME)) {
            for (int siblings : new int[] {1, 3, 10}) {
                List<Versioned> versions = CausalityBenchmark.sample(scheme, siblings);
                double entries = versions.stream().mapToInt(v -> v.clock().size()).average().orElse(0);
                System.out.printf("%-14s %9d %16.1f %14.1f%n", scheme, siblings, CausalityBenchmark.metadataBytes(versions),
                        entries);
            }
        }
    }
}
