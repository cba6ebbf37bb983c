/**
 * The {@code md5} partitioner plugin. Only {@link io.dynamo.partitioner.md5.Md5Plugin} is public:
 * the node reaches the partitioner through the plugin's factory.
 */
package io.dynamo.partitioner.md5;
