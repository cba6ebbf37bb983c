package io.dynamo.core.messages;

import static java.util.Objects.requireNonNull;

import io.dynamo.api.Bytes;
import io.dynamo.api.DynamoException;
import io.dynamo.api.ForbiddenException;
import io.dynamo.api.InvalidArgumentException;
import io.dynamo.api.PrimaryQuorumException;
import io.dynamo.api.QuorumException;
import io.dynamo.api.RequestTimeoutException;
import io.dynamo.api.UnavailableException;
import io.dynamo.api.VectorClock;
import io.dynamo.api.Versioned;
import io.dynamo.api.WriteId;
import io.dynamo.api.codec.MalformedDataException;
import io.dynamo.core.plugin.PluginDescription;
import io.dynamo.spi.transport.Endpoint;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.ToIntFunction;

/**
 * Everything nodes and clients say to each other. {@link MessageCodec} turns a message into
 * bytes and back; a transport only moves those bytes.
 *
 * <p>Requests: the client operations ({@link ClientGet}, {@link ClientPut}, {@link ClientDelete}),
 * which any node accepts and forwards to a coordinator in the key's preference list when it is
 * not in it itself; and the replica operations a coordinator sends ({@link ReplicaRead},
 * {@link ReplicaWrite}, {@link HintDelivery}, {@link Ping}). Every request is answered by exactly
 * one response: {@link Versions}, {@link ReadResult}, {@link Written}, {@link Ack} or {@link Error}.
 *
 * <p>Anti-entropy adds {@link TreeNodes}, {@link LeafKeys}, {@link Reconcile} and
 * {@link CollectTombstones} between replicas, and {@link Repair} from an operator. A client
 * that coordinates its own reads asks for a {@link RoutingTable} ({@link Routing}) and sends
 * {@link ReplicaRead} and, to repair, {@link ReplicaWrite} itself.
 */
public sealed interface Message {
    /** The largest quorum a request may ask for; more replicas than this make no sense. */
    int MAX_QUORUM = 255;

    /** The deepest hash tree the protocol carries (about a million leaves). */
    int MAX_TREE_DEPTH = 20;

    /** A request: something a node answers. */
    sealed interface Request extends Message {}

    /** An answer to a {@link Request}. */
    sealed interface Response extends Message {}

    /**
     * A client read.
     *
     * @param quorum R for this request, 0 for the store's default
     * @param timeoutMillis the coordinator's timeout, 0 for the store's default
     * @param forwarded true when a node that is not a replica of the key passed it on: the
     *     receiver coordinates or refuses, it never forwards again
     * @param primaries pr for this request: how many of the key's primary replicas must answer, 0
     *     for the store's default
     */
    record ClientGet(Bytes key, int quorum, long timeoutMillis, boolean forwarded, int primaries) implements Request {
        public ClientGet {
            requireNonNull(key, "key is null");
            checkQuorum(quorum);
            checkTimeout(timeoutMillis);
            checkQuorum(primaries);
        }

        /** A read without pr: the store's default. */
        public ClientGet(Bytes key, int quorum, long timeoutMillis, boolean forwarded) {
            this(key, quorum, timeoutMillis, forwarded, 0);
        }
    }

