package io.dynamo.api;

/**
 * When a put or delete may be applied.
 *
 * <p>{@link #IF_UNMODIFIED} makes it conditional: the coordinator first reads the key from R
 * replicas and refuses the write with {@link ConflictException} when they hold a version the
 * write's context does not cover (a write the caller has not seen). With {@link Context#EMPTY}
 * it writes only a key that is absent on those replicas. This is weaker than a linearizable
 * compare-and-set, as Voldemort's optimistic locking is: two writes from the same context that
 * race through different coordinators reading different replica sets can both succeed and
 * become siblings; two that race through one coordinator, or that both read the replicas the
 * other wrote, are decided there, one succeeding and the other refused.
 */
public enum Condition {
    /** Always applied: a write concurrent with versions it did not see makes siblings (Dynamo's default). */
    NONE,
    /** Applied only when the context covers every version the coordinator's read of R replicas found. */
    IF_UNMODIFIED
}
