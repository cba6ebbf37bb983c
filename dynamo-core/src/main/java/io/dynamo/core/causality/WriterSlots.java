package io.dynamo.core.causality;

import io.dynamo.api.VectorClock;
import io.dynamo.api.Versioned;
import io.dynamo.spi.causality.CausalityScheme;
import io.dynamo.spi.causality.NewWrite;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * The {@code vector-clock} scheme: the client's context with the coordinator's own entry
 * incremented, truncated to {@code replication.max-clock-entries}; plain clocks only.
 *
 * <p><b>Writer slots.</b> Two clients that write the same key through the same coordinator from
 * the same context would both get {@code context + {self: c+1}}: equal clocks for different
 * values, and one write would silently replace the other. So the coordinator first checks the
 * versions it stores for the key (it always stores every write it coordinates, before it
 * sends it anywhere): if one already carries an entry for {@code self} above the context's, that
 * entry is taken by a write the client did not see, and the coordinator increments the next
 * slot {@code self~2}, {@code self~3}, ... whose counter no stored version exceeds. The new
 * clock then dominates exactly the versions the context covers and is equal to none: the two
 * writes become siblings, as Dynamo requires. Slots only appear under such concurrency; a later
 * write with the merged context goes back to slot {@code self}. The price is an entry per slot,
 * which truncation then drops: see dynamo-core's README, and {@link DottedVersionVectors} for the
 * scheme without it.
 */
public final class WriterSlots implements CausalityScheme {
    public static final String NAME = "vector-clock";
    static final char SLOT_SEPARATOR = '~';

    @Override
    public VectorClock stamp(NewWrite write) {
        String self = write.coordinator();
        Set<String> taken = takenSlots(self, write.context(), write.stored());
        String actor = self;
        for (int slot = 2; taken.contains(actor); slot++) {
            actor = self + SLOT_SEPARATOR + slot;
        }
        VectorClock clock = write.context().increment(actor, write.nowMillis());
        return truncateKeeping(clock, actor, write.maxClockEntries());
    }

    /**
     * The slots of {@code self} some stored version carries above the context's counter, found
     * in one pass over the versions, not one per slot tried: a key with many siblings written
     * through one coordinator has as many slots (that would be O(siblings²) per write). Usually
     * the context covers what is stored and the set stays empty (no table is allocated).
     */
    private static Set<String> takenSlots(String self, VectorClock context, List<Versioned> stored) {
        Set<String> taken = new HashSet<>(0);
        VectorClock.EntryVisitor check = (id, counter, timestamp) -> {
            if (isSlotOf(self, id) && counter > context.counter(id)) {
                taken.add(id);
            }
        };
        for (Versioned v : stored) {
            v.clock().forEachEntry(check);
        }
        return taken;
    }

    private static boolean isSlotOf(String self, String id) {
        return id.startsWith(self) && (id.length() == self.length() || id.charAt(self.length()) == SLOT_SEPARATOR);
    }

    /**
     * At most {@code maxEntries} entries, always keeping {@code actor}'s (it makes the clock
     * unique), then the most recently updated. Dropping entries can only make the clock fail
     * to dominate a version it descends from (a false conflict), never dominate a new one.
     */
    static VectorClock truncateKeeping(VectorClock clock, String actor, int maxEntries) {
        if (clock.size() <= maxEntries) {
            return clock;
        }
        List<VectorClock.Entry> others = new ArrayList<>();
        VectorClock.Entry own = null;
        for (VectorClock.Entry e : clock.entries()) {
            if (e.nodeId().equals(actor)) {
                own = e;
            } else {
                others.add(e);
            }
        }
        others.sort(Comparator.comparingLong(VectorClock.Entry::timestamp).thenComparing(VectorClock.Entry::nodeId));
        List<VectorClock.Entry> kept = new ArrayList<>(others.subList(others.size() - (maxEntries - 1), others.size()));
        kept.add(own);
        return VectorClock.of(kept);
    }

    @Override
    public String toString() {
        return NAME;
    }
}
