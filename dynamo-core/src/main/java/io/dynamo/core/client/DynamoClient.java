package io.dynamo.core.client;

import static java.util.Objects.requireNonNull;

import io.dynamo.api.Bytes;
import io.dynamo.api.Condition;
import io.dynamo.api.GetAllException;
import io.dynamo.api.Context;
import io.dynamo.api.DynamoException;
import io.dynamo.api.DynamoStore;
import io.dynamo.api.InvalidArgumentException;
import io.dynamo.api.ReadResult;
import io.dynamo.api.RequestOptions;
import io.dynamo.api.RequestTimeoutException;
import io.dynamo.api.UnavailableException;
import io.dynamo.api.WriteId;
import io.dynamo.core.antientropy.RoundReport;
import io.dynamo.core.coordination.QuorumCoordinator;
import io.dynamo.core.coordination.RealTimeScheduler;
import io.dynamo.core.coordination.RequestLimits;
import io.dynamo.core.coordination.Scheduler;
import io.dynamo.core.coordination.Timeouts;
import io.dynamo.core.membership.GossipState;
import io.dynamo.core.messages.Message;
import io.dynamo.core.messages.MessageCodec;
import io.dynamo.spi.partition.Partitioner;
import io.dynamo.spi.transport.Endpoint;
import io.dynamo.spi.transport.Transport;
import io.dynamo.spi.transport.TransportException;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Function;

/**
 * A {@link DynamoStore} talking to a cluster over any {@link Transport}: the Java client
 * library, also used by the CLI.
 *
 * <p>Each request goes to the next node in round-robin order, which coordinates it or forwards
 * it to a replica of the key. When that node cannot be reached (refused, timed out, or it
 * reports itself unavailable) the request is tried at the following nodes, each at most once;
 * when none answers it fails with {@link UnavailableException} listing why. A node's answer
 * that the request failed (a quorum failure, an invalid argument) is final and thrown as is.
 * With {@link Builder#coordinateReads} the client coordinates gets itself instead, asking R
 * replicas directly, and leaves a get to a node whenever it cannot (see {@code ClientReads});
 * it sends a put or delete first to an owner of the key, which coordinates it without the hop of
 * forwarding it, then to the nodes as above.
 *
 * <p>Every request carries an explicit timeout (the request's, else the client's), and the
 * client waits that long plus a margin for the coordinator to report a quorum failure. Keys
 * and values are checked against the limits before anything is sent.
 *
 * <p><b>Writes are applied once.</b> Each put and delete gets a {@link WriteId}: this client's
 * id (random, chosen once per client) and the next number of its sequence. Every attempt of the
 * write carries the same id, so a node that already applied it (its answer was lost, the
 * connection closed, the request was duplicated) answers with that version instead of making a
 * second one. Each attempt also carries a deadline, this client's wall clock plus the timeout: no
 * node applies the attempt after it, so a copy held up in the network is not applied after the
 * client moved on. A node's timeout answer to a write ("it may have been applied") is tried at the
 * next node like a lost connection; when no node confirms the write, the
 * {@link UnavailableException} says whether it may have been applied
 * ({@link UnavailableException#mayHaveBeenApplied()}).
 *
 * <p>Thread-safe. The client owns its transport: {@link #close()} closes it.
 */
public final class DynamoClient implements DynamoStore {
    /** The store a client reaches without {@link #store(String)}: the one every cluster has. */
    public static final String DEFAULT_STORE = Message.InStore.DEFAULT_STORE;
    private final Transport transport;
    private final List<Endpoint> nodes;
    private final Duration timeout;
    private final RequestLimits limits;
    private final Scheduler scheduler;
    /** {@link #send}'s transport timeout for requests with the default timeout, computed once. */
    private final Duration defaultAttemptWait;
    private final AtomicInteger next = new AtomicInteger();
    /** This client's part of its write ids. */
    private final long clientId;
    private final AtomicLong writes = new AtomicLong();
    /** Null when every read goes through a node. */
    private final ClientReads clientReads;

