package io.dynamo.core.client;

import io.dynamo.api.Bytes;
import io.dynamo.api.DynamoException;
import io.dynamo.api.ReadResult;
import io.dynamo.api.Versioned;
import io.dynamo.core.coordination.QuorumCoordinator;
import io.dynamo.core.coordination.Siblings;
import io.dynamo.core.messages.Message;
import io.dynamo.core.messages.MessageCodec;
import io.dynamo.core.ring.Ring;
import io.dynamo.spi.partition.Partitioner;
import io.dynamo.spi.transport.Endpoint;
import io.dynamo.spi.transport.Transport;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReferenceArray;
import java.util.function.Function;
import java.util.function.LongSupplier;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Reads the client coordinates itself, the Dynamo paper's client-driven coordination (§6.4): it
 * asks R of the key's N replicas directly, in parallel, and reconciles their answers as a node's
 * coordinator does (dominated versions dropped, the clocks merged into the context, equal values
 * shown once), then repairs a replica whose answer lacked some of the result. This saves the hop
 * from a coordinating node to the other replicas.
 *
 * <p>The client learns the ring from a node ({@link Message.Routing}), places keys on it with the
 * partitioner the node names (made by the client's {@code partitioners}, once per name), and
 * asks again every {@link #REFRESH} (at once, of the next node, when one fails to answer); until
 * it knows one, when its table is older than {@link #MAX_AGE}, while the node says no
 * (partitions moving, or a resolver that does more than drop dominated versions), and when it
 * cannot make the partitioner, it leaves reads to the nodes. So it does when a replica it would
 * ask failed in the last {@link #SUSPECT_FOR}, and when a replica fails to answer: the read is
 * then passed to a node, which has the sloppy quorum, the stand-ins and the hints a client lacks.
 */
final class ClientReads {
    private static final Logger log = LoggerFactory.getLogger(ClientReads.class);
    static final Duration REFRESH = Duration.ofSeconds(2);
    /**
     * The oldest table the client reads by, when refreshing fails: below the nodes' default
     * {@code membership.settle-delay} (5 s), after which a node may drop copies it no longer owns.
     */
    static final Duration MAX_AGE = Duration.ofSeconds(4);
    static final Duration SUSPECT_FOR = Duration.ofSeconds(2);

    private final Transport transport;
    private final List<Endpoint> nodes;
    private final Function<String, Partitioner> partitioners;
    private final LongSupplier clockMillis;
    private final AtomicInteger next = new AtomicInteger();
    private final AtomicBoolean refreshing = new AtomicBoolean();
    private final Map<String, Long> suspectedUntil = new ConcurrentHashMap<>();
    /** Empty when the client must leave reads to the nodes. */
    private volatile Optional<Routing> routing = Optional.empty();
    private volatile long nextRefreshAt;
    /** The partitioner last named by the cluster; empty when the client could not make it. Guarded by {@code refreshing}. */
    private Placement placement;

    /** @param misplaces whether it was found to place keys differently from the cluster's */
    private record Placement(String name, Optional<Partitioner> partitioner, boolean misplaces) {}

    /** A routing table turned into a ring, and when it arrived. */
    private record Routing(Ring ring, Map<String, Endpoint> endpoints, int replicas, int readQuorum, long receivedAt) {}

    /** {@code partitioners} makes the partitioner of a name, and throws when the client has none of it. */
    ClientReads(Transport transport, List<Endpoint> nodes, Function<String, Partitioner> partitioners,
            LongSupplier clockMillis) {
        this.transport = transport;
        this.nodes = nodes;
        this.partitioners = partitioners;
        this.clockMillis = clockMillis;
    }

    /**
     * Reads {@code key} at {@code quorum} replicas (0: the cluster's R), or passes the read to
     * {@code viaNode} when the client cannot coordinate it.
     */
    CompletableFuture<ReadResult> read(Bytes key, int quorum, Duration timeout,
            Supplier<CompletableFuture<ReadResult>> viaNode) {
        long now = clockMillis.getAsLong();
        Optional<Routing> known = usableTable(now, timeout);
        if (known.isEmpty()) {
            return viaNode.get();
        }
        Routing table = known.get();
        int required = quorum == 0 ? table.readQuorum() : quorum;
        List<String> asked = replicasToAsk(table, key, required, now);
        if (asked.isEmpty()) {
            return viaNode.get();
        }
        return ask(table, key, asked, timeout, viaNode);
    }

    /**
     * An owner of {@code key} to send a write to (from a rotating start, not suspected), which
     * coordinates it without forwarding it to an owner; empty when the client has no usable
     * routing table.
     */
    Optional<Endpoint> owner(Bytes key, Duration timeout) {
        long now = clockMillis.getAsLong();
        return usableTable(now, timeout).flatMap(table ->
                replicasToAsk(table, key, 1, now).stream().findFirst().map(table.endpoints()::get));
    }

    /** Suspects the member at {@code endpoint} for {@link #SUSPECT_FOR}: a write sent to it failed. */
    void suspect(Endpoint endpoint) {
        routing.ifPresent(table -> table.endpoints().forEach((id, address) -> {
            if (address.equals(endpoint)) {
                suspect(id);
            }
        }));
    }

    private void suspect(String member) {
        suspectedUntil.put(member, clockMillis.getAsLong() + SUSPECT_FOR.toMillis());
    }

    /** The routing table in hand unless it is older than {@link #MAX_AGE}; asks for a new one when due. */
    private Optional<Routing> usableTable(long now, Duration timeout) {
        refreshIfDue(now, timeout);
        Optional<Routing> known = routing;
        return known.isPresent() && now - known.get().receivedAt() <= MAX_AGE.toMillis() ? known : Optional.empty();
    }

    /** {@code required} of the key's replicas, from a rotating start, none suspected; empty if there are not enough. */
    private List<String> replicasToAsk(Routing table, Bytes key, int required, long now) {
        if (required > table.replicas()) {
            return List.of(); // the node answers with the error
        }
        List<String> owners = table.ring().preferenceList(key, table.replicas());
        int start = Math.floorMod(next.getAndIncrement(), owners.size());
        List<String> asked = new ArrayList<>(required);
        for (int i = 0; i < owners.size() && asked.size() < required; i++) {
            String owner = owners.get((start + i) % owners.size());
            Long until = suspectedUntil.get(owner);
            if (until == null || until <= now) {
                asked.add(owner);
            }
        }
        return asked.size() == required ? asked : List.of();
    }

    private CompletableFuture<ReadResult> ask(Routing table, Bytes key, List<String> asked, Duration timeout,
            Supplier<CompletableFuture<ReadResult>> viaNode) {
        CompletableFuture<ReadResult> result = new CompletableFuture<>();
        byte[] request = MessageCodec.encode(new Message.ReplicaRead(key, Optional.empty()));
        AtomicReferenceArray<List<Versioned>> answers = new AtomicReferenceArray<>(asked.size());
        AtomicInteger waiting = new AtomicInteger(asked.size());
        AtomicBoolean failed = new AtomicBoolean();
        // half the timeout, so that a silent replica leaves time to read through a node
        Duration attempt = timeout.dividedBy(2).isZero() ? timeout : timeout.dividedBy(2);
        for (int i = 0; i < asked.size(); i++) {
            int index = i;
            String owner = asked.get(i);
            request(table.endpoints().get(owner), request, attempt).whenComplete((answer, failure) -> {
                if (failure == null && answer instanceof Message.Versions versions) {
                    answers.set(index, versions.versions());
                    if (waiting.decrementAndGet() == 0 && !failed.get()) {
                        complete(result, () -> reconcile(table, key, asked, answers, timeout));
                    }
                    return;
                }
                suspect(owner);
                log.debug("replica {} did not answer a read of {} ({}): reading through a node", owner, key,
                        failure != null ? failure.getMessage() : answer);
                if (failed.compareAndSet(false, true)) {
                    viaNode.get().whenComplete((read, error) -> {
                        if (error != null) {
                            result.completeExceptionally(error);
                        } else {
                            result.complete(read);
                        }
                    });
                }
            });
        }
        return result;
    }

    private ReadResult reconcile(Routing table, Bytes key, List<String> asked,
            AtomicReferenceArray<List<Versioned>> answers, Duration timeout) {
        List<Versioned> all = new ArrayList<>();
        for (int i = 0; i < answers.length(); i++) {
            all.addAll(answers.get(i));
        }
        List<Versioned> resolved = Siblings.reduce(all);
        for (int i = 0; i < asked.size(); i++) {
            if (!resolved.isEmpty() && !Siblings.covers(answers.get(i), resolved)) {
                log.debug("read repair of {} on {}", key, asked.get(i));
                request(table.endpoints().get(asked.get(i)),
                        MessageCodec.encode(new Message.ReplicaWrite(key, resolved, Optional.empty())), timeout)
                        .exceptionally(failure -> null); // best effort, as a node's; anti-entropy catches up
            }
        }
        return QuorumCoordinator.toReadResult(key, QuorumCoordinator.readAnswer(all, resolved));
    }

    private CompletableFuture<Message> request(Endpoint endpoint, byte[] request, Duration timeout) {
        try {
            return transport.request(endpoint, request, timeout).thenApply(MessageCodec::decode);
        } catch (RuntimeException e) {
            return CompletableFuture.failedFuture(e);
        }
    }

    private static <T> void complete(CompletableFuture<T> result, Supplier<T> value) {
        try {
            result.complete(value.get());
        } catch (RuntimeException e) {
            result.completeExceptionally(e);
        }
    }

    /**
     * The table as a ring of the partitioner it names; empty, with a warning, when the client
     * cannot make that partitioner or its one places keys differently from the cluster's.
     */
    private Optional<Routing> usable(Endpoint node, Message.RoutingTable table) {
        Optional<Partitioner> partitioner = partitioner(table.partitioner());
        if (partitioner.isEmpty()) {
            return Optional.empty();
        }
        Ring ring = Ring.fromAssignment(table.assignment(), partitioner.get());
        if (!Message.RoutingTable.probePartitions(ring::partitionOf).equals(table.probes())) {
            if (!placement.misplaces()) { // once, not at every refresh
                log.warn("this client's partitioner {} places keys differently from the cluster's (asked {}):"
                        + " reads go through the nodes", table.partitioner(), node);
                placement = new Placement(placement.name(), placement.partitioner(), true);
            }
            return Optional.empty();
        }
        return Optional.of(new Routing(ring, table.endpoints(), table.replicas(), table.readQuorum(),
                clockMillis.getAsLong()));
    }

    private Optional<Partitioner> partitioner(String name) {
        if (placement == null || !placement.name().equals(name)) {
            try {
                placement = new Placement(name, Optional.of(partitioners.apply(name)), false);
            } catch (RuntimeException e) {
                log.warn("cannot make the cluster's partitioner {} ({}): reads go through the nodes", name, e.getMessage());
                placement = new Placement(name, Optional.empty(), false);
            }
        }
        return placement.partitioner();
    }

    /** Asks a node for the routing table when the last one is older than {@link #REFRESH}; never waits for it. */
    private void refreshIfDue(long now, Duration timeout) {
        if (now < nextRefreshAt || !refreshing.compareAndSet(false, true)) {
            return;
        }
        Endpoint node = nodes.get(Math.floorMod(next.getAndIncrement(), nodes.size()));
        request(node, MessageCodec.encode(new Message.Routing()), timeout).whenComplete((answer, failure) -> {
            long answeredAt = clockMillis.getAsLong();
            try {
                if (failure == null && answer instanceof Message.RoutingTable table) {
                    routing = table.clientReads() ? usable(node, table) : Optional.empty();
                    nextRefreshAt = answeredAt + REFRESH.toMillis();
                } else {
                    // the table in hand serves until MAX_AGE; the next read asks the next node
                    log.debug("no routing table from {}: {}", node, failure != null ? failure.getMessage() : answer);
                    nextRefreshAt = answeredAt;
                }
            } catch (DynamoException e) {
                routing = Optional.empty();
                nextRefreshAt = answeredAt + REFRESH.toMillis();
                log.warn("cannot use the routing table from {}: {}", node, e.getMessage());
            } finally {
                refreshing.set(false);
            }
        });
    }
}
