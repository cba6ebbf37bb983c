/**
 * Sloppy quorum's second half: the durable {@link io.dynamo.core.handoff.HintStore} of writes a
 * node holds for unreachable owners, and {@link io.dynamo.core.handoff.HintedHandoff}, which
 * hands them back when the owners answer again.
 */
package io.dynamo.core.handoff;
