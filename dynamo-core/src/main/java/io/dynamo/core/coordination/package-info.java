/**
 * Dynamo's replication protocol on one node: the {@link io.dynamo.core.coordination.QuorumCoordinator}
 * (quorums, sloppy quorum, read repair), the causality rules replicas apply
 * ({@link io.dynamo.core.coordination.Siblings}), the replica store over the storage engine, the
 * failure detector and the scheduler every timeout comes from.
 */
package io.dynamo.core.coordination;
