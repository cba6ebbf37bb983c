package io.dynamo.core.causality;

import io.dynamo.api.InvalidArgumentException;
import io.dynamo.api.VectorClock;
import io.dynamo.api.Versioned;
import io.dynamo.spi.causality.CausalityScheme;
import io.dynamo.spi.causality.NewWrite;

/**
 * The {@code dvv} scheme: dotted version vectors (Preguiça, Baquero, Almeida, Fonte, Gonçalves,
 * 2010; the per-key form of Almeida et al., DAIS 2014, that Riak ships as {@code dvv_enabled}).
 * A write through coordinator {@code n} with context {@code C} gets the clock
 * {@code C.history() • (n, k)}: its causal past is exactly what the writer saw, and its own
 * event is a fresh dot, {@code k} one above the highest event of {@code n} in the context or in
 * any version {@code n} stores for the key.
 *
 * <p>So a write replaces exactly the siblings whose events the context includes, and two writes
 * from one context through one coordinator get distinct dots ({@code k}, then {@code k+1}: the
 * second sees the first stored) and become siblings — with no writer slots and no extra entries.
 * Each clock has at most one entry per node that ever coordinated a write to the key, plus the
 * dots of events it includes without the ones before them; nothing is truncated.
 *
 * <p>Why the fresh counter is unique: a coordinator stores every write it stamps before it
 * sends it anywhere, and a stored version leaves only for a version whose clock includes it, so
 * the highest event of {@code n} among the stored clocks is the last one {@code n} made for the
 * key — unless the key was removed whole (its tombstones collected everywhere) or the node lost
 * its data and came back under the same id, which the README's limits describe.
 */
public final class DottedVersionVectors implements CausalityScheme {
    public static final String NAME = "dvv";

    @Override
    public VectorClock stamp(NewWrite write) {
        String self = write.coordinator();
        long highest = write.context().highestCounter(self);
        for (Versioned v : write.stored()) {
            highest = Math.max(highest, v.clock().highestCounter(self));
        }
        if (highest >= VectorClock.MAX_COUNTER) {
            throw new InvalidArgumentException("the counter of " + self + " is at its maximum " + VectorClock.MAX_COUNTER
                    + ": no new event can follow it (a forged or damaged context)");
        }
        return write.context().history().withDot(self, highest + 1, write.nowMillis());
    }

    @Override
    public boolean makesDots() {
        return true;
    }

    @Override
    public String toString() {
        return NAME;
    }
}
