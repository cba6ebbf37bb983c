/**
 * The built-in {@code memory} storage engine: partitions as concurrent hash maps on the heap,
 * each key's versions kept encoded as a persistent engine keeps them, nothing persisted
 * ({@link io.dynamo.core.storage.MemoryStorageEngine} documents its locking); and
 * {@link io.dynamo.core.storage.Quarantine}, through which the core reads any engine so that one
 * unreadable value is skipped and moved aside instead of blocking the rest; and the node's
 * durable-write policy ({@link io.dynamo.core.storage.SyncSettings},
 * {@link io.dynamo.core.storage.Durability}): when the engine is asked to sync what it wrote.
 */
package io.dynamo.core.storage;
