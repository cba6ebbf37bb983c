/**
 * The persistent storage engine {@code chronicle} on Chronicle Map: one map file per partition,
 * each with a checked manifest, values sealed with a CRC32C. Entry point: {@link
 * io.dynamo.storage.chronicle.ChroniclePlugin}.
 */
package io.dynamo.storage.chronicle;
