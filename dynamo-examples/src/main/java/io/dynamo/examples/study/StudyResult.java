package io.dynamo.examples.study;

/**
 * What one strategy did in one run of the {@link ResolverStudy}: the workload's counts and the
 * anomalies the final state shows.
 *
 * @param strategy the resolver name
 * @param operations operations attempted (reads and writes)
 * @param failed operations that failed (quorum not reached, timeout, unavailable)
 * @param addsAcknowledged items added by an acknowledged write
 * @param lostAdds acknowledged adds, never removed, that are missing from the final carts
 * @param removesAcknowledged items removed by an acknowledged write
 * @param resurrectedRemoves acknowledged removals whose item is back in the final carts
 * @param reads reads that succeeded
 * @param readsWithSiblings reads that returned more than one version
 * @param maxSiblings the most versions one read returned
 */
public record StudyResult(String strategy, int operations, int failed, int addsAcknowledged, int lostAdds,
        int removesAcknowledged, int resurrectedRemoves, int reads, int readsWithSiblings, int maxSiblings) {

    static String header() {
        return String.format("%-13s %6s %6s %6s %6s %8s %12s %6s %10s %8s", "strategy", "ops", "failed", "adds",
                "lost", "removes", "resurrected", "reads", "w/sibling", "max-sib");
    }

    String row() {
        return String.format("%-13s %6d %6d %6d %6d %8d %12d %6d %10d %8d", strategy, operations, failed,
                addsAcknowledged, lostAdds, removesAcknowledged, resurrectedRemoves, reads, readsWithSiblings,
                maxSiblings);
    }
}