    /**
     * A client write of {@code value} superseding every version {@code context} covers.
     *
     * @param writeId the write's identity, the same in every retry of it: a node that stores a
     *     version of the key made by this id answers with that version instead of applying the
     *     write again (empty from clients before write ids: such writes are applied every time)
     * @param deadlineMillis the wall-clock time (epoch millis) after which no node may apply the
     *     write (it answers a timeout instead), so a copy delayed in the network is not applied
     *     after the client gave up on it; 0 for none
     * @param primaries pw for this request: how many of the key's primary replicas must acknowledge
     *     it, 0 for the store's default
     * @param ifUnmodified a conditional write: refused with a {@link Conflict} when the key holds
     *     versions {@code context} does not cover
     */
    record ClientPut(Bytes key, Bytes value, VectorClock context, int quorum, long timeoutMillis, boolean forwarded,
            Optional<WriteId> writeId, long deadlineMillis, int primaries, boolean ifUnmodified) implements Request {
        public ClientPut {
            requireNonNull(key, "key is null");
            requireNonNull(value, "value is null");
            requireNonNull(context, "context is null");
            checkQuorum(quorum);
            checkTimeout(timeoutMillis);
            requireNonNull(writeId, "writeId is null");
            checkDeadline(deadlineMillis);
            checkQuorum(primaries);
        }

        /** A put without pw or a condition. */
        public ClientPut(Bytes key, Bytes value, VectorClock context, int quorum, long timeoutMillis, boolean forwarded,
                Optional<WriteId> writeId, long deadlineMillis) {
            this(key, value, context, quorum, timeoutMillis, forwarded, writeId, deadlineMillis, 0, false);
        }

        /** A put without a write id or a deadline. */
        public ClientPut(Bytes key, Bytes value, VectorClock context, int quorum, long timeoutMillis, boolean forwarded) {
            this(key, value, context, quorum, timeoutMillis, forwarded, Optional.empty(), 0);
        }

        /** This put passed on by a non-owner, with its own timeout and deadline for the owner. */
        public ClientPut forwarded(long timeoutMillis, long deadlineMillis) {
            return new ClientPut(key, value, context, quorum, timeoutMillis, true, writeId, deadlineMillis, primaries,
                    ifUnmodified);
        }

        /** This put with another deadline (each attempt of a client gets its own). */
        public ClientPut withDeadline(long deadlineMillis) {
            return new ClientPut(key, value, context, quorum, timeoutMillis, forwarded, writeId, deadlineMillis, primaries,
                    ifUnmodified);
        }
    }

    /** A client delete: a tombstone superseding every version {@code context} covers; see {@link ClientPut}. */
    record ClientDelete(Bytes key, VectorClock context, int quorum, long timeoutMillis, boolean forwarded,
            Optional<WriteId> writeId, long deadlineMillis, int primaries, boolean ifUnmodified) implements Request {
        public ClientDelete {
            requireNonNull(key, "key is null");
            requireNonNull(context, "context is null");
            checkQuorum(quorum);
            checkTimeout(timeoutMillis);
            requireNonNull(writeId, "writeId is null");
            checkDeadline(deadlineMillis);
            checkQuorum(primaries);
        }

        /** A delete without pw or a condition. */
        public ClientDelete(Bytes key, VectorClock context, int quorum, long timeoutMillis, boolean forwarded,
                Optional<WriteId> writeId, long deadlineMillis) {
            this(key, context, quorum, timeoutMillis, forwarded, writeId, deadlineMillis, 0, false);
        }

        /** A delete without a write id or a deadline. */
        public ClientDelete(Bytes key, VectorClock context, int quorum, long timeoutMillis, boolean forwarded) {
            this(key, context, quorum, timeoutMillis, forwarded, Optional.empty(), 0);
        }

        /** This delete passed on by a non-owner, with its own timeout and deadline for the owner. */
        public ClientDelete forwarded(long timeoutMillis, long deadlineMillis) {
            return new ClientDelete(key, context, quorum, timeoutMillis, true, writeId, deadlineMillis, primaries,
                    ifUnmodified);
        }

        /** This delete with another deadline (each attempt of a client gets its own). */
        public ClientDelete withDeadline(long deadlineMillis) {
            return new ClientDelete(key, context, quorum, timeoutMillis, forwarded, writeId, deadlineMillis, primaries,
                    ifUnmodified);
        }
    }

    /**
     * A coordinator asking a replica for its versions of {@code key}. With {@code hintFor}, the
     * receiver is a stand-in for that node and answers from the hints it holds for it as well.
     */
    record ReplicaRead(Bytes key, Optional<String> hintFor) implements Request {
        public ReplicaRead {
            requireNonNull(key, "key is null");
            requireNonNull(hintFor, "hintFor is null");
            hintFor.ifPresent(Message::checkNodeId);
        }
    }