    private DynamoClient(Builder builder) {
        this.transport = builder.transport;
        this.nodes = List.copyOf(builder.nodes);
        this.timeout = builder.timeout;
        this.limits = builder.limits;
        this.scheduler = builder.scheduler;
        this.defaultAttemptWait = attemptWait(timeout);
        this.clientId = builder.clientId != 0 ? builder.clientId : randomClientId();
        this.clientReads = builder.partitioners == null ? null : new ClientReads(transport, nodes,
                builder.partitioners, scheduler == null ? () -> System.nanoTime() / 1_000_000 : scheduler::monotonicMillis);
    }

    /** A client over {@code transport} (which it will own) for the cluster whose nodes listen at {@code nodes}. */
    public static Builder builder(Transport transport, List<Endpoint> nodes) {
        return new Builder(transport, nodes);
    }

    /** Settings of a {@link DynamoClient}. */
    public static final class Builder {
        private final Transport transport;
        private final List<Endpoint> nodes;
        private Duration timeout = Duration.ofSeconds(2);
        private RequestLimits limits = RequestLimits.DEFAULT;
        private Scheduler scheduler;
        private Function<String, Partitioner> partitioners;
        private long clientId;

        private Builder(Transport transport, List<Endpoint> nodes) {
            this.transport = requireNonNull(transport, "transport is null");
            this.nodes = List.copyOf(requireNonNull(nodes, "nodes is null"));
            if (nodes.isEmpty()) {
                throw new InvalidArgumentException("a client needs at least one node endpoint");
            }
        }

        /** The coordinator timeout of requests that do not set their own (default 2 s). */
        public Builder timeout(Duration timeout) {
            requireNonNull(timeout, "timeout is null");
            if (timeout.isZero() || timeout.isNegative()) {
                throw new InvalidArgumentException("timeout must be positive: " + timeout);
            }
            this.timeout = timeout;
            return this;
        }

        /** The key and value limits checked before sending (default: the nodes' defaults). */
        public Builder limits(RequestLimits limits) {
            this.limits = requireNonNull(limits, "limits is null");
            return this;
        }

        /**
         * How the blocking methods wait: by default on the calling thread; give the network's
         * scheduler for a simulated in-process cluster, so that waiting runs the simulation.
         */
        public Builder scheduler(Scheduler scheduler) {
            this.scheduler = requireNonNull(scheduler, "scheduler is null");
            return this;
        }

        /**
         * Coordinates reads in the client (the Dynamo paper's client-driven coordination): each
         * get asks R replicas directly instead of a node that asks them, saving a hop. To find a
         * key's replicas the client needs the cluster's partitioner: the nodes name it, and
         * {@code partitioners} makes the one of a name (from plugins:
         * {@link io.dynamo.core.plugin.PluginRegistry#partitioners}), throwing when it cannot. A
         * client that cannot make it, or whose one places keys differently from the cluster's,
         * leaves reads to the nodes. Writes always go through a node, which stamps their clocks:
         * the client sends them to an owner of the key, so that no node forwards them.
         * Off by default.
         */
        public Builder coordinateReads(Function<String, Partitioner> partitioners) {
            this.partitioners = requireNonNull(partitioners, "partitioners is null");
            return this;
        }

        /** As {@link #coordinateReads(Function)}, placing keys with {@code partitioner} whatever the nodes name. */
        public Builder coordinateReads(Partitioner partitioner) {
            requireNonNull(partitioner, "partitioner is null");
            return coordinateReads(name -> partitioner);
        }

        /**
         * The client id of this client's {@link WriteId}s instead of a random one: for reproducible
         * simulations. Two clients with one id could take each other's writes for retries.
         */
        public Builder clientId(long clientId) {
            if (clientId == 0) {
                throw new InvalidArgumentException("a client id must not be 0");
            }
            this.clientId = clientId;
            return this;
        }

