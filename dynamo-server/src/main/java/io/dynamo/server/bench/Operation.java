package io.dynamo.server.bench;

/** The operations the load generator measures. */
public enum Operation {
    /** A put of a new record with an empty context (the load phase). */
    INSERT,
    /** A get. */
    READ,
    /**
     * A read-modify-write: a get, then a put with the context the get returned, so updates
     * supersede the versions they read instead of piling up siblings. Its latency covers both.
     */
    UPDATE
}
