/**
 * A node assembled: {@link io.dynamo.core.node.DynamoNode} and its Guice wiring,
 * {@link io.dynamo.core.node.ReplicationModule}.
 */
package io.dynamo.core.node;
