package io.dynamo.core.membership;

import static java.util.Objects.requireNonNull;

import io.dynamo.api.DynamoException;
import io.dynamo.api.InvalidArgumentException;
import io.dynamo.api.UnavailableException;
import io.dynamo.core.coordination.ClusterView;
import io.dynamo.core.coordination.FailureDetector;
import io.dynamo.core.coordination.RealTimeScheduler;
import io.dynamo.core.coordination.ReplicaClient;
import io.dynamo.core.coordination.ReplicaStore;
import io.dynamo.core.coordination.Scheduler;
import io.dynamo.core.messages.Message;
import io.dynamo.core.messages.MessageCodec;
import io.dynamo.core.ring.Ring;
import io.dynamo.core.store.CatalogEntry;
import io.dynamo.core.store.StoreCatalog;
import io.dynamo.core.store.StoreHooks;
import io.dynamo.spi.partition.Partitioner;
import io.dynamo.spi.transport.Endpoint;
import io.dynamo.spi.transport.Transport;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.SplittableRandom;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A node's membership: gossip, failure detection input, and the ring changes of join and
 * decommission with their partition streams.
 *
 * <p><b>Gossip.</b> Every {@code gossip-interval} the node raises its own heartbeat (the
 * version of its {@link MemberInfo}) and exchanges its whole {@link GossipState} with one peer
 * picked at random among the seeds and the members it knows (push-pull: the peer merges and
 * answers with its merged state, which this node merges). A member entry is only ever written
 * by its member; the newer entry wins (generation, then version), and the newer
 * {@link RingState} wins (version, then a deterministic order), so every node converges to the
 * same state. Each newer heartbeat feeds the {@link PhiAccrualFailureDetector}; a peer that
 * comes back up triggers {@code onPeerUp} (hinted handoff delivers at once).
 *
 * <p><b>Ring changes.</b> A joining node, once it knows the ring, proposes the next ring state:
 * the current assignment with a target of {@code Ring.withMember(self)}; {@link #decommission}
 * proposes {@code Ring.withoutMember(node)}. Only one change runs at a time (a proposal needs a
 * settled ring). While the ring moves, every node whose replica sets grow (the nodes that
 * {@link ClusterView#pendingReplicas} names) waits {@code settle-delay}, then pulls those
 * partitions from their current replicas ({@link PartitionMover}) and gossips its progress;
 * coordinators send writes to the current and the pending replicas and read from the current
 * ones. When every such node reports its partitions complete, any node that sees it settles the
 * ring (version + 1, current = target); the settled state is the same wherever it is made, and
 * gossip spreads it.
 *
 * <p><b>Dropping old copies.</b> A change settles only once every new replica has reported all
 * its partitions stored. {@code settle-delay} after a node sees a settled ring (so that every
 * coordinator stopped reading from it and writing to it as a replica), it drops every data
 * partition it holds but does not replicate in that ring; it also checks on start.
 *
 * <p><b>Store catalog.</b> The gossip state carries the {@link StoreCatalog}: {@link #createStore}
 * and {@link #dropStore} change it here, gossip spreads it, and a gossiped entry is taken only if
 * it wins over this node's and its settings pass the {@link StoreHooks#check()}. Each change is
 * saved with the ring, then told to the {@link StoreHooks#lifecycle()} (see
 * {@link io.dynamo.core.store.StoreLifecycle} for the order of the calls).
 *
 * <p>The ring state and the stream progress are kept in the storage engine ({@link MoveLog}),
 * so a restarted node resumes from them. Thread-safe; gossip runs on the node's
 * {@link Scheduler}, stream scans and partition drops on the executor given.
 */
public final class Membership implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(Membership.class);
    /** The most keys one stream batch may ask for. */
    static final int MAX_BATCH_KEYS = 10_000;

    /**
     * How a node takes part in membership.
     *
     * @param settings the {@code membership.*} settings
     * @param seeds where to gossip before other members are known (this node's own endpoint is skipped)
     * @param founding the ring of the founding members ({@code cluster.members}), for a node of
     *     the initial cluster; empty for a node that joins a running cluster
     * @param join whether this node should ask to join the ring when it is not a member
     * @param partitioner the cluster's partitioner
     * @param standby for a joining node: wait, joining but outside the ring, until an operator
     *     makes it replace a member ({@link #replace}) instead of proposing its own join
     * @param stores how the node checks the store catalog's entries and opens and drops its stores
     */
    public record Options(MembershipSettings settings, List<Endpoint> seeds, Optional<ClusterView> founding, boolean join,
            Partitioner partitioner, boolean standby, StoreHooks stores) {
        /** Options of a node that is not a standby. */
        public Options(MembershipSettings settings, List<Endpoint> seeds, Optional<ClusterView> founding, boolean join,
                Partitioner partitioner) {
            this(settings, seeds, founding, join, partitioner, false);
        }

        /** Options with the default store hooks ({@link StoreHooks#DEFAULT}). */
        public Options(MembershipSettings settings, List<Endpoint> seeds, Optional<ClusterView> founding, boolean join,
                Partitioner partitioner, boolean standby) {
            this(settings, seeds, founding, join, partitioner, standby, StoreHooks.DEFAULT);
        }

        /** These options with {@code hooks} for the store catalog. */
        public Options withStores(StoreHooks hooks) {
            return new Options(settings, seeds, founding, join, partitioner, standby, hooks);
        }

        public Options {
            requireNonNull(stores, "stores is null");
            if (standby && !join) {
                throw new InvalidArgumentException("a standby node must be a joining node");
            }
            requireNonNull(settings, "settings is null");
            seeds = List.copyOf(requireNonNull(seeds, "seeds is null"));
            requireNonNull(founding, "founding is null");
            requireNonNull(partitioner, "partitioner is null");
            if (founding.isEmpty() && seeds.isEmpty()) {
                throw new InvalidArgumentException("a node with no founding ring needs at least one seed to join");
            }
        }
    }

    /**
     * One store as membership sees it: its replicas, its N (its preference lists may be shorter or
     * longer than another store's on the same ring) and the client that sends its requests.
     */
    public record StoreReplicas(String name, ReplicaStore store, int replicas, ReplicaClient peers) {
        public StoreReplicas {
            requireNonNull(name, "name is null");
            requireNonNull(store, "store is null");
            requireNonNull(peers, "peers is null");
            if (replicas < 1) {
                throw new InvalidArgumentException("replicas must be at least 1: " + replicas);
            }
        }
    }

    private final String self;
    /**
     * Every store, the default first (it keeps the move log); stores opened and dropped at run time
     * ({@link #addStore}, {@link #removeStore}) come and go, so every loop reads one snapshot.
     */
    private final List<StoreReplicas> stores;
    private final Options options;
    private final MembershipSettings settings;
    private final Transport transport;
    private final MoveLog moveLog;
    private final FailureDetector detector;
    private final Scheduler scheduler;
    private final Runnable onPeerUp;
    private final Executor executor;
    private final Map<String, StreamSource> streamSources = new java.util.concurrent.ConcurrentHashMap<>();
    private final Map<String, Endpoint> foundingEndpoints;
    private final SplittableRandom random;
    private final RingTransitions transitions;

    private MemberInfo me; // guarded by this
    private GossipState state; // guarded by this
    private long movingSeenAt = -1; // guarded by this: when this node first saw the current change
    private long movingSeenVersion; // guarded by this
    private PartitionMover mover; // guarded by this
    private Scheduler.Cancellable next; // guarded by this
    private boolean closed; // guarded by this
    private RingState viewOf; // guarded by this: the ring state the published view shows
    private RingState lastRefused; // guarded by this: the last gossiped ring refused, logged once
    private final Map<String, Set<Integer>> held = new HashMap<>(); // guarded by this: data partitions held whole, per store
    private long unconfirmedLoggedFor = -1; // guarded by this: the ring version whose unconfirmed drops were logged
    private final Map<String, Boolean> seenUp = new HashMap<>(); // guarded by this: the detector's last verdict per peer
    private volatile ClusterView view;
    private final StoreHooks storeHooks;
    /** Orders the saving of catalog changes and the lifecycle calls they make; taken before the monitor, never inside it. */
    private final Object storesLock = new Object();
    /** Makes each save write the newest state, so a ring change and a catalog change saved at once never undo each other. */
    private final Object saveLock = new Object();
    private StoreCatalog told; // guarded by storesLock: the catalog the lifecycle was last told of, null before the first time
    private final Set<CatalogEntry> refusedStores = new java.util.HashSet<>(); // guarded by this: logged once each

    /** Membership of a node with one store, the default one, of N {@code replicas}. */
    public Membership(String self, Endpoint endpoint, int replicas, Options options, Transport transport,
            ReplicaClient peers, ReplicaStore store, FailureDetector detector, Scheduler scheduler, Runnable onPeerUp,
            Executor executor) {
        this(self, endpoint, options, transport, List.of(new StoreReplicas("default", store, replicas, peers)),
                detector, scheduler, onPeerUp, executor);
    }

    /**
     * Membership of a node with {@code stores}, the default one first: each store's partitions
     * move, stream and are dropped by its own N; the ring state and the move log are kept in the
     * default store's engine.
     */
    public Membership(String self, Endpoint endpoint, Options options, Transport transport, List<StoreReplicas> stores, FailureDetector detector, Scheduler scheduler, Runnable onPeerUp,
            Executor executor) {
        this.self = requireNonNull(self, "self is null");
        this.stores = new java.util.concurrent.CopyOnWriteArrayList<>(List.copyOf(stores));
        if (this.stores.isEmpty()) {
            throw new InvalidArgumentException("a node has at least its default store");
        }
        ReplicaStore store = this.stores.get(0).store();
        this.options = requireNonNull(options, "options is null");
        this.settings = options.settings();
        this.storeHooks = options.stores();
        this.transport = requireNonNull(transport, "transport is null");
        this.moveLog = new MoveLog(store.engine());
        this.detector = requireNonNull(detector, "detector is null");
        this.scheduler = requireNonNull(scheduler, "scheduler is null");
        this.onPeerUp = requireNonNull(onPeerUp, "onPeerUp is null");
        this.executor = requireNonNull(executor, "executor is null");
        this.stores.forEach(s -> streamSources.put(s.name(), new StreamSource(s.store().quarantine(),
                scheduler::monotonicMillis)));
        this.foundingEndpoints = options.founding().map(ClusterView::endpoints).orElse(Map.of());
        long generation = scheduler.currentTimeMillis();
        this.random = new SplittableRandom(self.hashCode() * 31L + generation);
        this.transitions = new RingTransitions(options.partitioner());
        RingState ring = options.founding().map(v -> RingState.settled(1, v.ring().assignment())).orElse(RingState.UNKNOWN);
        Map<String, MemberInfo> known = new TreeMap<>();
        Optional<GossipState> saved = moveLog.state();
        StoreCatalog catalog = saved.map(GossipState::stores).orElse(StoreCatalog.EMPTY);
        if (saved.isPresent()) {
            known.putAll(saved.get().members());
            known.remove(self);
            if (saved.get().ring().newerThan(ring)) {
                ring = saved.get().ring();
            }
        }
        MemberState initial = ring.known() && Ring.fromAssignment(ring.current(), options.partitioner()).isMember(self)
                ? MemberState.UP : MemberState.JOINING;
        this.me = new MemberInfo(self, endpoint, generation, 1, initial, MoveProgress.NONE);
        known.put(self, me);
        this.state = new GossipState(known, ring, catalog);
        RingState startRing = ring;
        for (StoreReplicas each : this.stores) {
            Optional<Set<Integer>> savedHeld = moveLog.held(each.name());
            // before this was recorded (or on a new node, or a new store) a node held what its ring gave it
            Set<Integer> storeHeld = new TreeSet<>(savedHeld.orElseGet(() -> startRing.known()
                    ? replicated(each, ring(startRing.current())) : Set.of()));
            held.put(each.name(), storeHeld);
            if (savedHeld.isEmpty()) {
                moveLog.saveHeld(each.name(), storeHeld);
            }
        }
        if (ring.moving()) {
            // a move this node saw before a restart has settled already: resume at once
            movingSeenVersion = ring.version();
            movingSeenAt = generation - settings.settleDelay().toMillis();
        }
        publishView();
    }

    /** Starts gossiping (and joining, or resuming a move); drops what a settled ring no longer gives this node. */
    public void start() {
        synchronized (this) {
            if (!closed && next == null) {
                next = scheduler.schedule(java.time.Duration.ZERO, this::tick);
                if (state.ring().known() && !state.ring().moving()) {
                    scheduleDrop(state.ring().version()); // a crash may have come between a settling and its drop
                }
            }
        }
        storesChanged(false); // outside the monitor: the stores lock comes first
    }

    /** The view coordinators use; throws {@link UnavailableException} before this node knows a ring. */
    public ClusterView view() {
        ClusterView current = view;
        if (current == null) {
            throw new UnavailableException(self + " does not know the ring yet: it is joining through " + options.seeds());
        }
        return current;
    }

    /** Whether this node knows a ring (a joining node does once a seed answered). */
    public boolean hasView() {
        return view != null;
    }

    /** What this node knows now. */
    public synchronized GossipState state() {
        return state;
    }

    /** This node's own entry. */
    public synchronized MemberInfo self() {
        return me;
    }

    /**
     * Starts decommissioning {@code nodeId}: proposes the ring without it. Fails while another
     * change runs, for a node that is not a member, or for the last member.
     */
    public void decommission(String nodeId) {
        synchronized (this) {
            RingState ring = state.ring();
            if (!ring.known()) {
                throw new UnavailableException(self + " does not know the ring yet");
            }
            if (ring.moving()) {
                throw new InvalidArgumentException("a membership change is in progress (ring version " + ring.version()
                        + "); decommission " + nodeId + " once it completes");
            }
            Ring current = ring(ring.current());
            Ring target = current.withoutMember(nodeId); // names the members when nodeId is not one
            log.info("{}: decommissioning {}: ring version {} moves to {}", self, nodeId, ring.version() + 1, target);
            state = state.withRing(new RingState(ring.version() + 1, ring.current(), target.assignment()));
        }
        ringChanged();
        drive();
    }

    /**
     * Removes {@code nodeId}, a member that will never return, from the ring: proposes the ring
     * without it, the ring change a decommission proposes, and the nodes that take its
     * partitions stream them from the surviving replicas. Refused while the failure detector
     * sees {@code nodeId} up (decommission a live node, so that it hands its data over itself),
     * for this node itself, while another change runs, and for a node that is not a member.
     */
    public void forceRemove(String nodeId) {
        synchronized (this) {
            RingState ring = settledRing("remove " + nodeId);
            Ring current = ring(ring.current());
            if (nodeId.equals(self)) {
                throw new InvalidArgumentException(self + " cannot remove itself; ask another member");
            }
            if (current.isMember(nodeId) && detector.isAvailable(nodeId)) {
                throw new InvalidArgumentException(nodeId + " is up (it answers gossip): decommission it instead, or"
                        + " stop it and remove it once the failure detector marks it down");
            }
            Ring target = current.withoutMember(nodeId); // names the members when nodeId is not one
            log.info("{}: removing {}, which is down, by force: ring version {} moves to {}; its partitions stream from"
                    + " their surviving replicas", self, nodeId, ring.version() + 1, target);
            state = state.withRing(new RingState(ring.version() + 1, ring.current(), target.assignment()));
        }
        ringChanged();
        drive();
    }

    /**
     * Gives every partition of {@code dead}, a member whose data is gone, to {@code replacement},
     * a node known by gossip that is joining and not yet a member (a standby): proposes
     * {@link Ring#withReplacement}; the replacement then streams those partitions from their
     * other replicas. Refused while the failure detector sees {@code dead} up, while another
     * change runs, for a replacement that is unknown, not joining or already a member.
     */
    public void replace(String dead, String replacement) {
        synchronized (this) {
            RingState ring = settledRing("replace " + dead);
            Ring current = ring(ring.current());
            if (!current.isMember(dead)) {
                throw new InvalidArgumentException(dead + " is not a member of the ring; members: " + current.members());
            }
            if (dead.equals(self) || detector.isAvailable(dead)) {
                throw new InvalidArgumentException(dead + " is up (it answers gossip): only a node that is down can be"
                        + " replaced; decommission it instead");
            }
            MemberInfo info = state.members().get(replacement);
            if (info == null || info.state() != MemberState.JOINING || current.isMember(replacement)) {
                throw new InvalidArgumentException(replacement + " is not a joining node outside the ring"
                        + (info == null ? " (no member of that id is known by gossip: start it with `dynamo join --standby`)"
                                : " (it is " + info.state().name().toLowerCase(java.util.Locale.ROOT) + ")"));
            }
            Ring target = current.withReplacement(dead, replacement);
            log.info("{}: replacing {}, which is down, with {}: ring version {} moves to {}", self, dead, replacement,
                    ring.version() + 1, target);
            state = state.withRing(new RingState(ring.version() + 1, ring.current(), target.assignment()));
        }
        ringChanged();
        drive();
    }

    /** The ring, which must be known and settled for {@code change} to be proposed. Under the monitor. */
    private RingState settledRing(String change) {
        RingState ring = state.ring();
        if (!ring.known()) {
            throw new UnavailableException(self + " does not know the ring yet");
        }
        if (ring.moving()) {
            throw new InvalidArgumentException("a membership change is in progress (ring version " + ring.version()
                    + "); " + change + " once it completes");
        }
        return ring;
    }

    /** Answers a peer's gossip: merges it and returns this node's state. */
    public Message.GossipAck onGossip(Message.Gossip gossip) {
        absorb(gossip.state());
        return new Message.GossipAck(state());
    }

    /**
     * Serves a stream request on the executor (it may scan the partition): the first
     * {@code maxKeys} keys of the partition after the given key, in key order, with their
     * versions (see {@link StreamSource}).
     */
    public CompletableFuture<Message.StreamBatch> onStream(String store, Message.StreamPartition request) {
        int max = Math.min(request.maxKeys(), MAX_BATCH_KEYS);
        StreamSource source = sourceOf(store);
        return CompletableFuture.supplyAsync(() -> source.serve(request.partition(), request.after(), max), executor);
    }

    /** The default store's {@link #onStream(String, Message.StreamPartition)}. */
    public CompletableFuture<Message.StreamBatch> onStream(Message.StreamPartition request) {
        return onStream(stores.get(0).name(), request);
    }

    private StreamSource sourceOf(String store) {
        StreamSource source = streamSources.get(store);
        if (source == null) {
            throw new InvalidArgumentException("no store '" + store + "' on " + self);
        }
        return source;
    }

    /** Partition scans made to serve streams since start (one per partition streamed, not per batch). */
    long streamScans() {
        return streamSources.values().stream().mapToLong(StreamSource::scans).sum();
    }

    /**
     * Adds {@code store}, opened at run time (a store of the catalog): from now on its partitions
     * move, stream and are dropped like every other store's. The partitions it holds whole are
     * those saved for it, else, on a member of a known ring, what the ring gives this node (a new
     * store is empty everywhere), else none (a joining node receives them by its move). A move in
     * progress starts again with the store's pulls (streams resume where they were). Refused for
     * a name it has.
     */
    public void addStore(StoreReplicas store) {
        requireNonNull(store, "store is null");
        Set<Integer> storeHeld;
        synchronized (this) {
            if (streamSources.containsKey(store.name())) {
                throw new InvalidArgumentException("store " + store.name() + " is open on " + self + " already");
            }
            RingState ring = state.ring();
            Optional<Set<Integer>> saved = moveLog.held(store.name());
            storeHeld = new TreeSet<>(saved.orElseGet(() -> ring.known() && ring(ring.current()).isMember(self)
                    ? replicated(store, ring(ring.current())) : Set.of()));
            held.put(store.name(), storeHeld);
            streamSources.put(store.name(), new StreamSource(store.store().quarantine(), scheduler::monotonicMillis));
            stores.add(store);
            if (ring.moving()) {
                stopMover(); // drive() starts one again, with this store's pulls
            }
            storeHeld = Set.copyOf(storeHeld);
        }
        moveLog.saveHeld(store.name(), storeHeld);
        drive();
    }

    /**
     * Removes store {@code name} (dropped at run time): no more moves, streams or drops of its
     * partitions, and what it held is forgotten. Does nothing for a store it does not have;
     * refused for the default store.
     */
    public void removeStore(String name) {
        if (stores.get(0).name().equals(name)) {
            throw new InvalidArgumentException("the default store cannot be removed");
        }
        boolean removed;
        synchronized (this) {
            removed = stores.removeIf(s -> s.name().equals(name));
            streamSources.remove(name);
            held.remove(name);
            if (removed && state.ring().moving()) {
                stopMover(); // drive() starts one again, without this store's pulls
            }
        }
        if (removed) {
            moveLog.forgetHeld(name);
            drive();
        }
    }

    private void tick() {
        Message.Gossip gossip;
        Endpoint peer;
        synchronized (this) {
            if (closed) {
                return;
            }
            me = me.next(me.state(), me.progress());
            state = state.merge(new GossipState(Map.of(self, me), state.ring()));
            gossip = new Message.Gossip(state);
            peer = pickPeer();
        }
        if (peer != null) {
            exchange(peer, gossip);
        }
        logAvailabilityChanges();
        try {
            drive();
        } catch (RuntimeException e) {
            log.warn("{}: membership step failed", self, e);
        }
        synchronized (this) {
            if (!closed) {
                next = scheduler.schedule(settings.gossipInterval(), this::tick);
            }
        }
    }

    private void exchange(Endpoint peer, Message.Gossip gossip) {
        CompletableFuture<byte[]> answer;
        try {
            answer = transport.request(peer, MessageCodec.encode(gossip), settings.timeout());
        } catch (RuntimeException e) {
            answer = CompletableFuture.failedFuture(e);
        }
        answer.whenComplete((bytes, failure) -> {
            if (failure != null) {
                log.debug("{}: gossip with {} failed: {}", self, peer, RealTimeScheduler.unwrap(failure).getMessage());
                return;
            }
            try {
                if (MessageCodec.decode(bytes) instanceof Message.GossipAck ack) {
                    absorb(ack.state());
                }
            } catch (DynamoException e) {
                log.debug("{}: bad gossip answer from {}: {}", self, peer, e.getMessage());
            }
        });
    }

    /**
     * One INFO line each time the failure detector's verdict on a member changes (down, or up
     * again), checked every gossip round and on every newer heartbeat. A member never heard of
     * counts as up, so a start logs nothing.
     */
    private void logAvailabilityChanges() {
        List<String> changes = new ArrayList<>();
        synchronized (this) {
            for (MemberInfo member : state.members().values()) {
                String id = member.id();
                if (id.equals(self) || member.state() == MemberState.LEFT) {
                    continue;
                }
                boolean up = detector.isAvailable(id);
                Boolean before = seenUp.put(id, up);
                if (before != null && before != up) {
                    changes.add(id);
                }
            }
        }
        for (String id : changes) {
            boolean up = detector.isAvailable(id);
            if (detector instanceof PhiAccrualFailureDetector phi) {
                long last = phi.lastHeartbeatMillis(id);
                log.info("{}: {} is {} (failure detector: phi {} against threshold {}, {})", self, id,
                        up ? "up again" : "down", String.format(java.util.Locale.ROOT, "%.1f", phi.phi(id)),
                        phi.threshold(), last < 0 ? "no heartbeat yet"
                                : "last heartbeat " + (scheduler.monotonicMillis() - last) + " ms ago");
            } else {
                log.info("{}: {} is {} (failure detector)", self, id, up ? "up again" : "down");
            }
        }
    }

    /** A random peer among the seeds and the known members that have not left, never this node. */
    private Endpoint pickPeer() {
        Map<String, Endpoint> candidates = new TreeMap<>();
        for (Endpoint seed : options.seeds()) {
            candidates.put(seed.address(), seed);
        }
        for (MemberInfo member : state.members().values()) {
            if (!member.id().equals(self) && member.state() != MemberState.LEFT) {
                candidates.put(member.endpoint().address(), member.endpoint());
            }
        }
        candidates.remove(me.endpoint().address());
        if (candidates.isEmpty()) {
            return null;
        }
        List<Endpoint> list = new ArrayList<>(candidates.values());
        return list.get(random.nextInt(list.size()));
    }

    /** Merges a received state; feeds the detector with the heartbeats that were newer. */
    private void absorb(GossipState incoming) {
        List<String> heard = new ArrayList<>();
        boolean ringChanged;
        boolean storesChanged;
        synchronized (this) {
            if (closed) {
                return;
            }
            MemberInfo echo = incoming.members().get(self);
            if (echo != null && echo.newerThan(me)) {
                // an entry of ours from an incarnation that looks newer (a clock that went back):
                // continue above it so that peers take what this node says now
                me = new MemberInfo(self, me.endpoint(), echo.generation(), echo.version() + 1, me.state(), me.progress());
            }
            Map<String, MemberInfo> merged = new TreeMap<>(state.members());
            for (MemberInfo info : incoming.members().values()) {
                if (info.id().equals(self)) {
                    continue;
                }
                MemberInfo mine = merged.get(info.id());
                if (mine == null || info.newerThan(mine)) {
                    merged.put(info.id(), info);
                    heard.add(info.id());
                }
            }
            merged.put(self, me);
            ringChanged = incoming.ring().newerThan(state.ring()) && accepted(incoming.ring(), merged);
            StoreCatalog stores = absorbedStores(incoming.stores());
            storesChanged = !stores.equals(state.stores());
            state = new GossipState(merged, ringChanged ? incoming.ring() : state.ring(), stores);
        }
        if (detector instanceof PhiAccrualFailureDetector phi) {
            boolean cameUp = false;
            for (String id : heard) {
                boolean wasUp = phi.isAvailable(id);
                phi.heartbeat(id);
                cameUp |= !wasUp;
            }
            if (cameUp) {
                logAvailabilityChanges();
                onPeerUp.run();
            }
        }
        if (ringChanged) {
            ringChanged();
        }
        if (storesChanged) {
            storesChanged(!ringChanged);
        }
        if (!heard.isEmpty() || ringChanged) {
            drive();
        }
    }

    /**
     * The catalog after taking {@code incoming}: of its entries that would win over this node's,
     * those that pass the store settings check (a tombstone needs none: it only ends a store).
     * An entry refused is logged once; a catalog that would outgrow {@link StoreCatalog#MAX_ENTRIES}
     * is refused whole. Under the monitor.
     */
    private StoreCatalog absorbedStores(StoreCatalog incoming) {
        StoreCatalog mine = state.stores();
        List<CatalogEntry> taken = new ArrayList<>();
        for (CatalogEntry entry : incoming.entries().values()) {
            CatalogEntry current = mine.entries().get(entry.name());
            if (current != null && !entry.winsOver(current)) {
                continue;
            }
            if (!entry.dropped()) {
                try {
                    storeHooks.check().check(entry.name(), entry.settings());
                } catch (RuntimeException e) {
                    refusedStore(entry, e.getMessage());
                    continue;
                }
            }
            taken.add(entry);
        }
        if (taken.isEmpty()) {
            return mine;
        }
        try {
            return mine.merge(StoreCatalog.of(taken));
        } catch (InvalidArgumentException e) {
            taken.forEach(entry -> refusedStore(entry, e.getMessage()));
            return mine;
        }
    }

    /** Logs a refused catalog entry once. Under the monitor. */
    private void refusedStore(CatalogEntry entry, String why) {
        if (refusedStores.size() >= StoreCatalog.MAX_ENTRIES) {
            refusedStores.clear(); // bounded: a flood of forged entries logs again rather than filling memory
        }
        if (refusedStores.add(entry)) {
            log.warn("{}: refused gossiped store {} (version {} from {}): {}", self, entry.name(), entry.version(),
                    entry.origin(), why);
        }
    }

    /**
     * Creates store {@code name} with {@code settings} in the catalog, which gossip then spreads:
     * refused (naming the reason or the key) for {@code default}, a live store, settings the
     * check refuses, or beyond {@link StoreCatalog#MAX_STORES}. Returns the new entry once it is
     * saved and this node's store is open.
     */
    public CatalogEntry createStore(String name, Map<String, String> settings) {
        CatalogEntry created;
        synchronized (this) {
            StoreCatalog next = state.stores().create(name, settings, self);
            storeHooks.check().check(name, settings);
            state = state.withStores(next);
            created = next.entry(name).orElseThrow();
        }
        log.info("{}: created store {} (version {}) with {}", self, name, created.version(), created.settings());
        storesChanged(true);
        return created;
    }

    /**
     * Drops store {@code name}: its tombstone spreads by gossip, and every node that opened it
     * drops it and its data. Refused for {@code default} and for a name that is not a live store.
     */
    public CatalogEntry dropStore(String name) {
        CatalogEntry tombstone;
        synchronized (this) {
            StoreCatalog next = state.stores().drop(name, self);
            state = state.withStores(next);
            tombstone = next.entry(name).orElseThrow();
        }
        log.info("{}: dropped store {} (version {})", self, name, tombstone.version());
        storesChanged(true);
        return tombstone;
    }

    /** The store catalog this node knows now. */
    public synchronized StoreCatalog stores() {
        return state.stores();
    }

    /**
     * Saves the catalog (with the rest of the state, when {@code save}), then tells the lifecycle
     * what changed since it was last told: one caller at a time, always up to the newest catalog,
     * so the calls follow the order of the changes. The first time (at start) it opens every live
     * store and drops every dropped one.
     */
    private void storesChanged(boolean save) {
        synchronized (storesLock) {
            StoreCatalog now;
            synchronized (this) {
                if (closed) {
                    return;
                }
                now = state.stores();
            }
            if (save) {
                save();
            }
            for (CatalogEntry entry : now.entries().values()) {
                CatalogEntry before = told == null ? null : told.entries().get(entry.name());
                if (entry.equals(before)) {
                    continue;
                }
                if (told == null ? entry.dropped() : before != null && !before.dropped()) {
                    log.info("{}: dropping store {} and its data", self, entry.name());
                    tell(() -> storeHooks.lifecycle().drop(entry.name()), entry);
                }
                if (!entry.dropped()) {
                    log.info("{}: opening store {} (version {} by {}): {}", self, entry.name(), entry.version(),
                            entry.origin(), entry.settings());
                    tell(() -> storeHooks.lifecycle().open(entry), entry);
                }
            }
            told = now;
        }
    }

    private void tell(Runnable call, CatalogEntry entry) {
        try {
            call.run();
        } catch (RuntimeException e) {
            log.error("{}: store {} (version {}) failed to {}; the catalog keeps it as it is", self, entry.name(),
                    entry.version(), entry.dropped() ? "drop" : "open", e);
        }
    }

    /** Whether a newer ring state follows from this node's by the documented steps; logs a refusal once. Under the monitor. */
    private boolean accepted(RingState incoming, Map<String, MemberInfo> members) {
        Optional<String> refusal = transitions.refusal(state.ring(), incoming, members);
        if (refusal.isEmpty()) {
            return true;
        }
        if (!incoming.equals(lastRefused)) {
            lastRefused = incoming;
            log.warn("{}: refused gossiped ring version {}{} with members {}: {}; keeping ring version {}", self,
                    incoming.version(), incoming.moving() ? " (moving)" : "", members(incoming), refusal.get(),
                    state.ring().version());
        }
        return false;
    }

    private static Set<String> members(RingState ring) {
        Set<String> ids = new TreeSet<>(ring.current());
        ids.addAll(ring.target());
        return ids;
    }

    /** Persists the ring state and publishes the view it gives. */
    private void ringChanged() {
        RingState ring = save().ring();
        streamSources.values().forEach(StreamSource::clear);
        if (!ring.moving()) {
            recordReceived(ring);
            moveLog.clearMoves();
            scheduleDrop(ring.version());
        }
        publishView();
    }

    /** Saves the newest state (ring, members, catalog) and returns it. Takes the monitor: never call under it. */
    private GossipState save() {
        synchronized (saveLock) {
            GossipState saved = state();
            moveLog.saveState(saved);
            return saved;
        }
    }

    /** After {@code settle-delay}, drops the partitions that settled ring {@code version} no longer gives this node. */
    private void scheduleDrop(long version) {
        scheduler.schedule(settings.settleDelay(), () -> executor.execute(() -> dropUnreplicated(version)));
    }

    /**
     * Adds to the partitions held whole those of settled ring {@code ring} that this node finished
     * receiving in the change that led to it (its move log, before it is cleared).
     */
    private void recordReceived(RingState ring) {
        for (StoreReplicas each : stores) {
            Set<Integer> copy = null;
            synchronized (this) {
                Set<Integer> storeHeld = held.get(each.name());
                if (storeHeld == null) {
                    continue; // removed meanwhile
                }
                for (int partition : replicated(each, ring(ring.current()))) {
                    if (!storeHeld.contains(partition)
                            && moveLog.progress(each.name(), ring.version() - 1, partition).done()) {
                        storeHeld.add(partition);
                    }
                }
                copy = Set.copyOf(storeHeld);
            }
            if (copy != null) {
                moveLog.saveHeld(each.name(), copy);
            }
        }
    }

    /** The data partitions this node replicates of {@code store} in {@code ring}. */
    private Set<Integer> replicated(StoreReplicas store, Ring ring) {
        int n = Math.min(store.replicas(), ring.members().size());
        Set<Integer> partitions = new TreeSet<>();
        for (int p = 0; p < ring.partitionCount(); p++) {
            if (ring.preferenceList(p, n).contains(self)) {
                partitions.add(p);
            }
        }
        return partitions;
    }

    /** Answers which of the partitions asked for this node holds whole. */
    public synchronized Message.HeldPartitions onHolds(String store, Message.HoldsPartitions request) {
        sourceOf(store); // names an unknown store
        Set<Integer> storeHeld = held.getOrDefault(store, Set.of());
        return new Message.HeldPartitions(request.partitions().stream().filter(storeHeld::contains).distinct().toList());
    }

    /** The default store's {@link #onHolds(String, Message.HoldsPartitions)}. */
    public Message.HeldPartitions onHolds(Message.HoldsPartitions request) {
        return onHolds(stores.get(0).name(), request);
    }

    /**
     * Drops every data partition this node holds but does not replicate, if ring {@code version}
     * is still the settled ring and every new replica of the partition confirms, when asked now,
     * that it holds the partition whole. A ring settles only after every new replica received its
     * partitions, and {@code settle-delay} has passed since; the confirmation makes a node that
     * was handed a ring it should not have taken (or a replica that lost its data) keep its copy.
     * What is not confirmed is checked again a {@code settle-delay} later.
     */
    private void dropUnreplicated(long version) {
        for (StoreReplicas store : stores) {
            dropUnreplicated(store, version);
        }
    }

    private void dropUnreplicated(StoreReplicas store, long version) {
        Ring current;
        synchronized (this) {
            if (closed || !settledAt(version) || !stores.contains(store)) {
                return;
            }
            current = ring(state.ring().current());
        }
        int n = Math.min(store.replicas(), current.members().size());
        Map<String, List<Integer>> byOwner = new TreeMap<>();
        for (int partition : new TreeSet<>(store.store().engine().partitions())) {
            if (partition >= current.partitionCount()) {
                continue;
            }
            List<String> owners = current.preferenceList(partition, n);
            if (!owners.contains(self)) {
                owners.forEach(owner -> byOwner.computeIfAbsent(owner, o -> new ArrayList<>()).add(partition));
            }
        }
        if (byOwner.isEmpty()) {
            return;
        }
        Map<String, CompletableFuture<Set<Integer>>> answers = new TreeMap<>();
        byOwner.forEach((owner, partitions) -> answers.put(owner, store.peers()
                .send(owner, new Message.HoldsPartitions(partitions), settings.timeout())
                .thenApply(answer -> answer instanceof Message.HeldPartitions h ? Set.copyOf(h.partitions()) : Set.<Integer>of())
                .exceptionally(failure -> Set.of())));
        CompletableFuture.allOf(answers.values().toArray(CompletableFuture[]::new))
                .thenRunAsync(() -> dropConfirmed(store, version, current, n, byOwner, answers), executor);
    }

    private void dropConfirmed(StoreReplicas store, long version, Ring current, int n, Map<String, List<Integer>> asked,
            Map<String, CompletableFuture<Set<Integer>>> answers) {
        Set<Integer> candidates = new TreeSet<>();
        asked.values().forEach(candidates::addAll);
        List<Integer> dropped = new ArrayList<>();
        Map<String, Integer> unconfirmed = new TreeMap<>();
        for (int partition : candidates) {
            List<String> owners = current.preferenceList(partition, n);
            List<String> silent = owners.stream().filter(owner -> !answers.get(owner).join().contains(partition)).toList();
            if (!silent.isEmpty()) {
                silent.forEach(owner -> unconfirmed.merge(owner, 1, Integer::sum));
                continue;
            }
            synchronized (this) {
                if (closed || !settledAt(version) || !stores.contains(store)) { // a new change began, or the store was dropped
                    return;
                }
            }
            store.store().dropPartition(partition);
            dropped.add(partition);
        }
        Set<Integer> copy;
        boolean logUnconfirmed;
        synchronized (this) {
            Set<Integer> storeHeld = held.get(store.name());
            if (storeHeld == null) {
                return; // removed meanwhile
            }
            storeHeld.removeAll(dropped);
            copy = Set.copyOf(storeHeld);
            logUnconfirmed = !unconfirmed.isEmpty() && unconfirmedLoggedFor != version;
            if (logUnconfirmed) {
                unconfirmedLoggedFor = version;
            }
        }
        if (!dropped.isEmpty()) {
            moveLog.saveHeld(store.name(), copy);
            log.info("{}: dropped {} partitions of store {} it no longer replicates in ring version {}: {}", self,
                    dropped.size(), store.name(), version, dropped);
        }
        if (!unconfirmed.isEmpty()) {
            if (logUnconfirmed) {
                log.warn("{}: keeps {} partitions it no longer replicates in ring version {}: their new replicas have not"
                        + " confirmed holding them (partitions unconfirmed per node: {}); checking again every {}",
                        self, candidates.size() - dropped.size(), version, unconfirmed, settings.settleDelay());
            }
            scheduleDrop(version);
        }
    }

    /** Whether the ring is known, settled, and of {@code version}. Under the monitor. */
    private boolean settledAt(long version) {
        RingState ring = state.ring();
        return ring.known() && !ring.moving() && ring.version() == version;
    }

    private void publishView() {
        RingState ring;
        Map<String, MemberInfo> members;
        synchronized (this) {
            ring = state.ring();
            members = state.members();
            if (!ring.known() || ring.equals(viewOf)) {
                return;
            }
        }
        Set<String> ids = new TreeSet<>(ring.current());
        ids.addAll(ring.target());
        Map<String, Endpoint> endpoints = new LinkedHashMap<>();
        for (String id : ids) {
            MemberInfo info = members.get(id);
            Endpoint endpoint = info != null ? info.endpoint() : foundingEndpoints.get(id);
            if (endpoint == null) {
                log.debug("{}: no endpoint yet for {}; keeping the previous view", self, id);
                return;
            }
            endpoints.put(id, endpoint);
        }
        Ring current = ring(ring.current());
        Optional<Ring> pending = ring.moving() ? Optional.of(ring(ring.target())) : Optional.empty();
        synchronized (this) {
            if (ring.equals(state.ring())) {
                view = new ClusterView(current, endpoints, pending);
                viewOf = ring;
                log.info("{}: ring version {}{}: {}", self, ring.version(), ring.moving() ? " (moving)" : "", current);
            }
        }
    }

    /** Moves this node's own state along the ring: proposes a join, runs its move, settles a completed change. */
    private void drive() {
        PartitionMover toStart = null;
        boolean proposed = false;
        synchronized (this) {
            RingState ring = state.ring();
            if (closed || !ring.known()) {
                return;
            }
            if (viewOf == null || !viewOf.equals(ring)) {
                // the view waits for endpoints; so does everything that depends on it
                return;
            }
            Ring current = view.ring();
            MemberState desired;
            if (!ring.moving()) {
                stopMover();
                if (current.isMember(self)) {
                    desired = MemberState.UP;
                } else if (options.standby() && me.state() == MemberState.JOINING) {
                    desired = MemberState.JOINING; // waits for an operator's replace
                } else if (options.join() && me.state() == MemberState.JOINING) {
                    Ring target = current.withMember(self);
                    log.info("{}: joining: ring version {} moves to {}", self, ring.version() + 1, target);
                    state = state.withRing(
                            new RingState(ring.version() + 1, ring.current(), target.assignment()));
                    proposed = true;
                    desired = MemberState.JOINING;
                } else {
                    desired = MemberState.LEFT;
                }
            } else {
                Ring target = view.pending().orElseThrow();
                boolean inCurrent = current.isMember(self);
                boolean inTarget = target.isMember(self);
                desired = inCurrent ? (inTarget ? MemberState.UP : MemberState.LEAVING)
                        : (me.state() == MemberState.LEFT ? MemberState.LEFT : MemberState.JOINING);
                if (movingSeenVersion != ring.version()) {
                    movingSeenVersion = ring.version();
                    movingSeenAt = scheduler.monotonicMillis();
                }
                if ((mover == null || mover.ringVersion() != ring.version())
                        && scheduler.monotonicMillis() - movingSeenAt >= settings.settleDelay().toMillis()) {
                    stopMover();
                    List<PartitionMover.Pull> pulls = pullsOf(self, current, target);
                    mover = new PartitionMover(self, ring.version(), pulls, moveLog, scheduler, settings,
                            detector, this::onProgress);
                    toStart = mover;
                }
                if (allPullsDone(ring, current, target)) {
                    log.info("{}: every partition of ring version {} has arrived; settling ring version {}", self,
                            ring.version(), ring.version() + 1);
                    state = state.withRing(RingState.settled(ring.version() + 1, ring.target()));
                    proposed = true;
                }
            }
            if (desired != me.state()) {
                log.info("{}: {} -> {}", self, me.state(), desired);
                me = me.next(desired, me.progress());
                state = state.merge(new GossipState(Map.of(self, me), state.ring()));
            }
        }
        if (toStart != null) {
            toStart.start();
        }
        if (proposed) {
            ringChanged();
            drive();
        }
    }

    private void onProgress(MoveProgress progress) {
        boolean complete;
        synchronized (this) {
            if (closed || progress.ringVersion() != state.ring().version()) {
                return;
            }
            me = me.next(me.state(), progress);
            state = state.merge(new GossipState(Map.of(self, me), state.ring()));
            complete = progress.completed(state.ring().version());
        }
        if (complete) {
            drive();
        }
    }

    private void stopMover() {
        if (mover != null) {
            mover.cancel();
            mover = null;
        }
    }

    /** Whether every node that receives partitions in this change has reported them all. Under the monitor. */
    private boolean allPullsDone(RingState ring, Ring current, Ring target) {
        for (String node : target.members()) {
            if (pullsOf(node, current, target).isEmpty()) {
                continue;
            }
            MemberInfo info = node.equals(self) ? me : state.members().get(node);
            if (info == null || !info.progress().completed(ring.version())) {
                return false;
            }
        }
        return true;
    }

    /**
     * The partitions of every store that {@code node} replicates in {@code target} but not in
     * {@code current} (by that store's N), with their current replicas.
     */
    private List<PartitionMover.Pull> pullsOf(String node, Ring current, Ring target) {
        List<PartitionMover.Pull> pulls = new ArrayList<>();
        for (StoreReplicas store : stores) {
            int nowN = Math.min(store.replicas(), current.members().size());
            int thenN = Math.min(store.replicas(), target.members().size());
            for (int p = 0; p < current.partitionCount(); p++) {
                List<String> now = current.preferenceList(p, nowN);
                if (!now.contains(node) && target.preferenceList(p, thenN).contains(node)) {
                    pulls.add(new PartitionMover.Pull(store, p, now));
                }
            }
        }
        return pulls;
    }

    private Ring ring(List<String> assignment) {
        return Ring.fromAssignment(assignment, options.partitioner());
    }

    /** The nodes the failure detector marks up and down among the known members, for status displays. */
    public Map<String, Boolean> availability() {
        Map<String, Boolean> up = new TreeMap<>();
        Map<String, MemberInfo> members;
        synchronized (this) {
            members = new HashMap<>(state.members());
        }
        members.keySet().forEach(id -> up.put(id, id.equals(self) || detector.isAvailable(id)));
        return up;
    }

    @Override
    public synchronized void close() {
        closed = true;
        if (next != null) {
            next.cancel();
        }
        stopMover();
    }

    @Override
    public String toString() {
        return "membership of " + self;
    }
}
