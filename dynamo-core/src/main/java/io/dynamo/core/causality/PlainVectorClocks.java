package io.dynamo.core.causality;

import io.dynamo.api.VectorClock;
import io.dynamo.spi.causality.CausalityScheme;
import io.dynamo.spi.causality.NewWrite;

/**
 * The {@code plain-vector-clock} scheme: Dynamo's original rule, the context with the
 * coordinator's entry incremented (truncated like {@link WriterSlots}), without writer slots.
 * <b>For comparisons only</b>: two writes from one context through one coordinator get equal
 * clocks, so the second is acknowledged and then dropped as a copy of the first — the lost
 * update that writer slots and dotted version vectors exist to prevent. A research baseline.
 */
public final class PlainVectorClocks implements CausalityScheme {
    public static final String NAME = "plain-vector-clock";

    @Override
    public VectorClock stamp(NewWrite write) {
        VectorClock clock = write.context().increment(write.coordinator(), write.nowMillis());
        return WriterSlots.truncateKeeping(clock, write.coordinator(), write.maxClockEntries());
    }

    @Override
    public String toString() {
        return NAME;
    }
}