    /**
     * A coordinator (or read repair) asking a replica to merge {@code versions} into what it
     * stores. With {@code hintFor} the receiver is a stand-in (sloppy quorum): it keeps the
     * versions as a hint for that node and hands them off when the node answers again. With
     * {@code ifUnmodified} (a conditional client write) a replica stores the one version only
     * when it dominates or equals every version the replica holds, atomically, and otherwise
     * answers {@link Conflict} with what it holds; a stand-in keeps the hint unchecked.
     */
    record ReplicaWrite(Bytes key, List<Versioned> versions, Optional<String> hintFor, boolean ifUnmodified)
            implements Request {
        public ReplicaWrite {
            requireNonNull(key, "key is null");
            versions = List.copyOf(requireNonNull(versions, "versions is null"));
            requireNonNull(hintFor, "hintFor is null");
            hintFor.ifPresent(Message::checkNodeId);
            if (ifUnmodified && versions.size() != 1) {
                throw new InvalidArgumentException("a conditional replica write carries one version, not "
                        + versions.size());
            }
        }

        /** An unconditional replica write: merged by causality. */
        public ReplicaWrite(Bytes key, List<Versioned> versions, Optional<String> hintFor) {
            this(key, versions, hintFor, false);
        }
    }

    /** A stand-in handing hinted versions of {@code key} back to their owner. */
    record HintDelivery(Bytes key, List<Versioned> versions, String holder) implements Request {
        public HintDelivery {
            requireNonNull(key, "key is null");
            versions = List.copyOf(requireNonNull(versions, "versions is null"));
            checkNodeId(holder);
        }
    }

    /** Are you there? Answered by {@link Ack}. */
    record Ping(String from) implements Request {
        public Ping {
            checkNodeId(from);
        }
    }

    // ---- anti-entropy (see io.dynamo.core.antientropy) ----

    /** One key's digest in a replica's hash tree. Not a message: a part of {@link LeafDigests}. */
    record KeyDigest(Bytes key, long digest) {
        public KeyDigest {
            requireNonNull(key, "key is null");
        }
    }

    /** One key and versions of it. Not a message: a part of anti-entropy messages. */
    record KeyVersions(Bytes key, List<Versioned> versions) {
        public KeyVersions {
            requireNonNull(key, "key is null");
            versions = List.copyOf(requireNonNull(versions, "versions is null"));
        }
    }

    /**
     * Asks for the hashes of some nodes of one level of the receiver's tree of {@code partition}
     * (level 0 is the root, level {@code depth} the leaves). Answered by {@link TreeHashes}.
     */
    record TreeNodes(int partition, int depth, int level, List<Integer> indices) implements Request {
        public TreeNodes {
            checkTreeLevel(partition, depth, level);
            indices = List.copyOf(requireNonNull(indices, "indices is null"));
            for (int index : indices) {
                if (index < 0 || index >= 1 << level) {
                    throw new InvalidArgumentException("node " + index + " outside level " + level);
                }
            }
        }
    }

    /** The hashes asked for by a {@link TreeNodes}, in its order. */
    record TreeHashes(List<Long> hashes) implements Response {
        public TreeHashes {
            hashes = List.copyOf(requireNonNull(hashes, "hashes is null"));
        }
    }

    /** Asks for the key digests of some leaves of the receiver's tree. Answered by {@link LeafDigests}. */
    record LeafKeys(int partition, int depth, List<Integer> leaves) implements Request {
        public LeafKeys {
            checkTreeLevel(partition, depth, depth);
            leaves = List.copyOf(requireNonNull(leaves, "leaves is null"));
            for (int leaf : leaves) {
                if (leaf < 0 || leaf >= 1 << depth) {
                    throw new InvalidArgumentException("leaf " + leaf + " outside a tree of depth " + depth);
                }
            }
        }
    }

    /** Every key of the leaves asked for and its digest. */
    record LeafDigests(List<KeyDigest> keys) implements Response {
        public LeafDigests {
            keys = List.copyOf(requireNonNull(keys, "keys is null"));
        }
    }

