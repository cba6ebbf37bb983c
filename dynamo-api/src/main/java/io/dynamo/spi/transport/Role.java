package io.dynamo.spi.transport;

/**
 * Who a request comes from, as the transport authenticated the connection it arrived on. The
 * node decides from it which messages it accepts: each role may send what the roles before it
 * may, and more.
 *
 * <ul>
 *   <li>{@link #CLIENT}: reads and writes of keys, the routing table, pings, a look at the
 *       gossip state (never merged).
 *   <li>{@link #ADMIN}: a client that may also run administrative operations (decommission,
 *       repair, and those added later).
 *   <li>{@link #PEER}: another node of the cluster: everything, gossip, replica traffic, hints,
 *       anti-entropy and partition streams included.
 * </ul>
 *
 * A transport that cannot tell callers apart hands every request in as {@link #PEER}; a node
 * using it must only be reachable from trusted processes (see {@link Transport#authenticates()}).
 */
public enum Role {
    CLIENT,
    ADMIN,
    PEER;

    /** Whether this role may send what {@code required} may. */
    public boolean mayActAs(Role required) {
        return compareTo(required) >= 0;
    }
}
