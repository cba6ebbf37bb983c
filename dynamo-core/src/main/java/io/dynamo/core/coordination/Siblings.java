package io.dynamo.core.coordination;

import io.dynamo.api.Causality;
import io.dynamo.api.VectorClock;
import io.dynamo.api.Versioned;
import java.util.ArrayList;
import java.util.List;

/**
 * The causality rules every replica applies to a key's versions: keep each version no other
 * dominates (the siblings), drop the dominated ones, keep one copy of versions with equal
 * clocks. Pure functions.
 */
public final class Siblings {
    private Siblings() {}

    /**
     * {@code stored} with {@code incoming} merged in: every version of either list that no other
     * version of either dominates, one per distinct clock (the stored copy wins a tie, so a
     * repeated delivery changes nothing). Stored versions keep their order; new ones follow.
     *
     * <p>{@code stored} must already be reduced (what this class returns; every stored list is):
     * then each incoming version is compared with each stored one once, so one write costs O(siblings × clock entries), not
     * O(siblings²) as reducing the whole list again would.
     *
     * <p>Versions made by one client write (the same {@link Versioned#writeId}) are one write: only
     * one copy is kept, chosen by {@link WriteIds#settle} before the causal merge.
     */
    public static List<Versioned> merge(List<Versioned> stored, List<Versioned> incoming) {
        WriteIds.Settled settled = WriteIds.settle(stored, incoming);
        stored = settled.stored();
        incoming = settled.incoming();
        if (incoming.isEmpty()) {
            return new ArrayList<>(stored);
        }
        List<Versioned> fresh = incoming.size() == 1 ? incoming : reduce(incoming);
        boolean[] replaced = new boolean[stored.size()];
        List<Versioned> added = new ArrayList<>(fresh.size());
        for (Versioned v : fresh) {
            // Both lists are reduced, so a version some stored one covers dominates no other
            // stored one: marking what it dominates as we go never has to be undone.
            boolean covered = false;
            for (int j = 0; j < stored.size() && !covered; j++) {
                Causality c = stored.get(j).clock().compare(v.clock());
                covered = c == Causality.AFTER || c == Causality.EQUAL; // an equal clock: the stored copy wins
                if (c == Causality.BEFORE) {
                    replaced[j] = true;
                }
            }
            if (!covered) {
                added.add(v);
            }
        }
        List<Versioned> merged = new ArrayList<>(stored.size() + added.size());
        for (int j = 0; j < stored.size(); j++) {
            if (!replaced[j]) {
                merged.add(stored.get(j));
            }
        }
        merged.addAll(added);
        return merged;
    }

    /** The versions of {@code versions} that no other dominates, one per distinct clock, in order. */
    public static List<Versioned> reduce(List<Versioned> versions) {
        List<Versioned> kept = new ArrayList<>(versions.size());
        for (int i = 0; i < versions.size(); i++) {
            Versioned candidate = versions.get(i);
            boolean drop = false;
            for (int j = 0; j < versions.size() && !drop; j++) {
                if (i == j) {
                    continue;
                }
                Causality c = versions.get(j).clock().compare(candidate.clock());
                // dominated, or an equal clock seen earlier in the list
                drop = c == Causality.AFTER || (c == Causality.EQUAL && j < i);
            }
            if (!drop) {
                kept.add(candidate);
            }
        }
        return kept;
    }

    /**
     * True when {@code have} already contains every version of {@code wanted}: for each wanted
     * version some version in {@code have} has an equal or later clock. Merging {@code wanted}
     * into {@code have} would then change nothing.
     */
    public static boolean covers(List<Versioned> have, List<Versioned> wanted) {
        for (Versioned w : wanted) {
            boolean covered = false;
            for (Versioned h : have) {
                Causality c = h.clock().compare(w.clock());
                if (c == Causality.EQUAL || c == Causality.AFTER) {
                    covered = true;
                    break;
                }
            }
            if (!covered) {
                return false;
            }
        }
        return true;
    }

    /**
     * {@code versions} with sibling values that are equal shown once, under the merge of their
     * clocks; first occurrences keep their order, tombstones stay as they are (a read of only
     * tombstones is "not found" however many). Equal siblings came from one put applied twice
     * (a client retrying a put whose answer was lost, at another coordinator) before writes
     * carried ids ({@link WriteIds}), or from a client that sends none. This is for
     * answers only: the merged clock is no stored version's, so it must never be stored or
     * repaired — a merged clock truncated at the entry limit could dominate a version neither
     * sibling saw.
     */
    public static List<Versioned> withoutRepeatedValues(List<Versioned> versions) {
        if (versions.size() < 2) {
            return versions;
        }
        List<Versioned> shown = new ArrayList<>(versions.size());
        for (Versioned v : versions) {
            int same = -1;
            for (int i = 0; i < shown.size() && same < 0; i++) {
                Versioned s = shown.get(i);
                if (!s.tombstone() && !v.tombstone() && s.value().equals(v.value())) {
                    same = i;
                }
            }
            if (same < 0) {
                shown.add(v);
            } else {
                Versioned s = shown.get(same);
                shown.set(same, new Versioned(s.clock().merge(v.clock()), s.value(), s.tombstone()));
            }
        }
        return shown.size() == versions.size() ? versions : List.copyOf(shown);
    }

    /** The merge of every clock: the context that covers all of {@code versions}. */
    public static VectorClock mergedClock(List<Versioned> versions) {
        VectorClock merged = VectorClock.EMPTY;
        for (Versioned v : versions) {
            merged = merged.merge(v.clock());
        }
        return merged;
    }
}
