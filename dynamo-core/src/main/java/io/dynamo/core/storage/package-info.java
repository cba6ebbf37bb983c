/**
 * The built-in {@code memory} storage engine: partitions as concurrent hash maps on the heap,
 * each key's versions kept encoded as a persistent engine keeps them, nothing persisted
 * ({@link io.dynamo.core.storage.MemoryStorageEngine} documents its locking); and
 * {@link io.dynamo.core.storage.Quarantine}, through which the core reads any engine so that one
 * unreadable value is skipped and moved aside instead of blocking the rest.
 */
package io.dynamo.core.storage;
