package io.dynamo.api;

/**
 * The identity of one client write (a put or a delete): the writing client's id, chosen at
 * random once per client, and the client's sequence number of the write. A client sends the same
 * id every time it retries a write (after a timeout, over a new connection, at another node), and
 * the version the write makes carries it ({@link Versioned#writeId()}), so a node that already
 * stores a version of the key with this id answers as the first time instead of applying the
 * write again: a retried or duplicated write is applied once.
 *
 * <p>The ids live with the versions they made: once another write supersedes that version, its
 * id is gone, and a copy of the write that arrives only then is a new write (see dynamo-core's
 * README, "Write ids and deadlines").
 *
 * @param client the writing client's id; never 0
 * @param sequence the client's number for the write, from 1
 */
public record WriteId(long client, long sequence) {
    public WriteId {
        if (client == 0) {
            throw new InvalidArgumentException("a write id's client id must not be 0");
        }
        if (sequence < 1) {
            throw new InvalidArgumentException("a write id's sequence must be positive: " + sequence);
        }
    }

    @Override
    public String toString() {
        return Long.toHexString(client) + "/" + sequence;
    }
}
