/** In-process clusters on the {@code local} transport: {@link io.dynamo.core.cluster.InProcessCluster}. */
package io.dynamo.core.cluster;
