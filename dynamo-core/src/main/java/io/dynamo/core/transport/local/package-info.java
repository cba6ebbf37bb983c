/**
 * The in-process {@code local} transport and its fault-injecting network: see
 * {@link io.dynamo.core.transport.local.LocalNetwork}.
 */
package io.dynamo.core.transport.local;
