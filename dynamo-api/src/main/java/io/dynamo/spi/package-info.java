/**
 * The extension points. A plugin implements {@link io.dynamo.spi.DynamoPlugin}, lists it in
 * {@code META-INF/services/io.dynamo.spi.DynamoPlugin}, and contributes factories for
 * partitioners, conflict resolvers, storage engines and transports. Plugins depend on this
 * module only (at {@code provided} scope); the node shares this package prefix with every
 * plugin class loader and isolates everything else.
 */
package io.dynamo.spi;