        public DynamoClient build() {
            return new DynamoClient(this);
        }
    }

    @Override
    public ReadResult get(Bytes key, RequestOptions options) {
        return await(getAsync(key, options), options);
    }

    @Override
    public Context put(Bytes key, Bytes value, Context context, RequestOptions options) {
        return await(putAsync(key, value, context, options), options);
    }

    @Override
    public Context delete(Bytes key, Context context, RequestOptions options) {
        return await(deleteAsync(key, context, options), options);
    }

    public CompletableFuture<ReadResult> getAsync(Bytes key, RequestOptions options) {
        return getAsync(DEFAULT_STORE, key, options);
    }

    public CompletableFuture<Context> putAsync(Bytes key, Bytes value, Context context, RequestOptions options) {
        return putAsync(DEFAULT_STORE, key, value, context, options);
    }

    public CompletableFuture<Context> deleteAsync(Bytes key, Context context, RequestOptions options) {
        return deleteAsync(DEFAULT_STORE, key, context, options);
    }

    /**
     * The store {@code name} of the cluster, through this client (this client itself is the
     * default store). Its requests travel in a {@link Message.InStore} envelope; a node without
     * such a store answers with {@link io.dynamo.api.UnknownStoreException} listing its stores.
     * Reads of a store other than the default one are coordinated by a node (its N and R are the
     * node's to know). Closing it does nothing: close this client.
     */
    public DynamoStore store(String name) {
        requireNonNull(name, "name is null");
        if (name.equals(DEFAULT_STORE)) {
            return new StoreClient(DEFAULT_STORE);
        }
        return new StoreClient(Message.InStore.checkName(name));
    }

    private CompletableFuture<ReadResult> getAsync(String store, Bytes key, RequestOptions options) {
        try {
            limits.checkKey(key);
            Duration t = timeoutOf(options);
            // pr needs a coordinator that tells primaries from stand-ins: a node
            if (clientReads != null && store.equals(DEFAULT_STORE) && options.primaries() == 0) {
                return clientReads.read(key, options.quorum(), t, () -> getViaNode(store, key, options.quorum(), 0, t));
            }
            return getViaNode(store, key, options.quorum(), options.primaries(), t);
        } catch (RuntimeException e) {
            return CompletableFuture.failedFuture(e);
        }
    }

    private CompletableFuture<ReadResult> getViaNode(String store, Bytes key, int quorum, int primaries, Duration timeout) {
        return send(store, new Message.ClientGet(key, quorum, timeout.toMillis(), false, primaries), timeout, null)
                .thenApply(response -> QuorumCoordinator.toReadResult(key, response));
    }

    @Override
    public Map<Bytes, ReadResult> getAll(Collection<Bytes> keys, RequestOptions options) {
        return getAll(DEFAULT_STORE, keys, options);
    }

    /**
     * Reads every key of {@code store} concurrently, each as {@link #getAsync} does (over this
     * client's connections, each read coordinated by this client or a node), and waits for all of them.
     */
    private Map<Bytes, ReadResult> getAll(String store, Collection<Bytes> keys, RequestOptions options) {
        DynamoStore.checkGetAll(keys);
        Map<Bytes, CompletableFuture<ReadResult>> reads = new LinkedHashMap<>();
        for (Bytes key : keys) {
            reads.putIfAbsent(key, getAsync(store, key, options));
        }
        Map<Bytes, ReadResult> results = new LinkedHashMap<>();
        Map<Bytes, DynamoException> failures = new LinkedHashMap<>();
        for (Map.Entry<Bytes, CompletableFuture<ReadResult>> read : reads.entrySet()) {
            try {
                results.put(read.getKey(), await(read.getValue(), options));
            } catch (DynamoException e) {
                failures.put(read.getKey(), e);
            }
        }
        if (!failures.isEmpty()) {
            throw new GetAllException(results, failures);
        }
        return results;
    }

