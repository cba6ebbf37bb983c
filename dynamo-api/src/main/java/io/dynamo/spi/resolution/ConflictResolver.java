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
 * </ul>
 *
 * <p>Lifecycle: none is needed; one that holds a resource may implement {@link AutoCloseable},
 * and the node closes it when it stops, in reverse order of creation with the other extensions.
 * A failing close is logged, not propagated.
 */
public interface ConflictResolver {
    List<Versioned> resolve(Bytes key, List<Versioned> versions);

    /** True to receive dominated versions too (e.g. to compute a history); default false. */
    default boolean seesDominatedVersions() {
        return false;
    }
}
