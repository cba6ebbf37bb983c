/**
 * The built-in {@code memory} storage engine: partitions as concurrent hash maps on the heap,
 * nothing persisted. {@link io.dynamo.core.storage.MemoryStorageEngine} documents its locking.
 */
package io.dynamo.core.storage;
