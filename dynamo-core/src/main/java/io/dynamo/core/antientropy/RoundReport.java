package io.dynamo.core.antientropy;

import io.dynamo.api.InvalidArgumentException;
import io.dynamo.core.messages.Message;

/**
 * What anti-entropy did in one round (or one exchange): the figures {@code dynamo repair} prints.
 *
 * @param partitions partitions this node compared with at least one peer
 * @param exchanges exchanges with a peer that completed
 * @param failedExchanges exchanges that failed (peer down, timeout, error); retried next round
 * @param keysCompared key digests compared, from the leaves that differed (0 when the trees are equal)
 * @param keysDiffering keys whose digests differed (or that one side lacked)
 * @param keysSent keys whose versions travelled, in either direction; a key counts once per exchange
 * @param bytesSent bytes of every anti-entropy request and answer, both directions
 * @param treeNodesExchanged tree hashes received from peers (1 per exchange when the roots agree)
 * @param tombstonesCollected keys removed by this node after every replica was confirmed to hold their tombstones
 */
public record RoundReport(long partitions, long exchanges, long failedExchanges, long keysCompared, long keysDiffering,
        long keysSent, long bytesSent, long treeNodesExchanged, long tombstonesCollected) {
    public static final RoundReport EMPTY = new RoundReport(0, 0, 0, 0, 0, 0, 0, 0, 0);

    public RoundReport {
        if (partitions < 0 || exchanges < 0 || failedExchanges < 0 || keysCompared < 0 || keysDiffering < 0
                || keysSent < 0 || bytesSent < 0 || treeNodesExchanged < 0 || tombstonesCollected < 0) {
            throw new InvalidArgumentException("negative counts in a round report");
        }
    }

    public RoundReport plus(RoundReport o) {
        return new RoundReport(partitions + o.partitions, exchanges + o.exchanges, failedExchanges + o.failedExchanges,
                keysCompared + o.keysCompared, keysDiffering + o.keysDiffering, keysSent + o.keysSent,
                bytesSent + o.bytesSent, treeNodesExchanged + o.treeNodesExchanged,
                tombstonesCollected + o.tombstonesCollected);
    }

    public Message.Repaired toMessage() {
        return new Message.Repaired(partitions, exchanges, failedExchanges, keysCompared, keysDiffering, keysSent,
                bytesSent, treeNodesExchanged, tombstonesCollected);
    }

    public static RoundReport of(Message.Repaired m) {
        return new RoundReport(m.partitions(), m.exchanges(), m.failedExchanges(), m.keysCompared(), m.keysDiffering(),
                m.keysSent(), m.bytesSent(), m.treeNodesExchanged(), m.tombstonesCollected());
    }

    @Override
    public String toString() {
        return "partitions=" + partitions + " exchanges=" + exchanges + " failed=" + failedExchanges
                + " keys-compared=" + keysCompared + " keys-differing=" + keysDiffering + " keys-sent=" + keysSent
                + " bytes-sent=" + bytesSent + " tree-nodes=" + treeNodesExchanged
                + " tombstones-collected=" + tombstonesCollected;
    }
}
