/**
 * The built-in conflict resolvers: {@code vector-clock} (returns concurrent siblings),
 * {@code lww} (last writer wins) and {@code set-union} (the shopping cart). Each first drops the
 * versions another dominates, then sorts in one canonical order, so a result never depends on
 * the order replicas answered in.
 */
package io.dynamo.core.resolution;
