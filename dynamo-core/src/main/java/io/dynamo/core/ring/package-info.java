/**
 * The consistent-hashing ring: the partitioner's token space cut into Q equal partitions
 * (Dynamo's strategy 3, as in Riak and Voldemort), each owned by one physical node, and the
 * preference lists derived from it. See {@link io.dynamo.core.ring.Ring}.
 */
package io.dynamo.core.ring;
