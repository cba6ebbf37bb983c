package io.dynamo.core.coordination;

import static java.util.Objects.requireNonNull;

import io.dynamo.api.Bytes;
import io.dynamo.api.InvalidArgumentException;
import io.dynamo.api.VectorClock;
import io.dynamo.api.Versioned;
import io.dynamo.core.config.NodeConfig;
import io.dynamo.core.messages.Message;
import io.dynamo.core.ring.Ring;
import io.dynamo.spi.causality.CausalityScheme;
import java.util.ArrayList;
import java.util.List;
import java.util.function.LongSupplier;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The checks a node applies to every message right after decoding it, for the limits the codec
 * does not know because they are the node's settings (decoding itself already refused counters
 * above {@link VectorClock#MAX_COUNTER} and clocks over {@link VectorClock#MAX_ENTRIES}).
 * Requests are checked as they arrive ({@code NodeRequestHandler}), answers from peers as they
 * return ({@link ReplicaClient}), so every path that stores versions from elsewhere — client
 * writes, replica writes and read repair, hints, anti-entropy, partition streams — sees only
 * checked ones. A single-key request that fails is refused whole; a batch (anti-entropy,
 * streams) loses only its failing keys. Read answers are checked for sizes only (see
 * {@link #checkValues}).
 *
 * <ul>
 *   <li>every key: not empty, at most {@code replication.max-key-size};
 *   <li>every value: at most {@code replication.max-value-size};
 *   <li>the clock of every version from a peer: at most {@code replication.max-clock-entries}
 *       entries. Refused, not truncated: dropping entries of another node's version could make
 *       it equal to, or dominated by, a concurrent version, which would then replace it — a lost
 *       write. Coordinators truncate the clocks they make, so only a peer configured with more
 *       entries, or a forged message, sends more. (Client contexts are truncated when stamped.)
 *   <li>every timestamp, of contexts and versions: at most {@code replication.max-clock-skew}
 *       ahead of this node's clock, so a forged far-future timestamp never decides truncation or
 *       last-writer-wins;
 *   <li>dots in clocks only on a node whose causality scheme makes them ({@code causality}):
 *       a node of another scheme is in the wrong cluster, and says so;
 *   <li>the owner a hinted replica write names: a member of the cluster;
 *   <li>the partition of anti-entropy and stream requests: one of the ring's [0, Q) — never the
 *       engine partitions the core keeps for itself (hints, the move log, quarantine) — and every
 *       key they carry in that partition, so no request stores a key where reads never look.
 * </ul>
 *
 * Failures are {@link InvalidArgumentException}s naming the setting. Thread-safe.
 */
public final class MessageValidator {
    private static final Logger log = LoggerFactory.getLogger(MessageValidator.class);
    private final RequestLimits limits;
    private final int maxClockEntries;
    private final VersionLimits versionLimits;
    private final LongSupplier clock;
    private final Supplier<ClusterView> view;
    private final CausalityScheme causality;

    public MessageValidator(RequestLimits limits, int maxClockEntries, VersionLimits versionLimits, LongSupplier clock,
            Supplier<ClusterView> view, CausalityScheme causality) {
        this.causality = requireNonNull(causality, "causality is null");
        this.view = requireNonNull(view, "view is null");
        this.limits = requireNonNull(limits, "limits is null");
        this.maxClockEntries = maxClockEntries;
        this.versionLimits = requireNonNull(versionLimits, "versionLimits is null");
        this.clock = requireNonNull(clock, "clock is null");
    }

    public VersionLimits versionLimits() {
        return versionLimits;
    }

    /**
     * Checks every key, value, clock and timestamp {@code message} carries. Returns it, or, for
     * the batches of anti-entropy and streams, a copy without the keys whose versions fail the
     * checks (each logged): one bad key never blocks the others of its batch.
     */
    @SuppressWarnings("unchecked")
    public <M extends Message> M check(M message) {
        if (message instanceof Message.ClientGet m) {
            limits.checkKey(m.key());
        } else if (message instanceof Message.ClientPut m) {
            limits.checkKey(m.key());
            limits.checkValue(m.value());
            checkContext(m.context());
        } else if (message instanceof Message.ClientDelete m) {
            limits.checkKey(m.key());
            checkContext(m.context());
        } else if (message instanceof Message.ReplicaRead m) {
            limits.checkKey(m.key());
            m.hintFor().ifPresent(this::checkMember);
        } else if (message instanceof Message.ReplicaWrite m) {
            checkVersions(m.key(), m.versions());
            m.hintFor().ifPresent(this::checkMember);
        } else if (message instanceof Message.HintDelivery m) {
            checkVersions(m.key(), m.versions());
        } else if (message instanceof Message.Reconcile m) {
            checkPartition(m.partition(), m.keys());
            List<Message.KeyVersions> kept = validKeys(m.keys());
            return kept == m.keys() ? message : (M) new Message.Reconcile(m.partition(), kept);
        } else if (message instanceof Message.Reconciled m) {
            List<Message.KeyVersions> kept = validKeys(m.keys());
            return kept == m.keys() ? message : (M) new Message.Reconciled(kept);
        } else if (message instanceof Message.CollectTombstones m) {
            checkPartition(m.partition(), m.tombstones());
            List<Message.KeyVersions> kept = validKeys(m.tombstones());
            return kept == m.tombstones() ? message : (M) new Message.CollectTombstones(m.partition(), kept);
        } else if (message instanceof Message.StreamBatch m) {
            List<Message.KeyVersions> kept = validKeys(m.keys());
            return kept == m.keys() ? message : (M) new Message.StreamBatch(kept, m.last());
        } else if (message instanceof Message.StreamPartition m) {
            checkPartition(m.partition(), List.of());
            m.after().ifPresent(limits::checkKey);
        } else if (message instanceof Message.TreeNodes m) {
            checkPartition(m.partition(), List.of());
        } else if (message instanceof Message.LeafKeys m) {
            checkPartition(m.partition(), List.of());
        } else if (message instanceof Message.Repair m) {
            m.partition().ifPresent(p -> checkPartition(p, List.of()));
        } else if (message instanceof Message.LeafDigests m) {
            m.keys().forEach(k -> limits.checkKey(k.key()));
        } else if (message instanceof Message.Versions m) {
            checkValues(m.versions());
        } else if (message instanceof Message.ReadResult m) {
            checkValues(m.versions());
        }
        return message;
    }

    /**
     * {@link #check} of a peer's answer to {@code request}; the keys of a {@link Message.Reconciled}
     * or {@link Message.StreamBatch} must also be in the partition the request named, since the
     * asker stores them there.
     */
    @SuppressWarnings("unchecked")
    public <M extends Message> M checkAnswer(Message.Request request, M answer) {
        M checked = check(answer);
        int partition = request instanceof Message.Reconcile r ? r.partition()
                : request instanceof Message.StreamPartition s ? s.partition() : -1;
        if (partition < 0) {
            return checked;
        }
        if (checked instanceof Message.Reconciled m) {
            List<Message.KeyVersions> kept = inPartition(partition, m.keys());
            return kept == m.keys() ? checked : (M) new Message.Reconciled(kept);
        }
        if (checked instanceof Message.StreamBatch m) {
            List<Message.KeyVersions> kept = inPartition(partition, m.keys());
            return kept == m.keys() ? checked : (M) new Message.StreamBatch(kept, m.last());
        }
        return checked;
    }

    private List<Message.KeyVersions> inPartition(int partition, List<Message.KeyVersions> keys) {
        Ring ring = view.get().ring();
        List<Message.KeyVersions> kept = new ArrayList<>(keys.size());
        for (Message.KeyVersions k : keys) {
            if (ring.partitionOf(k.key()) == partition) {
                kept.add(k);
            } else {
                log.warn("skipping key {} of an answer about partition {}: it is not in that partition", k.key(),
                        partition);
            }
        }
        return kept.size() == keys.size() ? keys : kept;
    }

    /**
     * A client's context: its timestamps, and its dots. A scheme that truncates bounds its size
     * when the write is stamped; under a dotted scheme, which never truncates, a context over
     * {@code replication.max-clock-entries} (entries and dots) is refused here.
     */
    public void checkContext(VectorClock context) {
        checkTimestamps(context);
        checkDots(context);
        if (causality.makesDots() && context.size() > clockLimit()) {
            throw new InvalidArgumentException("a context of " + context.size() + " entries and dots is over the limit of "
                    + clockLimit() + " (" + NodeConfig.REPLICATION_MAX_CLOCK_ENTRIES + ", or twice the ring's members under a"
                    + " dotted scheme, whichever is larger)");
        }
    }

    /**
     * The most entries (and dots) a clock may have. A scheme that truncates keeps its clocks at
     * {@code replication.max-clock-entries}; a dotted one never truncates and has an entry per node
     * that coordinated the key, so a limit below the ring's size would refuse honest writes:
     * there, at least twice the ring's members (room for nodes that left) are allowed.
     */
    private int clockLimit() {
        return causality.makesDots() ? Math.max(maxClockEntries, 2 * view.get().ring().members().size()) : maxClockEntries;
    }

    /** Dots come only from a dotted scheme: a node of another scheme refuses them, naming both. */
    private void checkDots(VectorClock clock) {
        if (!clock.isPlain() && !causality.makesDots()) {
            throw new InvalidArgumentException("a clock with dots (" + clock + "), written under a dotted causality"
                    + " scheme such as dvv, reached a node with " + NodeConfig.CAUSALITY + "=" + causality
                    + ": every node of a cluster must use the same " + NodeConfig.CAUSALITY);
        }
    }

    /** Versions of {@code key} (null: the key is checked elsewhere) from the network. */
    public void checkVersions(Bytes key, List<Versioned> versions) {
        if (key != null) {
            limits.checkKey(key);
        }
        for (Versioned v : versions) {
            limits.checkValue(v.value());
            // a version's own dot is its write, not its past: the past is what the limit bounds
            int past = v.clock().size() - (v.clock().dot().isPresent() ? 1 : 0);
            if (past > clockLimit()) {
                throw new InvalidArgumentException("a version with a clock of " + past
                        + " entries is over the limit of " + clockLimit() + " (" + NodeConfig.REPLICATION_MAX_CLOCK_ENTRIES
                        + "; every node must use the same value)");
            }
            checkDots(v.clock());
            checkTimestamps(v.clock());
        }
    }

    /** A hint is kept only for a node of this cluster: one for a stranger could never be delivered. */
    private void checkMember(String nodeId) {
        if (!view.get().endpoints().containsKey(nodeId)) {
            throw new InvalidArgumentException("hint for " + nodeId + ", which is not a member of this cluster");
        }
    }

    private void checkPartition(int partition, List<Message.KeyVersions> keys) {
        Ring ring = view.get().ring();
        if (partition < 0 || partition >= ring.partitionCount()) {
            throw new InvalidArgumentException("partition " + partition + " outside the ring's [0, " + ring.partitionCount()
                    + ")");
        }
        for (Message.KeyVersions k : keys) {
            if (ring.partitionOf(k.key()) != partition) {
                throw new InvalidArgumentException("key " + k.key() + " is not in partition " + partition);
            }
        }
    }

    /** {@code keys} less those that fail {@link #checkVersions} (logged); the same list when all pass. */
    private List<Message.KeyVersions> validKeys(List<Message.KeyVersions> keys) {
        List<Message.KeyVersions> kept = null;
        for (int i = 0; i < keys.size(); i++) {
            Message.KeyVersions k = keys.get(i);
            try {
                checkVersions(k.key(), k.versions());
                if (kept != null) {
                    kept.add(k);
                }
            } catch (InvalidArgumentException e) {
                log.warn("skipping key {} of a batch: {}", k.key(), e.getMessage());
                if (kept == null) {
                    kept = new ArrayList<>(keys.subList(0, i));
                }
            }
        }
        return kept == null ? keys : kept;
    }

    /**
     * Read answers: sizes only. A version stored before these checks existed (a far-future
     * timestamp, a clock over the limit) stays readable; it is never stored anew from a
     * request, and a replica asked to store it by read repair refuses it.
     */
    private void checkValues(List<Versioned> versions) {
        for (Versioned v : versions) {
            limits.checkValue(v.value());
        }
    }

    private void checkTimestamps(VectorClock clock) {
        long latest = clock.latestTimestamp();
        long limit = saturatedAdd(this.clock.getAsLong(), versionLimits.maxClockSkew().toMillis());
        if (latest > limit) {
            throw new InvalidArgumentException("a vector clock timestamp " + latest + " is more than "
                    + versionLimits.maxClockSkew() + " ahead of this node's clock (replication."
                    + VersionLimits.MAX_CLOCK_SKEW + "): refused, so that it never decides truncation or last-writer-wins");
        }
    }

    private static long saturatedAdd(long a, long b) {
        long sum = a + b;
        return ((a ^ sum) & (b ^ sum)) < 0 ? Long.MAX_VALUE : sum;
    }
}
