package io.dynamo.core.coordination;

import static java.util.Objects.requireNonNull;

import io.dynamo.api.Bytes;
import io.dynamo.api.Causality;
import io.dynamo.api.Condition;
import io.dynamo.api.ConflictException;
import io.dynamo.api.Context;
import io.dynamo.api.DynamoException;
import io.dynamo.api.InvalidArgumentException;
import io.dynamo.api.PrimaryQuorumException;
import io.dynamo.api.QuorumException;
import io.dynamo.api.ReadResult;
import io.dynamo.api.RequestTimeoutException;
import io.dynamo.api.RequestOptions;
import io.dynamo.api.UnavailableException;
import io.dynamo.api.VectorClock;
import io.dynamo.api.Versioned;
import io.dynamo.core.config.ReadFanout;
import io.dynamo.core.config.ReplicationConfig;
import io.dynamo.core.handoff.HintStore;
import io.dynamo.core.messages.Message;
import io.dynamo.core.metrics.NodeMetrics;
import io.dynamo.core.metrics.Operation;
import io.dynamo.core.resolution.VectorClockResolverFactory;
import io.dynamo.core.ring.Ring;
import io.dynamo.spi.resolution.ConflictResolver;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Coordinates client reads and writes on one node: Dynamo's quorum protocol with a sloppy
 * quorum and read repair.
 *
 * <p><b>Routing.</b> A request for a key whose preference list (the first N distinct nodes of
 * the ring from the key's partition) does not include this node is forwarded to the owners in
 * turn, healthy ones first, each with a share of the time (see {@code forward}); the first that
 * answers coordinates it. A forwarded request is never forwarded again.
 *
 * <p><b>Writes.</b> A write whose deadline has passed is not applied (a timeout answer); a write
 * whose {@link io.dynamo.api.WriteId} a stored version of the key carries was applied before, and
 * the coordinator answers with that version and sends it on as below instead of stamping another.
 * Otherwise the coordinator stamps the new version (by the cluster's causality scheme, see
 * {@link io.dynamo.spi.causality.CausalityScheme}), stores it, then sends it to the other N−1
 * owners. An owner the failure detector suspects, or whose request fails, is replaced by the
 * next healthy node after the first N on the ring (a stand-in), which keeps the write as a hint
 * naming the owner; when no stand-in is left, the coordinator keeps that hint itself (it does not
 * count twice toward W). The write succeeds once W nodes acknowledged it (this node included);
 * sending continues in the background so N copies exist. Without W acknowledgements within the
 * timeout, or when every candidate failed, it fails with {@link QuorumException}. While a
 * membership change moves the key's partition, the nodes it moves to
 * ({@link ClusterView#pendingReplicas}) are written too and W grows by their number.
 *
 * <p><b>Reads.</b> With {@code replication.read-fanout=quorum} (the default) the coordinator
 * reads its own copy and asks R−1 other owners, healthy ones first in preference-list order;
 * each owner that fails, and the first quorum not met within {@code replication.speculative-retry},
 * makes it ask one more. With {@code all} it asks all N owners (stand-ins, answering from their
 * hints, for suspected ones). After R answers the versions are reduced by causality, handed to
 * the {@link ConflictResolver} when two or more remain, and returned with the merge of every
 * clock seen as context. The round goes on until every replica asked answered or the timeout:
 * then every replica whose answer lacked some of the reconciled versions gets them (read
 * repair).
 *
 * <p><b>pr/pw and conditional writes.</b> A request with pr (pw) needs max(R, pr) (max(W, pw))
 * answers of which pr (pw) from the key's primary replicas, the first N owners answering for
 * themselves; it fails with {@link PrimaryQuorumException} at once when fewer primaries are
 * believed up, or when the round ends short of them. A conditional write ({@code ifUnmodified})
 * goes to the key's first healthy owner, which reads R replicas and answers
 * {@link Message.Conflict} when they hold a version the context does not cover; else it writes,
 * re-checking its own copy atomically, and counts only primaries, each of which stores the
 * version only if it dominates what it holds (see dynamo-core's README, "Per-request safety").
 *
 * <p>Everything is asynchronous: no method blocks, callbacks run on whichever thread completed
 * the transport's future, and timeouts come from the node's {@link Scheduler}. Thread-safe.
 */
public final class QuorumCoordinator {
    private static final Logger log = LoggerFactory.getLogger(QuorumCoordinator.class);

    private final String self;
    /** The partitioner's name, for clients that place keys themselves. */
    private final String partitioner;
    private final ReplicationConfig config;
    private final RequestLimits limits;
    private final Supplier<ClusterView> view;
    private final ReplicaStore store;
    private final HintStore hints;
    private final ReplicaClient peers;
    private final FailureDetector detector;
    private final ConflictResolver resolver;
    private final Scheduler scheduler;
    private final MessageValidator validator;
    private final SiblingWarnings siblingWarnings;
    private final NodeMetrics metrics;

    public QuorumCoordinator(String self, String partitioner, ReplicationConfig config, RequestLimits limits,
            Supplier<ClusterView> view, ReplicaStore store, HintStore hints, ReplicaClient peers, FailureDetector detector,
            ConflictResolver resolver, Scheduler scheduler, MessageValidator validator) {
        this(self, partitioner, config, limits, view, store, hints, peers, detector, resolver, scheduler, validator,
                NodeMetrics.discarding(self));
    }

    /** A coordinator that records its requests in {@code metrics}. */
    public QuorumCoordinator(String self, String partitioner, ReplicationConfig config, RequestLimits limits,
            Supplier<ClusterView> view, ReplicaStore store, HintStore hints, ReplicaClient peers, FailureDetector detector,
            ConflictResolver resolver, Scheduler scheduler, MessageValidator validator, NodeMetrics metrics) {
        this.metrics = requireNonNull(metrics, "metrics is null");
        this.self = requireNonNull(self, "self is null");
        this.partitioner = requireNonNull(partitioner, "partitioner is null");
        this.config = requireNonNull(config, "config is null");
        this.limits = requireNonNull(limits, "limits is null");
        this.view = requireNonNull(view, "view is null");
        this.store = requireNonNull(store, "store is null");
        this.hints = requireNonNull(hints, "hints is null");
        this.peers = requireNonNull(peers, "peers is null");
        this.detector = requireNonNull(detector, "detector is null");
        this.resolver = requireNonNull(resolver, "resolver is null");
        this.scheduler = requireNonNull(scheduler, "scheduler is null");
        this.validator = requireNonNull(validator, "validator is null");
        this.siblingWarnings = new SiblingWarnings(self, validator.versionLimits());
    }

    public CompletableFuture<ReadResult> get(Bytes key, RequestOptions options) {
        return call(() -> coordinate(new Message.ClientGet(key, options.quorum(), millis(options), false,
                        options.primaries())))
                .thenApply(response -> toReadResult(key, response));
    }

    public CompletableFuture<Context> put(Bytes key, Bytes value, Context context, RequestOptions options) {
        return call(() -> coordinate(new Message.ClientPut(key, value, context.clock(), options.quorum(), millis(options),
                        false, Optional.empty(), localDeadline(options), options.primaries(), conditional(options))))
                .thenApply(response -> toContext(key, response));
    }

    public CompletableFuture<Context> delete(Bytes key, Context context, RequestOptions options) {
        return call(() -> coordinate(new Message.ClientDelete(key, context.clock(), options.quorum(), millis(options),
                        false, Optional.empty(), localDeadline(options), options.primaries(), conditional(options))))
                .thenApply(response -> toContext(key, response));
    }

    private static boolean conditional(RequestOptions options) {
        return options.condition() == Condition.IF_UNMODIFIED;
    }

    /** The deadline of a write made through this node's own API: its timeout from now. */
    private long localDeadline(RequestOptions options) {
        long millis = millis(options);
        return scheduler.currentTimeMillis() + (millis == 0 ? config.timeout().toMillis() : millis);
    }

    /** What a client needs to coordinate its own reads (see {@link Message.RoutingTable}). */
    public Message.RoutingTable routingTable() {
        ClusterView current = view.get();
        Ring ring = current.ring();
        int n = Math.min(config.replicas(), ring.members().size());
        boolean clientReads = current.pending().isEmpty() && VectorClockResolverFactory.isSyntactic(resolver);
        return new Message.RoutingTable(ring.assignment(), current.endpoints(), n, Math.min(config.readQuorum(), n),
                partitioner, clientReads, Message.RoutingTable.probePartitions(ring::partitionOf));
    }

    /**
     * Serves a client request arriving from the network: coordinates it here or forwards it.
     * The future completes with the response to send (an {@link Message.Error} on failure),
     * never exceptionally.
     */
    public CompletableFuture<Message.Response> handle(Message.Request clientRequest) {
        return call(() -> coordinate(clientRequest))
                .handle((response, failure) -> failure == null ? response : Message.Error.of(RealTimeScheduler.unwrap(failure)));
    }

    private CompletableFuture<Message.Response> coordinate(Message.Request request) {
        long startNanos = metrics.startNanos();
        Bytes key;
        boolean forwarded;
        int quorum;
        long timeoutMillis;
        long deadlineMillis = 0;
        int primaries;
        boolean ifUnmodified = false;
        VectorClock context = VectorClock.EMPTY;
        if (request instanceof Message.ClientGet m) {
            key = m.key();
            forwarded = m.forwarded();
            quorum = m.quorum();
            timeoutMillis = m.timeoutMillis();
            primaries = m.primaries();
        } else if (request instanceof Message.ClientPut m) {
            key = m.key();
            limits.checkValue(m.value());
            forwarded = m.forwarded();
            quorum = m.quorum();
            timeoutMillis = m.timeoutMillis();
            deadlineMillis = m.deadlineMillis();
            primaries = m.primaries();
            ifUnmodified = m.ifUnmodified();
            context = m.context();
        } else if (request instanceof Message.ClientDelete m) {
            key = m.key();
            forwarded = m.forwarded();
            quorum = m.quorum();
            timeoutMillis = m.timeoutMillis();
            deadlineMillis = m.deadlineMillis();
            primaries = m.primaries();
            ifUnmodified = m.ifUnmodified();
            context = m.context();
        } else {
            throw new InvalidArgumentException("not a client request: " + request);
        }
        limits.checkKey(key);
        validator.check(request);
        boolean read = request instanceof Message.ClientGet;
        int required = quorum == 0 ? (read ? config.readQuorum() : config.writeQuorum()) : quorum;
        String primariesName = read ? "pr" : "pw";
        int primariesRequired = primaries != 0 ? primaries
                : read ? config.primaries().reads() : config.primaries().writes();
        Duration timeout = timeoutMillis == 0 ? config.timeout() : Duration.ofMillis(timeoutMillis);
        checkDeadlineNotTooFar(deadlineMillis, timeout);
        ClusterView current = view.get();
        Ring ring = current.ring();
        int n = Math.min(config.replicas(), ring.members().size());
        if (required > n) {
            throw new InvalidArgumentException((read ? "R" : "W") + "=" + required + " is more than N=" + n);
        }
        if (primariesRequired > n) {
            throw new InvalidArgumentException(primariesName + "=" + primariesRequired + " is more than N=" + n
                    + " (a key has N primary replicas)");
        }
        // pr/pw primaries are among the answers: the request needs max(R, pr) / max(W, pw) of them
        required = Math.max(required, primariesRequired);
        boolean conditionalPrimaries = false;
        if (ifUnmodified && primariesRequired < required) {
            // each primary stores at most one of two racing conditional versions; a stand-in cannot check
            primariesRequired = required;
            conditionalPrimaries = true;
        }
        int partition = ring.partitionOf(key);
        List<String> owners = ring.preferenceList(partition, n); // an immutable view of the ring's list
        if (!owners.contains(self)) {
            if (forwarded) {
                throw new UnavailableException(self + " is not a replica of " + key + " (replicas: " + owners + ")");
            }
            metrics.forwarded();
            return forward(request, owners, timeout, deadlineMillis);
        }
        if (ifUnmodified && !forwarded) {
            // Conditional writes of a key go through one coordinator, its first healthy owner (Voldemort's
            // master): its atomic check then decides every race, and a refused write is stored nowhere.
            String first = owners.stream().filter(o -> o.equals(self) || detector.isAvailable(o)).findFirst()
                    .orElse(self);
            if (!first.equals(self)) {
                metrics.forwarded();
                return forward(request, owners, timeout, deadlineMillis);
            }
        }
        List<String> standIns = ring.preferenceList(partition, ring.members().size()).subList(n, ring.members().size());
        String operation = read ? "get" : request instanceof Message.ClientPut ? "put" : "delete";
        Quorum quorumNeeded = new Quorum(required, primariesName, primariesRequired, conditionalPrimaries);
        Optional<PrimaryQuorumException> tooFewUp = primariesUp(operation, key, owners, quorumNeeded);
        if (tooFewUp.isPresent()) {
            Operation measured = read ? Operation.GET
                    : request instanceof Message.ClientPut ? Operation.PUT : Operation.DELETE;
            return metrics.coordinated(measured, startNanos, -1, CompletableFuture.failedFuture(tooFewUp.get()));
        }
        if (read) {
            return metrics.coordinated(Operation.GET, startNanos, -1,
                    new ReadRound(key, partition, owners, standIns, quorumNeeded, timeout).start());
        }
        if (ifUnmodified) {
            // decided on a read of R replicas (the store's R: a write's W says nothing of reads)
            VectorClock covering = context;
            Operation measured = request instanceof Message.ClientPut ? Operation.PUT : Operation.DELETE;
            Quorum checkRead = new Quorum(config.readQuorum(), "pr", 0, false);
            List<String> candidates = standIns;
            return metrics.coordinated(measured, startNanos, -1,
                    new ReadRound(key, partition, owners, standIns, checkRead, timeout).start().thenCompose(answer -> {
                        Message.ReadResult found = (Message.ReadResult) answer;
                        if (!covers(covering, found.context())) {
                            log.debug("{} conditional {} of {} refused: versions its context does not cover", self,
                                    operation, key);
                            metrics.conflict();
                            return CompletableFuture.completedFuture(
                                    new Message.Conflict(found.versions(), found.context()));
                        }
                        return call(() -> write(request, key, partition, owners, candidates, quorumNeeded, timeout,
                                current, metrics.startNanos(), true));
                    }));
        }
        return write(request, key, partition, owners, standIns, quorumNeeded, timeout, current, startNanos,
                false);
    }

    /** True when {@code context} covers every event of {@code found}: nothing was written that the writer did not see. */
    private static boolean covers(VectorClock context, VectorClock found) {
        Causality order = found.compare(context);
        return order == Causality.BEFORE || order == Causality.EQUAL;
    }

    /**
     * Refuses a request with pr/pw when fewer primaries than that are believed up (this node and
     * the owners the detector does not suspect): Riak's early answer, before anything is written.
     */
    private Optional<PrimaryQuorumException> primariesUp(String operation, Bytes key, List<String> owners,
            Quorum quorum) {
        int needed = quorum.primaries();
        if (needed == 0) {
            return Optional.empty();
        }
        List<String> down = owners.stream().filter(o -> !o.equals(self) && !detector.isAvailable(o)).toList();
        int up = owners.size() - down.size();
        if (up < needed) {
            return Optional.of(new PrimaryQuorumException(operation + " of " + key + " needed " + quorum.primariesRule()
                    + " but only " + up + " of " + owners.size() + " are up (" + String.join(", ", down)
                    + " suspected down); refused before anything was written (stand-ins do not count)",
                    operation, needed, up, 0));
        }
        return Optional.empty();
    }

    /** A put or delete this node coordinates as an owner: stores it here, then sends it on. */
    private CompletableFuture<Message.Response> write(Message.Request request, Bytes key, int partition,
            List<String> owners, List<String> standIns, Quorum quorumNeeded, Duration timeout,
            ClusterView current, long startNanos, boolean ifUnmodified) {
        int n = owners.size();
        int maxSiblings = validator.versionLimits().maxSiblings();
        long now = scheduler.currentTimeMillis();
        String operation = request instanceof Message.ClientPut ? "put" : "delete";
        long deadlineMillis = request instanceof Message.ClientPut m ? m.deadlineMillis()
                : ((Message.ClientDelete) request).deadlineMillis();
        if (deadlineMillis != 0 && now > deadlineMillis) {
            throw new RequestTimeoutException(operation + " of " + key + " not applied: its deadline passed "
                    + (now - deadlineMillis) + " ms before " + self + " could apply it (a late copy; deadlines compare"
                    + " wall clocks, which must agree to well within the request timeout)");
        }
        ReplicaStore.Written stored;
        try {
            if (request instanceof Message.ClientPut m) {
                stored = store.write(partition, key, m.value(), false, m.context(), self, now, config.maxClockEntries(),
                        maxSiblings, m.writeId(), ifUnmodified);
            } else {
                Message.ClientDelete m = (Message.ClientDelete) request;
                stored = store.write(partition, key, Bytes.EMPTY, true, m.context(), self, now, config.maxClockEntries(),
                        maxSiblings, m.writeId(), ifUnmodified);
            }
        } catch (ReplicaStore.NotCovered conflict) {
            // a write racing this one through this node got here first, after our read
            log.debug("{} conditional {} of {} refused: this node's copy changed since the read", self, operation, key);
            metrics.conflict();
            List<Versioned> held = conflict.stored();
            Message.ReadResult answer = readAnswer(held, reconcile(key, held));
            return CompletableFuture.completedFuture(new Message.Conflict(answer.versions(), answer.context()));
        }
        if (stored.repeated()) {
            log.debug("{} {} of {}: write {} was applied before, answering with its version", self, operation, key,
                    stored.version().writeId().orElseThrow());
        } else {
            siblingWarnings.check(key, stored.versions(), now);
        }
        Operation measured = request instanceof Message.ClientPut ? Operation.PUT : Operation.DELETE;
        metrics.replica(measured, startNanos); // the coordinator's own copy
        Versioned written = stored.version();
        // While partitions move, the replicas they move to get every write too, and each counts:
        // W acknowledgements plus one per pending replica, as Cassandra's pending endpoints.
        List<String> pending = current.pendingReplicas(partition, n);
        List<String> targets = owners;
        if (!pending.isEmpty()) {
            targets = new ArrayList<>(owners);
            targets.addAll(pending);
            standIns = standIns.stream().filter(node -> !pending.contains(node)).toList();
        }
        Quorum withPending = quorumNeeded.plusAnswers(pending.size());
        CompletableFuture<Message.Response> round = new WriteRound(operation, key, partition, targets, owners, standIns,
                withPending, timeout, written, ifUnmodified).start();
        // a conditional write was measured from its read on
        return ifUnmodified ? round : metrics.coordinated(measured, startNanos, written.value().length(), round);
    }

    /**
     * A write's deadline may be at most {@code replication.max-clock-skew} plus its timeout ahead
     * of this node's clock: further is a forged or broken client, and would let a delayed copy be
     * applied long after anyone waited for it.
     */
    private void checkDeadlineNotTooFar(long deadlineMillis, Duration timeout) {
        if (deadlineMillis == 0) {
            return;
        }
        Duration skew = validator.versionLimits().maxClockSkew();
        long now = scheduler.currentTimeMillis();
        long ahead = Math.max(timeout.toMillis(), config.timeout().toMillis());
        if (deadlineMillis - now > skew.toMillis() + ahead) {
            throw new InvalidArgumentException("a write deadline " + (deadlineMillis - now) + " ms ahead of this node's"
                    + " clock is more than replication." + VersionLimits.MAX_CLOCK_SKEW + " (" + skew + ") plus the"
                    + " request timeout (" + ahead + " ms) ahead: refused (check the client's and the nodes' clocks)");
        }
    }

    /**
     * Passes the request to the owners in turn (healthy ones first) until one answers, each with a
     * share of the time left as a round gives its attempts (half the whole at most, so a silent
     * owner leaves time for the next). A forwarded write carries a deadline at the end of its
     * owner's share, never after the client's: an owner it reaches only after this node moved on
     * does not apply it. The answer is {@link UnavailableException} only when no owner can have
     * applied a write; when one may have (it timed out or failed after it could have received it)
     * it is a {@link RequestTimeoutException} saying so.
     */
    private CompletableFuture<Message.Response> forward(Message.Request request, List<String> owners, Duration timeout,
            long clientDeadline) {
        List<String> order = new ArrayList<>();
        owners.stream().filter(detector::isAvailable).forEach(order::add);
        owners.stream().filter(o -> !detector.isAvailable(o)).forEach(order::add);
        CompletableFuture<Message.Response> result = new CompletableFuture<>();
        Duration total = Timeouts.withSlack(timeout);
        new Forward(request, order, Deadline.after(scheduler, total), total.toMillis(), clientDeadline, result).next(0);
        return result;
    }

    /** One forwarded request's tries, owner by owner. */
    private final class Forward {
        private final Message.Request request;
        private final List<String> order;
        private final Deadline deadline;
        private final long totalMillis;
        private final long clientDeadline;
        private final CompletableFuture<Message.Response> result;
        private final List<String> failures = new ArrayList<>(); // guarded by this
        /** Some owner may have applied the write: it failed after it could have received it (guarded by this). */
        private boolean mayHaveApplied;

        Forward(Message.Request request, List<String> order, Deadline deadline, long totalMillis, long clientDeadline,
                CompletableFuture<Message.Response> result) {
            this.request = request;
            this.order = order;
            this.deadline = deadline;
            this.totalMillis = totalMillis;
            this.clientDeadline = clientDeadline;
            this.result = result;
        }

        void next(int index) {
            long remaining = deadline.remainingMillis();
            if (index == order.size() || remaining <= 0) {
                giveUp();
                return;
            }
            String owner = order.get(index);
            // a read keeps the whole time left: reading twice is harmless, and its round needs its timeout
            boolean whole = index == order.size() - 1 || request instanceof Message.ClientGet;
            long share = whole ? remaining : Math.max(1, Math.min(remaining, (totalMillis + 1) / 2));
            peers.send(owner, onward(share), Duration.ofMillis(share)).whenComplete((response, failure) -> {
                if (failure == null) {
                    result.complete(response);
                    return;
                }
                RuntimeException error = RealTimeScheduler.unwrap(failure);
                if (error instanceof UnavailableException || !(isAnswer(error))) {
                    synchronized (this) {
                        failures.add(owner + ": " + error.getMessage());
                        mayHaveApplied |= !(error instanceof UnavailableException);
                    }
                    next(index + 1);
                } else {
                    result.completeExceptionally(error); // the coordinator answered: a quorum failure, a bad argument
                }
            });
        }

        /**
         * The request for an owner given {@code shareMillis}: a write's round must end within the
         * share (see {@link Timeouts#withSlack}), so the owner reports a quorum failure before this
         * node gives up on it, and the write must not be applied after the share.
         */
        private Message.Request onward(long shareMillis) {
            if (request instanceof Message.ClientGet m) {
                return new Message.ClientGet(m.key(), m.quorum(), m.timeoutMillis(), true, m.primaries());
            }
            long roundMillis = Math.max(1, (shareMillis - 50) * 4 / 5);
            long ownerDeadline = scheduler.currentTimeMillis() + shareMillis;
            long deadlineMillis = clientDeadline == 0 ? ownerDeadline : Math.min(clientDeadline, ownerDeadline);
            if (request instanceof Message.ClientPut m) {
                return m.forwarded(roundMillis, deadlineMillis);
            }
            return ((Message.ClientDelete) request).forwarded(roundMillis, deadlineMillis);
        }

        private void giveUp() {
            String tried;
            boolean maybe;
            synchronized (this) {
                tried = failures.toString();
                maybe = mayHaveApplied && !(request instanceof Message.ClientGet);
            }
            if (maybe) {
                // the client tries another node (the write id keeps the write from being applied twice)
                result.completeExceptionally(new RequestTimeoutException("no replica confirmed a forwarded write, and it"
                        + " may have been applied: " + tried));
            } else {
                result.completeExceptionally(new UnavailableException("no replica answered a forwarded request: " + tried));
            }
        }
    }

    /** True for failures a coordinator reported, false for failures to reach it. */
    private static boolean isAnswer(RuntimeException error) {
        return error instanceof QuorumException || error instanceof InvalidArgumentException;
    }

    /**
     * What a round needs: {@code answers} in all (R or W, at least {@code primaries}), of which
     * {@code primaries} from the key's primary replicas (pr or pw, as {@code primariesRule} says).
     */
    private record Quorum(int answers, String primariesName, int primaries, boolean conditional) {
        /** The rule the primaries' answers follow, for messages only (so a request builds no string). */
        String primariesRule() {
            return conditional
                    ? "W=" + primaries + " acknowledgements from primary replicas (a conditional write counts no"
                            + " stand-in: a stand-in cannot check its condition)"
                    : primariesName + "=" + primaries;
        }

        Quorum plusAnswers(int more) {
            return more == 0 ? this : new Quorum(answers + more, primariesName, primaries, conditional);
        }
    }

    /**
     * The targets of one request: the owners, with stand-ins taken in ring order for owners
     * that are suspected or fail. Subclasses say what to send and what an answer means. All
     * state is guarded by the round's monitor; futures are completed and messages sent outside
     * it.
     */
    private abstract class Round<T> {
        final Bytes key;
        final int partition;
        final List<String> owners;
        /** The key's primary replicas: answers from them, not as stand-ins, count toward pr/pw. */
        private final Set<String> primaries;
        private final Quorum quorum;
        private int primaryAnswers;
        private int primariesAsked;
        final List<String> standIns;
        final int required;
        final Duration timeout;
        final Deadline deadline;
        final CompletableFuture<T> result = new CompletableFuture<>();
        private final Set<String> asked = new HashSet<>();
        /** Owners passed over because the detector suspected them when their turn came (guarded by this). */
        private final Set<String> passedOver = new java.util.LinkedHashSet<>();
        /** Owners not asked at the start, asked one at a time when the quorum is late (reads only). */
        private List<String> spares = List.of();
        private int nextSpare;
        private int nextStandIn;
        private int inFlight;
        int answered;
        boolean finished;
        private Scheduler.Cancellable timer;
        private volatile Scheduler.Cancellable speculation;

        Round(Bytes key, int partition, List<String> owners, List<String> primaries, List<String> standIns,
                Quorum quorum, Duration timeout) {
            this.key = key;
            this.partition = partition;
            this.owners = owners;
            this.primaries = Set.copyOf(primaries);
            this.quorum = quorum;
            this.standIns = standIns;
            this.required = quorum.answers();
            this.timeout = timeout;
            this.deadline = Deadline.after(scheduler, timeout);
        }

        abstract String operation();

        /** This node's own part, done synchronously; counts as one answer. */
        abstract void answerLocally();

        abstract Message.Request request(Optional<String> hintFor);

        /** Records an answer (under the monitor); false when it does not count toward the quorum (a refusal). */
        abstract boolean onAnswer(String target, Optional<String> hintFor, Message.Response response);

        /** When the round ends unsatisfied: an answer to give instead of a quorum failure, or null (under no monitor). */
        T insteadOfFailure() {
            return null;
        }

        /** Called once, outside the monitor, when nothing more will arrive. */
        void onFinished() {}

        /** How many owners besides this node to ask at the start; the others are spares. */
        int ownersToAskFirst() {
            return Integer.MAX_VALUE;
        }

        /** How long to wait for the quorum before asking a spare; zero never asks early. */
        Duration speculativeRetry() {
            return Duration.ZERO;
        }

        final CompletableFuture<T> start() {
            timer = scheduler.schedule(timeout, this::expire);
            T early;
            synchronized (this) {
                asked.add(self);
                answerLocally();
                answered++;
                countPrimary(self, Optional.empty(), true);
                early = satisfied() ? result() : null;
                // the start counts as in flight until every first owner was asked: an answer that
                // arrives before the last one is sent must not finish the round without it
                inFlight++;
            }
            if (early != null) {
                result.complete(early);
            }
            List<String> others = new ArrayList<>(owners.size());
            owners.stream().filter(owner -> !owner.equals(self) && detector.isAvailable(owner)).forEach(others::add);
            owners.stream().filter(owner -> !owner.equals(self) && !detector.isAvailable(owner)).forEach(others::add);
            int first = Math.min(others.size(), ownersToAskFirst());
            synchronized (this) {
                spares = others.subList(first, others.size());
            }
            others.subList(0, first).forEach(this::ask);
            synchronized (this) {
                inFlight--;
            }
            Duration retry = speculativeRetry();
            if (!spares.isEmpty() && !retry.isZero() && !result.isDone()) {
                speculation = scheduler.schedule(retry, this::speculate);
            }
            checkFinished();
            return result;
        }

        /** Asks {@code owner}, or a stand-in for it when it is suspected. */
        private void ask(String owner) {
            if (detector.isAvailable(owner)) {
                attempt(owner, Optional.empty());
            } else {
                synchronized (this) {
                    passedOver.add(owner);
                }
                tryStandIn(owner);
            }
        }

        /** Asks the next spare owner while the quorum is not met; false when none is left. */
        private boolean askSpare() {
            String spare;
            synchronized (this) {
                if (result.isDone() || nextSpare == spares.size()) {
                    return false;
                }
                spare = spares.get(nextSpare++);
            }
            ask(spare);
            return true;
        }

        private void speculate() {
            if (askSpare()) {
                log.debug("{} {} of {}: quorum late, asked one more replica", self, operation(), key);
            }
        }

        /** Counts an answer from (or a request to) {@code target} toward pr/pw when it is a primary (under the monitor). */
        private void countPrimary(String target, Optional<String> hintFor, boolean answer) {
            if (hintFor.isEmpty() && primaries.contains(target)) {
                if (answer) {
                    primaryAnswers++;
                } else {
                    primariesAsked++;
                }
            }
        }

        /** Enough answers, and enough of them from primaries (under the monitor). */
        private boolean satisfied() {
            return answered >= required && primaryAnswers >= quorum.primaries();
        }

        /** The value to complete with once the quorum is met; called under the monitor. */
        abstract T result();

        private void attempt(String target, Optional<String> hintFor) {
            long remaining = deadline.remainingMillis();
            if (remaining <= 0) {
                return;
            }
            synchronized (this) {
                asked.add(target);
                inFlight++;
                countPrimary(target, hintFor, false);
            }
            // Half the timeout per attempt leaves time to try a stand-in after a silent failure.
            long attemptMillis = Math.max(1, Math.min(remaining, (timeout.toMillis() + 1) / 2));
            peers.send(target, request(hintFor), Duration.ofMillis(attemptMillis)).whenComplete((response, failure) -> {
                T complete = null;
                boolean retry = false;
                synchronized (this) {
                    inFlight--;
                    if (failure != null) {
                        retry = true;
                    } else if (onAnswer(target, hintFor, response)) { // a refusal is an answer too: no stand-in for it
                        answered++;
                        countPrimary(target, hintFor, true);
                        // reconciled only when it completes the request: later answers feed read repair
                        if (!result.isDone() && satisfied()) {
                            complete = result();
                        }
                    }
                }
                if (complete != null) {
                    result.complete(complete);
                }
                if (retry) {
                    log.debug("{} {} of {}: {} failed ({}), trying a stand-in", self, operation(), key, target,
                            failure.getMessage());
                    if (!askSpare()) {
                        tryStandIn(hintFor.orElse(target));
                    }
                }
                checkFinished();
            });
        }

        /** Sends to the next healthy stand-in for {@code owner}, if any is left. */
        private void tryStandIn(String owner) {
            String standIn = null;
            synchronized (this) {
                while (nextStandIn < standIns.size()) {
                    String candidate = standIns.get(nextStandIn++);
                    if (detector.isAvailable(candidate)) {
                        standIn = candidate;
                        break;
                    }
                }
            }
            if (standIn != null) {
                attempt(standIn, Optional.of(owner));
            } else {
                noStandInLeft(owner);
            }
        }

        /** Every stand-in is used or suspected: what to do for {@code owner} instead. */
        void noStandInLeft(String owner) {}

        private void checkFinished() {
            boolean finishNow;
            synchronized (this) {
                finishNow = !finished && inFlight == 0;
                finished |= finishNow;
            }
            if (finishNow) {
                finish();
            }
        }

        private void expire() {
            boolean finishNow;
            synchronized (this) {
                finishNow = !finished;
                finished = true;
            }
            if (finishNow) {
                finish();
            }
        }

        private void finish() {
            timer.cancel();
            Scheduler.Cancellable pendingSpeculation = speculation;
            if (pendingSpeculation != null) {
                pendingSpeculation.cancel();
            }
            int answeredNow;
            int askedNow;
            int primaryAnswersNow;
            int primariesAskedNow;
            List<String> suspected;
            synchronized (this) {
                answeredNow = answered;
                askedNow = asked.size();
                primaryAnswersNow = primaryAnswers;
                primariesAskedNow = primariesAsked + 1; // this node asked itself
                // as they were when their turn came: one may have answered a ping since
                suspected = owners.stream().filter(o -> !asked.contains(o) && passedOver.contains(o)).toList();
            }
            T instead = result.isDone() ? null : insteadOfFailure();
            if (instead != null) {
                result.complete(instead);
            } else if (!result.isDone()) {
                if (answeredNow >= required) {
                    // enough answers, but some from stand-ins: pr/pw refuses them
                    result.completeExceptionally(new PrimaryQuorumException(operation() + " of " + key + " needed "
                            + quorum.primariesRule() + " but only " + primaryAnswersNow + " of " + primariesAskedNow
                            + " primary replicas asked answered (" + (answeredNow - primaryAnswersNow) + " stand-in(s) or"
                            + " pending replicas answered instead, which do not count)"
                            + (operation().equals("get") ? "" : "; the write is stored on the " + answeredNow
                                    + " nodes that acknowledged it and is not rolled back: a later read may return it"),
                            operation(), quorum.primaries(), primaryAnswersNow, primariesAskedNow));
                } else {
                    result.completeExceptionally(new QuorumException(operation(), required, answeredNow, askedNow,
                            suspected));
                }
            }
            onFinished();
        }
    }

    private final class WriteRound extends Round<Message.Response> {
        private final String operation;
        private final Versioned written;
        private final boolean ifUnmodified;
        /** What the replicas that refused a conditional write hold (guarded by the round's monitor). */
        private final List<Versioned> refusedBy = new ArrayList<>();

        WriteRound(String operation, Bytes key, int partition, List<String> targets, List<String> primaries,
                List<String> standIns, Quorum quorum, Duration timeout, Versioned written, boolean ifUnmodified) {
            super(key, partition, targets, primaries, standIns, quorum, timeout);
            this.operation = operation;
            this.written = written;
            this.ifUnmodified = ifUnmodified;
        }

        @Override
        String operation() {
            return operation;
        }

        @Override
        void answerLocally() {
            // stored by coordinate() before the round started: its clock was needed first
        }

        @Override
        Message.Request request(Optional<String> hintFor) {
            return new Message.ReplicaWrite(key, List.of(written), hintFor, ifUnmodified);
        }

        /**
         * With no stand-in left (a cluster of N nodes, or all others down), the coordinator keeps
         * the hint itself so the owner still gets the write when it is back. It does not count
         * toward W: the coordinator's copy already did.
         */
        @Override
        void noStandInLeft(String owner) {
            hints.add(owner, key, List.of(written));
        }

        @Override
        boolean onAnswer(String target, Optional<String> hintFor, Message.Response response) {
            if (response instanceof Message.Conflict refused) {
                // a racing conditional write reached this replica first
                refusedBy.addAll(refused.versions());
                return false;
            }
            return true; // an acknowledgement carries nothing to record
        }

        /**
         * A conditional write that replicas refused and so lacks its quorum: the conflict, with
         * what they hold (the racing write that won there) for the caller to merge, and a context
         * that also covers this write. The copies it left where it was accepted are siblings of
         * the winner, as a failed write's are, until the caller's next write replaces them.
         */
        @Override
        Message.Response insteadOfFailure() {
            List<Versioned> held;
            synchronized (this) {
                held = List.copyOf(refusedBy);
            }
            if (held.isEmpty()) {
                return null;
            }
            metrics.conflict();
            // the context covers this write's own copies too, so the caller's next write replaces them
            List<Versioned> all = new ArrayList<>(held);
            all.add(written);
            Message.ReadResult answer = readAnswer(all, reconcile(key, held));
            return new Message.Conflict(answer.versions(), answer.context());
        }

        @Override
        Message.Response result() {
            // the writer's next context: the version's events, its dot an ordinary one, as a read would give
            return new Message.Written(written.clock().history());
        }
    }

    private final class ReadRound extends Round<Message.Response> {
        /** Each replica's answer, in arrival order; the key is the node and the owner it stood in for. */
        private final Map<Target, List<Versioned>> answers = new LinkedHashMap<>();

        ReadRound(Bytes key, int partition, List<String> owners, List<String> standIns, Quorum quorum, Duration timeout) {
            super(key, partition, owners, owners, standIns, quorum, timeout);
        }

        @Override
        String operation() {
            return "get";
        }

        @Override
        void answerLocally() {
            long startNanos = metrics.startNanos();
            answers.put(new Target(self, Optional.empty()), store.read(partition, key));
            metrics.replica(Operation.GET, startNanos);
        }

        @Override
        Message.Request request(Optional<String> hintFor) {
            return new Message.ReplicaRead(key, hintFor);
        }

        @Override
        int ownersToAskFirst() {
            return config.readFanout() == ReadFanout.ALL ? Integer.MAX_VALUE : required - 1;
        }

        @Override
        Duration speculativeRetry() {
            return config.speculativeRetry();
        }

        @Override
        boolean onAnswer(String target, Optional<String> hintFor, Message.Response response) {
            List<Versioned> versions = response instanceof Message.Versions v ? v.versions() : List.of();
            answers.put(new Target(target, hintFor), versions);
            return true;
        }

        @Override
        Message.Response result() {
            List<Versioned> all = new ArrayList<>();
            answers.values().forEach(all::addAll);
            return readAnswer(all, reconcile(key, all));
        }

        @Override
        void onFinished() {
            Map<Target, List<Versioned>> seen;
            synchronized (this) {
                seen = new LinkedHashMap<>(answers);
            }
            List<Versioned> all = new ArrayList<>();
            seen.values().forEach(all::addAll);
            if (all.isEmpty()) {
                return;
            }
            List<Versioned> resolved = reconcile(key, all);
            for (Map.Entry<Target, List<Versioned>> answer : seen.entrySet()) {
                if (Siblings.covers(answer.getValue(), resolved)) {
                    continue;
                }
                Target target = answer.getKey();
                log.debug("{} read repair of {} on {}", self, key, target);
                metrics.readRepair();
                if (target.node().equals(self)) {
                    store.merge(partition, key, resolved);
                } else {
                    peers.send(target.node(), new Message.ReplicaWrite(key, resolved, target.hintFor()), timeout)
                            .exceptionally(failure -> null); // best effort; anti-entropy and later reads catch up
                }
            }
        }
    }

    private record Target(String node, Optional<String> hintFor) {}

    /** Causality first, then the resolver when two or more versions remain. */
    private List<Versioned> reconcile(Bytes key, List<Versioned> all) {
        List<Versioned> siblings = Siblings.reduce(all);
        if (siblings.size() < 2) {
            return siblings;
        }
        List<Versioned> input = resolver.seesDominatedVersions() ? distinct(all) : siblings;
        List<Versioned> resolved = resolver.resolve(key, input);
        if (resolved == null || resolved.isEmpty()) {
            throw new DynamoException("resolver " + resolver + " returned no version for " + key);
        }
        return List.copyOf(resolved);
    }

    private static List<Versioned> distinct(List<Versioned> versions) {
        return List.copyOf(new java.util.LinkedHashSet<>(versions));
    }

    private static <T> CompletableFuture<T> call(Supplier<CompletableFuture<T>> action) {
        try {
            return action.get();
        } catch (RuntimeException e) {
            return CompletableFuture.failedFuture(e);
        }
    }

    private static long millis(RequestOptions options) {
        requireNonNull(options, "options is null");
        return options.timeout() == null ? 0 : Math.max(1, options.timeout().toMillis());
    }

    /**
     * A read's answer from every version the replicas returned ({@code all}) and what
     * reconciling them left ({@code resolved}): equal values shown once, and as context the
     * merge of every clock seen, so that the next write supersedes all of them.
     */
    public static Message.ReadResult readAnswer(List<Versioned> all, List<Versioned> resolved) {
        VectorClock context = Siblings.mergedClock(all).merge(Siblings.mergedClock(resolved));
        return new Message.ReadResult(Siblings.withoutRepeatedValues(resolved), context);
    }

    /** The client's view of a node's answer to a get. */
    public static ReadResult toReadResult(Bytes key, Message.Response response) {
        if (response instanceof Message.ReadResult r) {
            return new ReadResult(key, r.versions(), new Context(r.context()));
        }
        throw new DynamoException("unexpected answer to a get: " + response);
    }

    /** The client's view of a node's answer to a put or delete: a context, or a refused conditional write. */
    public static Context toContext(Bytes key, Message.Response response) {
        if (response instanceof Message.Written w) {
            return new Context(w.clock());
        }
        if (response instanceof Message.Conflict c) {
            throw new ConflictException(new ReadResult(key, c.versions(), new Context(c.context())));
        }
        throw new DynamoException("unexpected answer to a write: " + response);
    }
}
