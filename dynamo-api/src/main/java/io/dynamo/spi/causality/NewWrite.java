package io.dynamo.spi.causality;

import static java.util.Objects.requireNonNull;

import io.dynamo.api.InvalidArgumentException;
import io.dynamo.api.VectorClock;
import io.dynamo.api.Versioned;
import java.util.List;

/**
 * A write a coordinator is about to store, as a {@link CausalityScheme} sees it.
 *
 * @param coordinator the id of the node stamping the write (it stores every write it stamps
 *     before sending it anywhere, so {@code stored} holds every clock it made for the key that
 *     no later write has replaced)
 * @param context the client's context: the events the writer has seen
 * @param stored the key's versions on the coordinator, none dominated by another
 * @param nowMillis the coordinator's wall-clock time, for timestamps
 * @param maxClockEntries {@code replication.max-clock-entries}, for schemes that truncate
 */
public record NewWrite(String coordinator, VectorClock context, List<Versioned> stored, long nowMillis,
        int maxClockEntries) {
    public NewWrite {
        requireNonNull(coordinator, "coordinator is null");
        requireNonNull(context, "context is null");
        stored = List.copyOf(stored);
        if (maxClockEntries < 1) {
            throw new InvalidArgumentException("maxClockEntries must be at least 1: " + maxClockEntries);
        }
    }
}
