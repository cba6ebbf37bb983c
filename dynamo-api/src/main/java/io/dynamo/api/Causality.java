package io.dynamo.api;

/** How one vector clock relates to another: {@code a.compare(b)}. */
public enum Causality {
    /** a happened before b: b dominates a. */
    BEFORE,
    /** a happened after b: a dominates b. */
    AFTER,
    /** the same history. */
    EQUAL,
    /** neither saw the other: the versions are siblings. */
    CONCURRENT
}