    private CompletableFuture<Context> putAsync(String store, Bytes key, Bytes value, Context context,
            RequestOptions options) {
        try {
            limits.checkKey(key);
            limits.checkValue(value);
            requireContext(context);
            Duration t = timeoutOf(options);
            return send(store, new Message.ClientPut(key, value, context.clock(), options.quorum(), t.toMillis(), false,
                    Optional.of(nextWriteId()), 0, options.primaries(), options.condition() == Condition.IF_UNMODIFIED),
                    t, ownerOf(store, key, t)).thenApply(response -> QuorumCoordinator.toContext(key, response));
        } catch (RuntimeException e) {
            return CompletableFuture.failedFuture(e);
        }
    }

    private CompletableFuture<Context> deleteAsync(String store, Bytes key, Context context, RequestOptions options) {
        try {
            limits.checkKey(key);
            requireContext(context);
            Duration t = timeoutOf(options);
            return send(store, new Message.ClientDelete(key, context.clock(), options.quorum(), t.toMillis(), false,
                    Optional.of(nextWriteId()), 0, options.primaries(), options.condition() == Condition.IF_UNMODIFIED),
                    t, ownerOf(store, key, t)).thenApply(response -> QuorumCoordinator.toContext(key, response));
        } catch (RuntimeException e) {
            return CompletableFuture.failedFuture(e);
        }
    }

    /** One store of the cluster through this client. */
    private final class StoreClient implements DynamoStore {
        private final String store;

        StoreClient(String store) {
            this.store = store;
        }

        @Override
        public ReadResult get(Bytes key, RequestOptions options) {
            return await(getAsync(store, key, options), options);
        }

        @Override
        public Context put(Bytes key, Bytes value, Context context, RequestOptions options) {
            return await(putAsync(store, key, value, context, options), options);
        }

        @Override
        public Context delete(Bytes key, Context context, RequestOptions options) {
            return await(deleteAsync(store, key, context, options), options);
        }

        @Override
        public Map<Bytes, ReadResult> getAll(Collection<Bytes> keys, RequestOptions options) {
            return DynamoClient.this.getAll(store, keys, options);
        }

        @Override
        public void close() {}

        @Override
        public String toString() {
            return "store " + store + " through " + nodes;
        }
    }

    /**
     * Asks {@code node} to run one anti-entropy round now, over {@code partition} or every
     * partition it replicates, and waits up to {@code timeout} for its report.
     */
    public RoundReport repair(Endpoint node, Optional<Integer> partition, Duration timeout) {
        CompletableFuture<RoundReport> report = repairAsync(node, partition, timeout);
        return scheduler == null ? RealTimeScheduler.awaitFuture(report, Timeouts.withSlack(timeout))
                : scheduler.await(report, Timeouts.withSlack(timeout));
    }

    /** The asynchronous form of {@link #repair}. */
    public CompletableFuture<RoundReport> repairAsync(Endpoint node, Optional<Integer> partition, Duration timeout) {
        requireNonNull(node, "node is null");
        requireNonNull(timeout, "timeout is null");
        byte[] payload = MessageCodec.encode(new Message.Repair(partition));
        CompletableFuture<byte[]> raw;
        try {
            raw = transport.request(node, payload, timeout);
        } catch (RuntimeException e) {
            raw = CompletableFuture.failedFuture(e);
        }
        return raw.thenApply(bytes -> {
            Message answer = MessageCodec.decode(bytes);
            if (answer instanceof Message.Repaired repaired) {
                return RoundReport.of(repaired);
            }
            if (answer instanceof Message.Error error) {
                throw error.toException();
            }
            throw new DynamoException(node + " answered a repair with " + answer.getClass().getSimpleName());
        });
    }

