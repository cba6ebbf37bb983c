/**
 * Runtime plugin discovery and wiring: {@link io.dynamo.core.plugin.PluginRegistry} finds every
 * {@link io.dynamo.spi.DynamoPlugin} on the class path and in the plugins directory (each jar or
 * folder in its own class loader), and the Guice modules bind the implementations the node
 * config selects by name.
 */
package io.dynamo.core.plugin;
