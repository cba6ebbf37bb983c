package io.dynamo.spi.resolution;

import io.dynamo.api.Bytes;
import io.dynamo.api.Versioned;
import java.util.List;

/**
 * Reduces the versions of one key, gathered from replicas, to the versions a read returns and
 * writes back.
 *
 * <p>The core first drops every version that another dominates (by vector clock), then calls
 * the resolver with what is left, so a resolver never sees a dominated version unless
 * {@link #seesDominatedVersions()} says so. It is called only when two or more versions remain.
 *
 * <p>Contract, checked by the TCK:
 * <ul>
 *   <li>The result is non-empty, and each element is either one of the inputs or a new version
 *       whose clock is the merge of the clocks of the inputs it replaces (so that it dominates
 *       them and the replaced versions disappear when it is written back).</li>
 *   <li>Deterministic: the same versions in any order give the same result, on every node.</li>
 *   <li>Thread-safe and free of side effects; called concurrently on the request path.</li>
 *   <li>Every input is covered by the result: returned as it is, or replaced by a result whose
 *       clock is at or after the input's.</li>
 *   <li><b>Values it cannot parse are kept.</b> A resolver that interprets values (a counter, a
 *       set, a document) returns a value it cannot parse unchanged, as a sibling of the rest
 *       of its result, with its own clock; it neither throws nor drops it, and merges only the
 *       values it understands. One malformed write thus never stops a key from being read
 *       and never loses data silently: the client sees the odd sibling and can repair it.
 *       Tombstones are not values and follow the resolver's own rule.</li>
 * </ul>
 *
 * <p>A resolver states which further laws it obeys with {@link #semantics()}; the TCK checks
 * them on generated sibling sets.
 *
 * <p>Lifecycle: none is needed; one that holds a resource may implement {@link AutoCloseable},
 * and the node closes it when it stops, in reverse order of creation with the other extensions.
 * A failing close is logged, not propagated.
 */
public interface ConflictResolver {
    List<Versioned> resolve(Bytes key, List<Versioned> versions);

    /**
     * What a resolver promises beyond the contract above; the TCK checks the laws of the
     * promise. Resolvers built for an earlier SPI version are {@link #UNDECLARED}.
     *
     * @since SPI version 3
     */
    enum Semantics {
        /** No further promise: only the contract in the class comment holds. */
        UNDECLARED,
        /**
         * Returns some of its inputs, unchanged, and never creates a version (e.g.
         * {@code vector-clock}, which returns every concurrent sibling). Resolving a result
         * again returns it, and resolving the results of two groups of siblings together gives
         * the result of resolving both groups at once.
         */
        SELECT,
        /**
         * Joins concurrent values into one new version under the merge of their clocks, like
         * a state-based CRDT (e.g. {@code set-union}; {@code lww}, whose state is a value with
         * its newest timestamp). The join is commutative, associative and idempotent, so a
         * merged value merged again with any of its inputs (as read repair and anti-entropy
         * do) is unchanged: nothing is counted twice. Values it cannot parse are kept as
         * siblings (see the class comment).
         */
        MERGE
    }

    /**
     * Which laws this resolver obeys; default {@link Semantics#UNDECLARED}.
     *
     * @since SPI version 3
     */
    default Semantics semantics() {
        return Semantics.UNDECLARED;
    }

    /** True to receive dominated versions too (e.g. to compute a history); default false. */
    default boolean seesDominatedVersions() {
        return false;
    }
}