    /**
     * The sender's versions of keys whose digests differ (an empty list for a key it lacks):
     * the receiver merges them by causality and answers with {@link Reconciled}.
     */
    record Reconcile(int partition, List<KeyVersions> keys) implements Request {
        public Reconcile {
            checkPartition(partition);
            keys = List.copyOf(requireNonNull(keys, "keys is null"));
        }
    }

    /** The receiver's versions of a {@link Reconcile}'s keys that the sender did not cover. */
    record Reconciled(List<KeyVersions> keys) implements Response {
        public Reconciled {
            keys = List.copyOf(requireNonNull(keys, "keys is null"));
        }
    }

    /**
     * Tombstones every replica of {@code partition} was confirmed to hold: the receiver removes
     * each key whose versions are all tombstones these cover. Answered by {@link Ack}.
     */
    record CollectTombstones(int partition, List<KeyVersions> tombstones) implements Request {
        public CollectTombstones {
            checkPartition(partition);
            tombstones = List.copyOf(requireNonNull(tombstones, "tombstones is null"));
            for (KeyVersions k : tombstones) {
                for (Versioned v : k.versions()) {
                    if (!v.tombstone()) {
                        throw new InvalidArgumentException("not a tombstone: " + v + " of " + k.key());
                    }
                }
            }
        }
    }

    /** An operator asking a node to run one anti-entropy round now, over one partition or all. */
    record Repair(Optional<Integer> partition) implements Request {
        public Repair {
            requireNonNull(partition, "partition is null");
            partition.ifPresent(Message::checkPartition);
        }
    }

    /** What a {@link Repair} round did (see {@code io.dynamo.core.antientropy.RoundReport}). */
    record Repaired(long partitions, long exchanges, long failedExchanges, long keysCompared, long keysDiffering,
            long keysSent, long bytesSent, long treeNodesExchanged, long tombstonesCollected) implements Response {
        public Repaired {
            if (partitions < 0 || exchanges < 0 || failedExchanges < 0 || keysCompared < 0 || keysDiffering < 0
                    || keysSent < 0 || bytesSent < 0 || treeNodesExchanged < 0 || tombstonesCollected < 0) {
                throw new InvalidArgumentException("negative repair counts");
            }
        }
    }

    // ---- membership (see io.dynamo.core.membership) ----

    /** A node's whole gossip state; the receiver merges it and answers with its own ({@link GossipAck}). */
    record Gossip(io.dynamo.core.membership.GossipState state) implements Request {
        public Gossip {
            requireNonNull(state, "state is null");
        }
    }

    /** The receiver's gossip state after merging a {@link Gossip}. */
    record GossipAck(io.dynamo.core.membership.GossipState state) implements Response {
        public GossipAck {
            requireNonNull(state, "state is null");
        }
    }

    /**
     * Asks for the next keys of {@code partition} after {@code after} (in key order; from the
     * start when empty), at most {@code maxKeys} of them, with their versions. Answered by
     * {@link StreamBatch}.
     */
    record StreamPartition(int partition, Optional<Bytes> after, int maxKeys) implements Request {
        public StreamPartition {
            checkPartition(partition);
            requireNonNull(after, "after is null");
            if (maxKeys < 1) {
                throw new InvalidArgumentException("maxKeys must be positive: " + maxKeys);
            }
        }
    }

    /** Keys of a partition in ascending order; {@code last} when no key follows them. */
    record StreamBatch(List<KeyVersions> keys, boolean last) implements Response {
        public StreamBatch {
            keys = List.copyOf(requireNonNull(keys, "keys is null"));
        }
    }

    /** An operator asking the receiver to start moving {@code nodeId}'s partitions to the others. Answered by {@link Ack}. */
    record Decommission(String nodeId) implements Request {
        public Decommission {
            checkNodeId(nodeId);
        }
    }

    /**
     * An operator removing {@code nodeId}, a member that is down and will never return: the
     * receiver proposes the ring without it (as for a decommission) and the surviving replicas
     * stream its partitions to their new owners. Answered by {@link Ack}.
     */
    record RemoveNode(String nodeId) implements Request {
        public RemoveNode {
            checkNodeId(nodeId);
        }
    }