    /** What {@code node} knows of the cluster by gossip: members, their states and move progress, the ring. */
    public GossipState membership(Endpoint node, Duration timeout) {
        Message answer = askOne(node, new Message.Gossip(GossipState.EMPTY), timeout);
        if (answer instanceof Message.GossipAck ack) {
            return ack.state();
        }
        throw new DynamoException(node + " answered a membership request with " + answer.getClass().getSimpleName());
    }

    /** How many hinted keys {@code node} holds for each target node. */
    public Map<String, Long> hints(Endpoint node, Duration timeout) {
        Message answer = askOne(node, new Message.Hints(), timeout);
        if (!(answer instanceof Message.HintCounts counts)) {
            throw new DynamoException(node + " answered a hints request with " + answer.getClass().getSimpleName());
        }
        return counts.pending();
    }

    /**
     * Drains {@code node}: it refuses client requests from now on, hands off its hints for at
     * most {@code handoff}, then stops. Returns the hints it still held when handoff ended;
     * {@code timeout} must leave room for the handoff.
     */
    public Map<String, Long> drain(Endpoint node, Duration handoff, Duration timeout) {
        Message answer = askOne(node, new Message.Drain(handoff.toMillis()), timeout);
        if (!(answer instanceof Message.HintCounts counts)) {
            throw new DynamoException(node + " answered a drain with " + answer.getClass().getSimpleName());
        }
        return counts.pending();
    }

    /**
     * Asks {@code node} to remove {@code nodeId}, a member that is down for good, from the ring:
     * its partitions move to the remaining members, streamed from their surviving replicas.
     */
    public void removeNode(Endpoint node, String nodeId, Duration timeout) {
        Message answer = askOne(node, new Message.RemoveNode(nodeId), timeout);
        if (!(answer instanceof Message.Ack)) {
            throw new DynamoException(node + " answered a removal with " + answer.getClass().getSimpleName());
        }
    }

    /**
     * Asks {@code node} to give every partition of {@code dead}, a member that is down and whose
     * data is gone, to {@code replacement}, a joining node outside the ring.
     */
    public void replaceNode(Endpoint node, String dead, String replacement, Duration timeout) {
        Message answer = askOne(node, new Message.ReplaceNode(dead, replacement), timeout);
        if (!(answer instanceof Message.Ack)) {
            throw new DynamoException(node + " answered a replacement with " + answer.getClass().getSimpleName());
        }
    }

    /**
     * Asks {@code node} to start decommissioning {@code nodeId}: its partitions move to the
     * remaining members (follow the progress with {@link #membership}).
     */
    public void decommission(Endpoint node, String nodeId, Duration timeout) {
        Message answer = askOne(node, new Message.Decommission(nodeId), timeout);
        if (!(answer instanceof Message.Ack)) {
            throw new DynamoException(node + " answered a decommission with " + answer.getClass().getSimpleName());
        }
    }

    /**
     * Creates store {@code name} with {@code settings} (keys such as {@code n}, {@code resolver})
     * through {@code node}, which spreads it to every node by gossip. An admin's request; fails
     * with the node's reason (a live store of that name, a bad setting named by its key).
     */
    public void createStore(Endpoint node, String name, Map<String, String> settings, Duration timeout) {
        expectAck(node, new Message.CreateStore(name, settings), timeout, "store create");
    }

    /** Drops store {@code name} through {@code node}: every node drops it and its data. An admin's request. */
    public void dropStore(Endpoint node, String name, Duration timeout) {
        expectAck(node, new Message.DropStore(name), timeout, "store drop");
    }

    /** The stores {@code node} knows: {@code default} first, then its catalog's entries by name, dropped ones included. */
    public List<io.dynamo.core.store.CatalogEntry> stores(Endpoint node, Duration timeout) {
        Message answer = askOne(node, new Message.ListStores(), timeout);
        if (!(answer instanceof Message.StoreList list)) {
            throw new DynamoException(node + " answered a store list request with " + answer.getClass().getSimpleName());
        }
        return list.stores();
    }

