package io.dynamo.spi.causality;

import io.dynamo.api.VectorClock;

/**
 * How a coordinator gives a new write its clock: the rule that decides which stored versions a
 * write replaces and which stay beside it as siblings. Every node of a cluster uses the same
 * scheme (the node config's {@code causality} key); the core keeps everything else — comparing,
 * merging and storing clocks, read repair, anti-entropy — the same for every scheme, since it
 * works on {@link VectorClock}s, whose dots ({@link VectorClock#withDot}) let a scheme name
 * single events.
 *
 * <p>Contract, checked by the TCK ({@code CausalitySchemeContractTest}), for a write with
 * context {@code C} over the key's stored versions (each not dominated by another):
 * <ul>
 *   <li>the new clock is not covered by any stored version (compare is not BEFORE or EQUAL), so
 *       the write is kept: an acknowledged write is never silently dropped;</li>
 *   <li>it covers every stored version that {@code C} covers (so those are replaced), except
 *       what truncation to {@link NewWrite#maxClockEntries()} forgets, which makes siblings,
 *       never losses;</li>
 *   <li>it does not cover a stored version that {@code C} does not cover: a write never
 *       replaces what its writer has not seen;</li>
 *   <li>its clock is plain ({@link VectorClock#isPlain()}) unless {@link #makesDots()};</li>
 *   <li>deterministic, thread-safe and free of side effects: it runs inside the storage
 *       engine's atomic update of the key, and may run again if the engine retries it.</li>
 * </ul>
 */
public interface CausalityScheme {
    /** The clock of {@code write}. Throws {@link io.dynamo.api.InvalidArgumentException} for a context it cannot extend. */
    VectorClock stamp(NewWrite write);

    /**
     * True when the clocks this scheme makes may carry dots. A node whose scheme makes none
     * refuses versions and contexts with dots (they come from a node with another scheme), and
     * a data directory records the scheme that wrote it.
     */
    default boolean makesDots() {
        return false;
    }
}