    /**
     * An operator replacing {@code dead}, a member that is down and whose data is gone, with
     * {@code replacement}, a joining node outside the ring: the receiver proposes the ring where
     * {@code replacement} owns exactly {@code dead}'s partitions, which it then streams from
     * their other replicas. Answered by {@link Ack}.
     */
    record ReplaceNode(String dead, String replacement) implements Request {
        public ReplaceNode {
            checkNodeId(dead);
            checkNodeId(replacement);
            if (dead.equals(replacement)) {
                throw new InvalidArgumentException("a node cannot replace itself: " + dead);
            }
        }
    }

    /** Asks a node how many hinted keys it holds for each target node. Answered by {@link HintCounts}. */
    record Hints() implements Request {}

    /**
     * An operator draining a node: it refuses client requests from now on (clients go to other
     * nodes), hands off its hints for at most {@code handoffMillis}, then stops. Answered by
     * {@link HintCounts}, the hints still held when handoff ended.
     */
    record Drain(long handoffMillis) implements Request {
        /** The longest handoff a drain may ask for: one day. */
        public static final long MAX_HANDOFF_MILLIS = 86_400_000L;

        public Drain {
            if (handoffMillis < 0 || handoffMillis > MAX_HANDOFF_MILLIS) {
                throw new InvalidArgumentException("drain handoff time must be 0 to " + MAX_HANDOFF_MILLIS + " ms: "
                        + handoffMillis);
            }
        }
    }

    /** Hinted keys held per target node id. */
    record HintCounts(Map<String, Long> pending) implements Response {
        /** The most target nodes one answer may name. */
        public static final int MAX_TARGETS = 10_000;

        public HintCounts {
            pending = Map.copyOf(requireNonNull(pending, "pending is null"));
            if (pending.size() > MAX_TARGETS) {
                throw new InvalidArgumentException("hint counts for " + pending.size() + " nodes, at most " + MAX_TARGETS);
            }
            pending.forEach((id, count) -> {
                checkNodeId(id);
                if (count < 0) {
                    throw new InvalidArgumentException("negative hint count for " + id + ": " + count);
                }
            });
        }
    }

    /**
     * Asks a node which of {@code partitions} it holds: it was their replica before the last
     * change, or it received them whole by the move protocol. A node drops a partition it gave
     * away only after every new replica confirmed it. Answered by {@link HeldPartitions}.
     */
    record HoldsPartitions(List<Integer> partitions) implements Request {
        public HoldsPartitions {
            partitions = List.copyOf(requireNonNull(partitions, "partitions is null"));
            partitions.forEach(Message::checkPartition);
        }
    }

    /** The partitions of a {@link HoldsPartitions} the answering node holds. */
    record HeldPartitions(List<Integer> partitions) implements Response {
        public HeldPartitions {
            partitions = List.copyOf(requireNonNull(partitions, "partitions is null"));
            partitions.forEach(Message::checkPartition);
        }
    }

    /**
     * Creates store {@code name} with {@code settings} (short keys such as {@code n} or
     * {@code resolver}) in the cluster's catalog, through the node that receives it ({@code dynamo
     * store create}). An admin's request, answered by {@link Ack} once the node took it.
     */
    record CreateStore(String name, Map<String, String> settings) implements Request {
        public CreateStore {
            settings = new java.util.TreeMap<>(requireNonNull(settings, "settings is null"));
            // the shape every catalog entry has; whether the settings make a store the node decides
            io.dynamo.core.store.CatalogEntry.live(name, settings, 1, "-");
            settings = java.util.Collections.unmodifiableMap(settings);
        }
    }

    /** Drops store {@code name} on every node, its data included ({@code dynamo store drop}). An admin's request. */
    record DropStore(String name) implements Request {
        public DropStore {
            io.dynamo.core.store.CatalogEntry.checkName(name);
        }
    }