    private void expectAck(Endpoint node, Message.Request request, Duration timeout, String what) {
        Message answer = askOne(node, request, timeout);
        if (!(answer instanceof Message.Ack)) {
            throw new DynamoException(node + " answered a " + what + " with " + answer.getClass().getSimpleName());
        }
    }

    private Message askOne(Endpoint node, Message.Request request, Duration timeout) {
        requireNonNull(node, "node is null");
        requireNonNull(timeout, "timeout is null");
        CompletableFuture<Message> answer = transport.request(node, MessageCodec.encode(request), timeout)
                .thenApply(bytes -> {
                    Message decoded = MessageCodec.decode(bytes);
                    if (decoded instanceof Message.Error error) {
                        throw error.toException();
                    }
                    return decoded;
                });
        return scheduler == null ? RealTimeScheduler.awaitFuture(answer, Timeouts.withSlack(timeout))
                : scheduler.await(answer, Timeouts.withSlack(timeout));
    }

    /**
     * With client-coordinated reads and a routing table in hand, an owner of {@code key} in the
     * default store; else null (another store's N is the nodes' to know: a node forwards).
     */
    private Endpoint ownerOf(String store, Bytes key, Duration timeout) {
        return clientReads == null || !store.equals(DEFAULT_STORE) ? null : clientReads.owner(key, timeout).orElse(null);
    }

    /**
     * Sends {@code request} to {@code preferred} first when it is not null (an owner of the key,
     * which coordinates a write without forwarding it), then to the nodes in round-robin order.
     */
    private CompletableFuture<Message.Response> send(String store, Message.Request request, Duration requestTimeout,
            Endpoint preferred) {
        boolean write = request instanceof Message.ClientPut || request instanceof Message.ClientDelete;
        // a write is encoded per attempt, with its deadline
        byte[] payload = write ? null : MessageCodec.encode(Message.InStore.wrap(store, request));
        CompletableFuture<Message.Response> result = new CompletableFuture<>();
        int first = Math.floorMod(next.getAndIncrement(), nodes.size());
        Duration wait = requestTimeout == timeout ? defaultAttemptWait : attemptWait(requestTimeout);
        attempt(new Attempts(store, request, payload, requestTimeout, wait, preferred, first), 0, null, false, result);
        return result;
    }

    /**
     * One request's attempts: {@code preferred} (when not null), then every node from {@code first}
     * on. {@code payload} is the encoded request, or null for a write, whose attempts each carry
     * their own deadline.
     */
    private record Attempts(String store, Message.Request request, byte[] payload, Duration requestTimeout,
            Duration attemptWait, Endpoint preferred, int first) {
        boolean isWrite() {
            return payload == null;
        }

        int count(int nodes) {
            return preferred == null ? nodes : nodes + 1;
        }

        Endpoint target(List<Endpoint> nodes, int tried) {
            if (preferred == null) {
                return nodes.get((first + tried) % nodes.size());
            }
            return tried == 0 ? preferred : nodes.get((first + tried - 1) % nodes.size());
        }
    }

    private static Duration attemptWait(Duration requestTimeout) {
        return Timeouts.withSlack(Timeouts.withSlack(requestTimeout));
    }

    private static List<String> failed(List<String> failures, String failure) {
        List<String> list = failures == null ? new ArrayList<>() : failures;
        list.add(failure);
        return list;
    }

    /** The bytes of the next attempt: a write with its deadline, the request's timeout from now. */
    private byte[] payload(Attempts attempts) {
        if (!attempts.isWrite()) {
            return attempts.payload();
        }
        long deadline = wallClockMillis() + attempts.requestTimeout().toMillis();
        return MessageCodec.encode(Message.InStore.wrap(attempts.store(),
                attempts.request() instanceof Message.ClientPut m ? m.withDeadline(deadline)
                        : ((Message.ClientDelete) attempts.request()).withDeadline(deadline)));
    }

    private long wallClockMillis() {
        return scheduler == null ? System.currentTimeMillis() : scheduler.currentTimeMillis();
    }

