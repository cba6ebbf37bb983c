package io.dynamo.lab;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The measures of one run (one strategy, one seed, one sweep point), in {@link #MEASURES} order,
 * its PBS curve and its history.
 *
 * @param sweep the swept setting's value for this run, or the empty string without a sweep
 */
public record RunResult(String strategy, long seed, String sweep, Map<String, Double> measures, List<PbsPoint> pbs,
        History history) {
    /** Every measure, in CSV column order; README documents each. */
    public static final List<String> MEASURES = List.of("operations", "ok", "fail", "info",
            "updates_acknowledged", "updates_lost", "removals_acknowledged", "removals_resurrected", "counter_error",
            "reads", "reads_1_version", "reads_2_versions", "reads_3_versions", "reads_4plus_versions",
            "multi_version_reads_on_hot_keys", "max_siblings",
            "metadata_bytes_per_stored_version", "metadata_bytes_per_read", "stale_reads", "versions_behind_mean",
            "convergence_ms", "anti_entropy_rounds", "read_your_writes_violations", "monotonic_read_violations",
            "messages_per_op", "bytes_per_op", "latency_p50_ms", "latency_p99_ms");

    public RunResult {
        measures = new LinkedHashMap<>(measures);
        if (!measures.keySet().equals(new java.util.HashSet<>(MEASURES))) {
            throw new IllegalArgumentException("measures must be exactly " + MEASURES + ": " + measures.keySet());
        }
        pbs = List.copyOf(pbs);
    }

    public double measure(String name) {
        return measures.get(name);
    }

    /** Of the reads that started {@code tMillis} (in a bin) after the latest acknowledged write of their key, the share that returned it. */
    public record PbsPoint(long tMillis, long reads, long consistent) {
        public double probability() {
            return reads == 0 ? Double.NaN : (double) consistent / reads;
        }
    }
}
