/**
 * Anti-entropy: a {@link io.dynamo.core.antientropy.MerkleTree} per partition kept current as
 * writes land ({@link io.dynamo.core.antientropy.PartitionTrees}), exchanges between the
 * replicas of a partition that descend only into differing subtrees and move only differing
 * keys ({@link io.dynamo.core.antientropy.AntiEntropy}), and tombstone collection confirmed by
 * every replica. The rules and their limits are in the module README.
 */
package io.dynamo.core.antientropy;