    private WriteId nextWriteId() {
        return new WriteId(clientId, writes.incrementAndGet());
    }

    private static long randomClientId() {
        long id;
        do {
            id = new SecureRandom().nextLong();
        } while (id == 0);
        return id;
    }

    /**
     * {@code failures} is null until an attempt failed, so that a request answered at once
     * allocates no list; {@code mayHaveApplied} once a write's attempt failed after a node could
     * have received it.
     */
    private void attempt(Attempts attempts, int tried, List<String> failures, boolean mayHaveApplied,
            CompletableFuture<Message.Response> result) {
        if (tried == attempts.count(nodes.size())) {
            String message = "no node answered: " + String.join("; ", failures);
            result.completeExceptionally(mayHaveApplied
                    ? new UnavailableException(message + ". The write may have been applied: read the key before"
                            + " writing it again", true)
                    : new UnavailableException(message));
            return;
        }
        Endpoint node = attempts.target(nodes, tried);
        CompletableFuture<byte[]> raw;
        try {
            raw = transport.request(node, payload(attempts), attempts.attemptWait());
        } catch (RuntimeException e) {
            raw = CompletableFuture.failedFuture(e);
        }
        raw.whenComplete((bytes, failure) -> {
            if (failure != null) {
                RuntimeException error = RealTimeScheduler.unwrap(failure);
                if (error instanceof TransportException || error instanceof RequestTimeoutException) {
                    tryNext(attempts, tried, failed(failures, node + ": " + error.getMessage()),
                            mayHaveApplied || attempts.isWrite(), result);
                } else {
                    result.completeExceptionally(error);
                }
                return;
            }
            try {
                Message answer = MessageCodec.decode(bytes);
                if (answer instanceof Message.Error error) {
                    if (error.code() == io.dynamo.core.messages.ErrorCode.UNAVAILABLE) {
                        tryNext(attempts, tried, failed(failures, node + ": " + error.message()), mayHaveApplied, result);
                    } else if (error.code() == io.dynamo.core.messages.ErrorCode.TIMEOUT && attempts.isWrite()) {
                        // not confirmed, perhaps applied: the next node recognises the write id if so
                        tryNext(attempts, tried, failed(failures, node + ": " + error.message()), true, result);
                    } else {
                        result.completeExceptionally(error.toException());
                    }
                } else if (answer instanceof Message.Response response) {
                    result.complete(response);
                } else {
                    result.completeExceptionally(new DynamoException(node + " answered with a request"));
                }
            } catch (RuntimeException e) {
                result.completeExceptionally(e);
            }
        });
    }

    /**
     * Attempt {@code tried} reached no node that would take the request: the next one gets it.
     * When that was the owner a write went to first, the next writes (and reads) avoid it a while.
     */
    private void tryNext(Attempts attempts, int tried, List<String> failures, boolean mayHaveApplied,
            CompletableFuture<Message.Response> result) {
        if (tried == 0 && attempts.preferred() != null) {
            clientReads.suspect(attempts.preferred());
        }
        attempt(attempts, tried + 1, failures, mayHaveApplied, result);
    }

    private <T> T await(CompletableFuture<T> future, RequestOptions options) {
        // every attempt is bounded by the transport timeout; this bound only guards against a bug
        Duration bound = timeoutOf(options).multipliedBy(2L * nodes.size() + 4);
        return scheduler == null ? RealTimeScheduler.awaitFuture(future, bound) : scheduler.await(future, bound);
    }

    private Duration timeoutOf(RequestOptions options) {
        requireNonNull(options, "options is null");
        return options.timeout() == null ? timeout : options.timeout();
    }

    private static void requireContext(Context context) {
        if (context == null) {
            throw new InvalidArgumentException("context is null (use Context.EMPTY for a blind write)");
        }
    }


    @Override
    public void close() {
        transport.close();
    }
}
