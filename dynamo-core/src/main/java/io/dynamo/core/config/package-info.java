/**
 * The node configuration: {@link io.dynamo.core.config.NodeConfig} reads and validates a
 * properties file plus overrides, exposes typed settings, and cuts out each plugin's own
 * {@link io.dynamo.spi.PluginConfig} namespace; {@link io.dynamo.core.config.ConfigModule}
 * binds it for Guice.
 */
package io.dynamo.core.config;