    /** Asks a node which stores it knows, answered by {@link StoreList}. */
    record ListStores() implements Request {}

    /**
     * The stores a node knows: {@code default} first (with what the node can tell of its
     * settings), then every entry of its catalog by name, dropped ones included.
     */
    record StoreList(List<io.dynamo.core.store.CatalogEntry> stores) implements Response {
        /** The most entries a list may hold: the default store, the node config's (at most 256 listed) and the catalog's. */
        public static final int MAX_STORES = 2 * io.dynamo.core.store.StoreCatalog.MAX_ENTRIES + 1;

        public StoreList {
            stores = List.copyOf(requireNonNull(stores, "stores is null"));
            if (stores.size() > MAX_STORES) {
                throw new InvalidArgumentException(stores.size() + " stores, more than " + MAX_STORES);
            }
        }
    }

    /** Asks a node for its {@link RoutingTable}. */
    record Routing() implements Request {}

    /**
     * Asks a node which plugins it loaded, answered by a {@link PluginList} ({@code dynamo plugins
     * --node}). An admin's request: the answer names files on the node's disk.
     */
    record Plugins() implements Request {}

    /**
     * The plugins a node loaded: every factory of its registry, by extension point then name
     * (the selected ones among them). At most {@link #MAX_PLUGINS} entries.
     */
    record PluginList(List<PluginDescription> plugins) implements Response {
        /** The most entries a list may hold: far more than any node loads, few enough to bound an answer. */
        public static final int MAX_PLUGINS = 4096;

        public PluginList {
            plugins = List.copyOf(requireNonNull(plugins, "plugins is null"));
            if (plugins.size() > MAX_PLUGINS) {
                throw new InvalidArgumentException(plugins.size() + " plugins, more than " + MAX_PLUGINS);
            }
        }
    }

    /**
     * What a client needs to coordinate reads itself, the Dynamo paper's client-driven
     * coordination: the owner of every partition (the ring's assignment), every member's
     * address, N and R, the name of the partitioner that places keys on the ring, and whether
     * the node lets clients do so. It does not while partitions move (writes then reach more
     * replicas than the ring names), nor when its resolver does more than drop dominated versions
     * (a client has no resolver).
     *
     * @param probes the partitions of {@link #PROBE_KEYS} in the node's ring, so that a client
     *     whose partitioner differs from the cluster's finds out instead of asking wrong replicas
     */
    record RoutingTable(List<String> assignment, Map<String, Endpoint> endpoints, int replicas, int readQuorum,
            String partitioner, boolean clientReads, List<Integer> probes) implements Response {
        /** Keys whose partitions show whether two partitioners agree. */
        public static final List<Bytes> PROBE_KEYS = List.of(Bytes.utf8("probe-a"), Bytes.utf8("probe-b"),
                Bytes.utf8("probe-c"), Bytes.utf8("probe-d"));

        /** The partitions of {@link #PROBE_KEYS} by {@code partitionOf}: a node's, or a client's, ring. */
        public static List<Integer> probePartitions(ToIntFunction<Bytes> partitionOf) {
            return PROBE_KEYS.stream().map(partitionOf::applyAsInt).toList();
        }

        public RoutingTable {
            assignment = List.copyOf(requireNonNull(assignment, "assignment is null"));
            endpoints = Map.copyOf(requireNonNull(endpoints, "endpoints is null"));
            requireNonNull(partitioner, "partitioner is null");
            probes = List.copyOf(requireNonNull(probes, "probes is null"));
            if (probes.size() != PROBE_KEYS.size()) {
                throw new InvalidArgumentException(probes.size() + " probe partitions, expected " + PROBE_KEYS.size());
            }
            if (replicas < 1 || readQuorum < 1 || readQuorum > replicas) {
                throw new InvalidArgumentException("invalid N=" + replicas + ", R=" + readQuorum);
            }
            if (!endpoints.keySet().containsAll(assignment)) {
                throw new InvalidArgumentException("an owner in the assignment has no address");
            }
        }
    }

