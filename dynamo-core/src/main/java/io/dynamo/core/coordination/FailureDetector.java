package io.dynamo.core.coordination;

import java.util.Set;

/**
 * Which peers this node believes are up. The coordinator skips suspected nodes (their writes go
 * to stand-ins with hints) and hinted handoff pings them until they answer.
 *
 * <p>Thread-safe. The first implementation ({@link SuspicionFailureDetector}) suspects a node
 * from its first failed request until a request or ping succeeds; a gossip-fed, phi-accrual
 * detector can replace it behind this interface.
 */
public interface FailureDetector {
    /** False while {@code nodeId} is suspected to be down. */
    boolean isAvailable(String nodeId);

    /** A request to {@code nodeId} failed (unreachable, timed out). */
    void reportFailure(String nodeId);

    /** {@code nodeId} answered a request or a ping. */
    void reportSuccess(String nodeId);

    /** The nodes currently suspected, sorted by id. */
    Set<String> suspects();
}
