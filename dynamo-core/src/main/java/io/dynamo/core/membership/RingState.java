package io.dynamo.core.membership;

import static java.util.Objects.requireNonNull;

import io.dynamo.api.InvalidArgumentException;
import java.util.List;

/**
 * The partition assignment the cluster agrees on, with a change in progress, as gossip carries
 * it. {@code current} serves reads and writes; when {@code target} differs, partitions are
 * moving towards it and writes also reach its new replicas. Only one change runs at a time.
 *
 * <p>Merge rule: the higher version wins; two different states of one version (two changes
 * proposed at once) are ordered by comparing their assignments, so every node keeps the same.
 *
 * @param version 0 when nothing is known yet (a joining node before it heard from a seed)
 * @param current the owner of every partition
 * @param target the owner of every partition once the change completes; equal to current when none runs
 */
public record RingState(long version, List<String> current, List<String> target) {
    /** Nothing known. */
    public static final RingState UNKNOWN = new RingState(0, List.of(), List.of());

    public RingState {
        current = List.copyOf(requireNonNull(current, "current is null"));
        target = List.copyOf(requireNonNull(target, "target is null"));
        if (version < 0 || current.size() != target.size() || (version == 0) != current.isEmpty()) {
            throw new InvalidArgumentException("invalid ring state: version " + version + ", " + current.size()
                    + " current and " + target.size() + " target partitions");
        }
    }

    /** A settled assignment with no change in progress. */
    public static RingState settled(long version, List<String> assignment) {
        return new RingState(version, assignment, assignment);
    }

    public boolean known() {
        return version > 0;
    }

    public boolean moving() {
        return !current.equals(target);
    }

    /** The merge rule (see the class comment). */
    public boolean newerThan(RingState other) {
        if (version != other.version) {
            return version > other.version;
        }
        int order = compare(target, other.target);
        return order != 0 ? order > 0 : compare(current, other.current) > 0;
    }

    private static int compare(List<String> a, List<String> b) {
        for (int i = 0; i < Math.min(a.size(), b.size()); i++) {
            int order = a.get(i).compareTo(b.get(i));
            if (order != 0) {
                return order;
            }
        }
        return Integer.compare(a.size(), b.size());
    }
}