    /**
     * {@code request} for the store {@code store}, any but the default one: requests for the
     * default store travel without this envelope, as they did before stores existed. Only the
     * requests about a store's keys may be inside ({@link #isStoreScoped}), never another envelope.
     */
    record InStore(String store, Request request) implements Request {
        /** Store names, as {@code io.dynamo.core.store.StoreDefinition#NAME_PATTERN}. */
        private static final java.util.regex.Pattern STORE_NAME = java.util.regex.Pattern.compile("[a-z0-9][a-z0-9_-]{0,62}");
        /** The store of requests without an envelope. */
        public static final String DEFAULT_STORE = "default";

        public InStore {
            checkName(store);
            requireNonNull(request, "request is null");
            if (store.equals(DEFAULT_STORE)) {
                throw new InvalidArgumentException("a request for the default store travels without a store envelope");
            }
            if (!isStoreScoped(request)) {
                throw new InvalidArgumentException(request.getClass().getSimpleName() + " is not about a store's keys:"
                        + " it may not travel in a store envelope");
            }
        }

        /** Returns {@code store}, or throws {@link InvalidArgumentException} when it is no store name. */
        public static String checkName(String store) {
            requireNonNull(store, "store is null");
            if (!STORE_NAME.matcher(store).matches()) {
                throw new InvalidArgumentException("'" + store + "' is not a store name (lowercase letters, digits,"
                        + " '_' and '-', at most 63, starting with a letter or digit)");
            }
            return store;
        }

        /** {@code request} addressed to {@code store}: itself for the default store, else in an envelope. */
        public static Request wrap(String store, Request request) {
            return store.equals(DEFAULT_STORE) ? request : new InStore(store, request);
        }

        /** Whether {@code request} is about one store's keys or partitions, and so may name its store. */
        public static boolean isStoreScoped(Request request) {
            return request instanceof ClientGet || request instanceof ClientPut || request instanceof ClientDelete
                    || request instanceof ReplicaRead || request instanceof ReplicaWrite || request instanceof HintDelivery
                    || request instanceof TreeNodes || request instanceof LeafKeys || request instanceof Reconcile
                    || request instanceof CollectTombstones || request instanceof StreamPartition
                    || request instanceof HoldsPartitions || request instanceof Repair;
        }
    }

    /** A replica's versions of a key (empty when it has none). */
    record Versions(List<Versioned> versions) implements Response {
        public Versions {
            versions = List.copyOf(requireNonNull(versions, "versions is null"));
        }
    }

    /** The answer to a {@link ClientGet}: the siblings after resolution and the merged context. */
    record ReadResult(List<Versioned> versions, VectorClock context) implements Response {
        public ReadResult {
            versions = List.copyOf(requireNonNull(versions, "versions is null"));
            requireNonNull(context, "context is null");
        }
    }

    /**
     * The answer to a {@link ClientPut} or {@link ClientDelete}: the context of the written
     * version (its clock's {@linkplain VectorClock#history() history}: what a read of it alone gives).
     */
    record Written(VectorClock clock) implements Response {
        public Written {
            requireNonNull(clock, "clock is null");
        }
    }

    /**
     * The answer to a conditional {@link ClientPut} or {@link ClientDelete} that was refused: the
     * versions the coordinator read that the write's context does not cover, and the context
     * covering them (as a {@link ReadResult} gives). Nothing was written.
     */
    record Conflict(List<Versioned> versions, VectorClock context) implements Response {
        public Conflict {
            versions = List.copyOf(requireNonNull(versions, "versions is null"));
            requireNonNull(context, "context is null");
        }
    }

    /** A request done, nothing to say: replica writes, hint deliveries, pings. */
    record Ack() implements Response {}

