package io.dynamo.resolver.crdt;

import static java.util.Objects.requireNonNull;

import io.dynamo.api.InvalidArgumentException;
import java.util.Collections;
import java.util.Map;
import java.util.SortedMap;
import java.util.TreeMap;

/**
 * A positive count per actor, sorted by actor id: an OR-set's causal context (the newest event
 * of each actor it has seen) and the events that keep one element in it, and a PN-counter's
 * increments and decrements. An absent actor counts 0; a count is never 0 (absent instead), so
 * equal counts have one form.
 */
public record ActorCounts(SortedMap<String, Long> counts) {
    public static final ActorCounts EMPTY = new ActorCounts(new TreeMap<>());

    public ActorCounts {
        requireNonNull(counts, "counts is null");
        TreeMap<String, Long> copy = new TreeMap<>();
        for (Map.Entry<String, Long> e : counts.entrySet()) {
            Actors.check(e.getKey());
            Long count = requireNonNull(e.getValue(), "count of " + e.getKey() + " is null");
            if (count <= 0) {
                throw new InvalidArgumentException("count of " + e.getKey() + " must be positive (absent for 0): " + count);
            }
            copy.put(e.getKey(), count);
        }
        counts = Collections.unmodifiableSortedMap(copy);
    }

    /** One actor's count. */
    public static ActorCounts of(String actor, long count) {
        TreeMap<String, Long> one = new TreeMap<>();
        one.put(actor, count);
        return new ActorCounts(one);
    }

    /** {@code actor}'s count, 0 when absent. */
    public long get(String actor) {
        Long count = counts.get(actor);
        return count == null ? 0 : count;
    }

    /** This with {@code actor}'s count set to {@code count} (removed for 0). */
    public ActorCounts with(String actor, long count) {
        TreeMap<String, Long> copy = new TreeMap<>(counts);
        if (count == 0) {
            copy.remove(actor);
        } else {
            copy.put(actor, count);
        }
        return new ActorCounts(copy);
    }

    /** The per-actor maximum of both: the join of two G-counters, and the union of two contexts. */
    public ActorCounts max(ActorCounts other) {
        if (other.counts.isEmpty() || this.equals(other)) {
            return this;
        }
        TreeMap<String, Long> merged = new TreeMap<>(counts);
        other.counts.forEach((actor, count) -> merged.merge(actor, count, Math::max));
        return new ActorCounts(merged);
    }

    /** The number of actors with a count. */
    public int size() {
        return counts.size();
    }

    public boolean isEmpty() {
        return counts.isEmpty();
    }

    /** The sum of every count; callers bound counts so that it fits. */
    long total() {
        long sum = 0;
        for (long count : counts.values()) {
            sum = Math.addExact(sum, count);
        }
        return sum;
    }

    @Override
    public String toString() {
        return counts.toString();
    }
}
