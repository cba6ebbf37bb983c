/**
 * Conflict resolvers that merge siblings as CRDTs, and the values they merge: {@link
 * io.dynamo.resolver.crdt.OrSet} (an add-wins observed-remove set, resolver {@code or-set}) and
 * {@link io.dynamo.resolver.crdt.PnCounter} (a counter that goes up and down, resolver
 * {@code pn-counter}). Clients build and change values with these types, encode them as the
 * key's value, and merge the siblings a read returns before changing them; the resolvers do the
 * same merge on the nodes. Depends on {@code dynamo-api} only.
 */
package io.dynamo.resolver.crdt;