    /**
     * A failed request. For {@link ErrorCode#QUORUM} and {@link ErrorCode#PRIMARY_QUORUM}, {@code operation}, {@code required},
     * {@code answered} and {@code asked} carry the counts; otherwise they are empty and zero.
     */
    record Error(ErrorCode code, String message, String operation, int required, int answered, int asked)
            implements Response {
        public Error {
            requireNonNull(code, "code is null");
            requireNonNull(message, "message is null");
            requireNonNull(operation, "operation is null");
            if (required < 0 || answered < 0 || asked < 0) {
                throw new InvalidArgumentException("negative quorum counts");
            }
        }

        /** The response that reports {@code failure} to the requester. */
        public static Error of(Throwable failure) {
            if (failure instanceof PrimaryQuorumException q) {
                return new Error(ErrorCode.PRIMARY_QUORUM, q.getMessage(), q.operation(), q.required(), q.answered(),
                        q.asked());
            }
            if (failure instanceof QuorumException q) {
                return new Error(ErrorCode.QUORUM, q.getMessage(), q.operation(), q.required(), q.answered(), q.asked());
            }
            ErrorCode code;
            if (failure instanceof RequestTimeoutException) {
                code = ErrorCode.TIMEOUT;
            } else if (failure instanceof io.dynamo.api.UnknownStoreException) {
                code = ErrorCode.UNKNOWN_STORE;
            } else if (failure instanceof MalformedDataException) {
                code = ErrorCode.MALFORMED;
            } else if (failure instanceof InvalidArgumentException) {
                code = ErrorCode.INVALID_ARGUMENT;
            } else if (failure instanceof UnavailableException) {
                code = ErrorCode.UNAVAILABLE;
            } else if (failure instanceof ForbiddenException) {
                code = ErrorCode.FORBIDDEN;
            } else {
                code = ErrorCode.INTERNAL;
            }
            String message = failure.getMessage() == null ? failure.getClass().getSimpleName() : failure.getMessage();
            return new Error(code, message, "", 0, 0, 0);
        }

        /** The exception the requester throws for this response. */
        public DynamoException toException() {
            return switch (code) {
                case QUORUM -> new QuorumException(message, operation, required, answered, asked);
                case PRIMARY_QUORUM -> new PrimaryQuorumException(message, operation, required, answered, asked);
                case TIMEOUT -> new RequestTimeoutException(message);
                case INVALID_ARGUMENT -> new InvalidArgumentException(message);
                case UNAVAILABLE -> new UnavailableException(message);
                case MALFORMED -> new MalformedDataException(message);
                case FORBIDDEN -> new ForbiddenException(message);
                case UNKNOWN_STORE -> new io.dynamo.api.UnknownStoreException(message);
                case INTERNAL -> new DynamoException("the node failed the request: " + message);
            };
        }
    }

    private static void checkPartition(int partition) {
        if (partition < 0) {
            throw new InvalidArgumentException("partition must not be negative: " + partition);
        }
    }

    private static void checkTreeLevel(int partition, int depth, int level) {
        checkPartition(partition);
        if (depth < 1 || depth > MAX_TREE_DEPTH) {
            throw new InvalidArgumentException("tree depth must be in [1, " + MAX_TREE_DEPTH + "]: " + depth);
        }
        if (level < 0 || level > depth) {
            throw new InvalidArgumentException("level " + level + " outside [0, " + depth + "]");
        }
    }

    private static void checkQuorum(int quorum) {
        if (quorum < 0 || quorum > MAX_QUORUM) {
            throw new InvalidArgumentException("quorum must be in [0, " + MAX_QUORUM + "]: " + quorum);
        }
    }

    private static void checkTimeout(long timeoutMillis) {
        if (timeoutMillis < 0) {
            throw new InvalidArgumentException("timeout must not be negative: " + timeoutMillis);
        }
    }

    private static void checkDeadline(long deadlineMillis) {
        if (deadlineMillis < 0) {
            throw new InvalidArgumentException("deadline must not be negative: " + deadlineMillis);
        }
    }

    private static void checkNodeId(String nodeId) {
        if (nodeId == null || nodeId.isEmpty() || nodeId.length() > VectorClock.MAX_NODE_ID_LENGTH) {
            throw new InvalidArgumentException("node id must have 1 to " + VectorClock.MAX_NODE_ID_LENGTH
                    + " characters: " + nodeId);
        }
    }
}
