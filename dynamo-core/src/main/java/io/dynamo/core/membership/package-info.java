/**
 * Membership: gossip of member state and of the partition assignment, a phi-accrual failure
 * detector fed by gossip heartbeats, and join / decommission with streamed partition transfer.
 * See {@link io.dynamo.core.membership.Membership}.
 */
package io.dynamo.core.membership;
