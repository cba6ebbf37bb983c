package io.dynamo.core.node;

import io.dynamo.api.ForbiddenException;
import io.dynamo.api.UnavailableException;
import io.dynamo.api.UnknownStoreException;
import io.dynamo.api.Versioned;
import io.dynamo.api.codec.MalformedDataException;
import io.dynamo.core.antientropy.RoundReport;
import io.dynamo.core.coordination.ClusterView;
import io.dynamo.core.coordination.QuorumCoordinator;
import io.dynamo.core.coordination.RealTimeScheduler;
import io.dynamo.core.coordination.ReplicaStore;
import io.dynamo.core.coordination.Siblings;
import io.dynamo.core.handoff.HintStore;
import io.dynamo.core.membership.Membership;
import io.dynamo.core.messages.ErrorCode;
import io.dynamo.core.messages.Message;
import io.dynamo.core.messages.MessageCodec;
import io.dynamo.core.metrics.NodeMetrics;
import io.dynamo.core.metrics.Operation;
import io.dynamo.core.store.CatalogEntry;
import io.dynamo.spi.transport.RequestHandler;
import io.dynamo.spi.transport.Role;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A node's server side: decodes each request, serves replica operations from the local store
 * and hands client operations to the coordinator. Every failure, bad bytes included, becomes an
 * {@link Message.Error} response; the returned future never fails.
 *
 * <p>A request in a {@link Message.InStore} envelope is served by that store's parts, checked by
 * its validator and gated by the role its inner request needs; any other request by the default
 * store's. A store the node does not have is refused with {@link UnknownStoreException} listing
 * the node's stores.
 */
final class NodeRequestHandler implements RequestHandler {
    private static final Logger log = LoggerFactory.getLogger(NodeRequestHandler.class);

    /** The node's stores now: the map is replaced whole when the catalog opens or drops one. */
    private final Supplier<Map<String, StoreRuntime>> stores;
    private final Supplier<ClusterView> view;
    /** Null when the node's view is static. */
    private final Membership membership;
    /** What the node was assembled from, for {@code dynamo plugins --node}. */
    private final Message.PluginList plugins;
    private final NodeMetrics metrics;
    private final Draining draining;
    /** The {@code default} store as this node can tell it, then the stores of its config (version 0), listed first. */
    private final List<CatalogEntry> ownEntries;
    private final java.util.Set<String> ownNames;

    NodeRequestHandler(Supplier<Map<String, StoreRuntime>> stores, Supplier<ClusterView> view, Membership membership,
            Message.PluginList plugins, NodeMetrics metrics, Draining draining, List<CatalogEntry> ownEntries) {
        this.ownEntries = List.copyOf(ownEntries);
        this.ownNames = ownEntries.stream().map(CatalogEntry::name).collect(java.util.stream.Collectors.toUnmodifiableSet());
        this.metrics = metrics;
        this.draining = draining;
        this.plugins = plugins;
        this.membership = membership;
        this.stores = stores;
        this.view = view;
    }

    /** The store {@code name} of {@code stores}; {@link UnknownStoreException} naming it and listing them when absent. */
    static StoreRuntime storeOf(Map<String, StoreRuntime> stores, String name) {
        StoreRuntime store = stores.get(name);
        if (store == null) {
            throw unknownStore(stores, name);
        }
        return store;
    }

    private static UnknownStoreException unknownStore(Map<String, StoreRuntime> stores, String name) {
        return new UnknownStoreException("no store '" + name + "' on this node; its stores are "
                + String.join(", ", stores.keySet()));
    }

    @Override
    public CompletableFuture<byte[]> handle(byte[] request) {
        return handle(Role.PEER, request);
    }

    @Override
    public CompletableFuture<byte[]> handle(Role caller, byte[] request) {
        try {
            Message message = MessageCodec.decode(request);
            if (!(message instanceof Message.Request typed)) {
                throw new MalformedDataException("expected a request, got " + message.getClass().getSimpleName());
            }
            String storeName = Message.InStore.DEFAULT_STORE;
            if (typed instanceof Message.InStore envelope) {
                typed = envelope.request();
                storeName = envelope.store();
            }
            Role required = RequiredRole.of(typed);
            if (!caller.mayActAs(required)) {
                throw new ForbiddenException("a " + name(caller) + " connection may not send "
                        + typed.getClass().getSimpleName() + ": it needs the " + name(required) + " credential");
            }
            Map<String, StoreRuntime> current = stores.get();
            StoreRuntime store = storeOf(current, storeName);
            if (!store.enter()) { // being dropped: as if gone already
                throw unknownStore(current, storeName);
            }
            CompletableFuture<Message.Response> answer;
            try {
                answer = serve(caller, store, store.validator().check(typed));
            } catch (RuntimeException e) {
                store.exit();
                throw e;
            }
            return answer.handle((response, failure) -> { // one stage: leave the store, then encode
                store.exit();
                if (failure != null) {
                    throw failure instanceof CompletionException wrapped ? wrapped : new CompletionException(failure);
                }
                return MessageCodec.encode(response);
            });
        } catch (RuntimeException e) {
            Message.Error error = Message.Error.of(e);
            if (error.code() == ErrorCode.INTERNAL) {
                log.warn("request failed", e);
            } else {
                // the caller's fault (bad bytes, a refused value, a forbidden request): its answer says why, and
                // a stack trace per request would let anyone flood the log
                log.debug("request refused: {}", e.getMessage());
            }
            return CompletableFuture.completedFuture(MessageCodec.encode(error));
        }
    }

    private static String name(Role role) {
        return role.name().toLowerCase(java.util.Locale.ROOT);
    }

    private CompletableFuture<Message.Response> serve(Role caller, StoreRuntime storeRuntime, Message.Request request) {
        QuorumCoordinator coordinator = storeRuntime.coordinator();
        ReplicaStore store = storeRuntime.replicas();
        HintStore hints = storeRuntime.hints();
        boolean clientRequest = request instanceof Message.ClientGet || request instanceof Message.ClientPut
                || request instanceof Message.ClientDelete || request instanceof Message.Routing;
        if (clientRequest && draining.active()) {
            // unavailable: a client fails over to its next node
            throw new UnavailableException("this node is draining: it takes no client requests; send them to another node");
        }
        if (request instanceof Message.ClientGet || request instanceof Message.ClientPut
                || request instanceof Message.ClientDelete) {
            return coordinator.handle(request);
        }
        if (request instanceof Message.Hints) {
            Map<String, Long> counts = new TreeMap<>();
            stores.get().values().forEach(s -> s.hints().countsByOwner().forEach((owner, n) -> counts.merge(owner, n, Long::sum)));
            return done(new Message.HintCounts(counts));
        }
        if (request instanceof Message.Drain m) {
            return draining.begin(java.time.Duration.ofMillis(m.handoffMillis())).thenApply(Message.HintCounts::new);
        }
        if (request instanceof Message.ReplicaRead m) {
            long startNanos = metrics.startNanos();
            List<Versioned> versions = store.read(partitionOf(m.key()), m.key());
            if (m.hintFor().isPresent()) {
                versions = Siblings.merge(versions, hints.get(m.hintFor().get(), m.key()));
            }
            metrics.replica(Operation.GET, startNanos);
            return done(new Message.Versions(versions));
        }
        if (request instanceof Message.ReplicaWrite m) {
            long startNanos = metrics.startNanos();
            if (m.hintFor().isPresent()) {
                hints.add(m.hintFor().get(), m.key(), m.versions());
            } else if (m.ifUnmodified()) {
                Optional<List<Versioned>> refused = store.mergeIfDominating(partitionOf(m.key()), m.key(), m.versions());
                if (refused.isPresent()) {
                    return done(new Message.Conflict(refused.get(), Siblings.mergedClock(refused.get())));
                }
            } else {
                store.mergeAcknowledged(partitionOf(m.key()), m.key(), m.versions());
            }
            metrics.replica(NodeMetrics.writeOperation(m.versions()), startNanos);
            return done(new Message.Ack());
        }
        if (request instanceof Message.HintDelivery m) {
            // acknowledged, the sender forgets its hint: durable first
            store.mergeAcknowledged(partitionOf(m.key()), m.key(), m.versions());
            return done(new Message.Ack());
        }
        if (request instanceof Message.Routing) {
            return done(coordinator.routingTable());
        }
        if (request instanceof Message.Plugins) {
            return done(plugins);
        }
        if (request instanceof Message.Repair m) {
            return answerOrError(storeRuntime.antiEntropy().repair(m.partition()).thenApply(RoundReport::toMessage));
        }
        if (request instanceof Message.ListStores) {
            List<CatalogEntry> listed = new java.util.ArrayList<>(ownEntries);
            if (membership != null) {
                // a catalog store of a name the node config defines is the config's on this node
                membership.stores().entries().values().stream().filter(entry -> !ownNames.contains(entry.name()))
                        .forEach(listed::add);
            }
            return done(new Message.StoreList(listed));
        }
        if (request instanceof Message.Gossip || request instanceof Message.StreamPartition
                || request instanceof Message.CreateStore || request instanceof Message.DropStore
                || request instanceof Message.Decommission || request instanceof Message.HoldsPartitions
                || request instanceof Message.RemoveNode || request instanceof Message.ReplaceNode) {
            if (membership == null) {
                throw new UnavailableException("this node's membership is static (no gossip)");
            }
            if (request instanceof Message.Gossip m) {
                // only a peer's state is merged; anyone else just looks at this node's
                return done(caller == Role.PEER ? membership.onGossip(m) : new Message.GossipAck(membership.state()));
            }
            if (request instanceof Message.CreateStore m) {
                if (ownNames.contains(m.name()) && !m.name().equals(Message.InStore.DEFAULT_STORE)) {
                    throw new io.dynamo.api.InvalidArgumentException("store " + m.name() + " is defined in this node's"
                            + " config (store." + m.name() + ".*); a store of the catalog cannot take its name");
                }
                membership.createStore(m.name(), m.settings());
                return done(new Message.Ack());
            }
            if (request instanceof Message.DropStore m) {
                membership.dropStore(m.name());
                return done(new Message.Ack());
            }
            if (request instanceof Message.HoldsPartitions m) {
                return done(membership.onHolds(storeRuntime.name(), m));
            }
            if (request instanceof Message.StreamPartition m) {
                // scans on the node's executor, not this thread
                return answerOrError(membership.onStream(storeRuntime.name(), m).thenApply(batch -> {
                    metrics.streamed(batch);
                    return batch;
                }));
            }
            if (request instanceof Message.RemoveNode m) {
                membership.forceRemove(m.nodeId());
                return done(new Message.Ack());
            }
            if (request instanceof Message.ReplaceNode m) {
                membership.replace(m.dead(), m.replacement());
                return done(new Message.Ack());
            }
            membership.decommission(((Message.Decommission) request).nodeId());
            return done(new Message.Ack());
        }
        Optional<CompletableFuture<Message.Response>> antiEntropyAnswer = storeRuntime.antiEntropy().handle(request);
        if (antiEntropyAnswer.isPresent()) {
            return answerOrError(antiEntropyAnswer.get());
        }
        return done(new Message.Ack()); // Ping
    }

    private int partitionOf(io.dynamo.api.Bytes key) {
        return view.get().ring().partitionOf(key);
    }

    /** Anti-entropy and stream work completes later, on an executor: a failure then becomes an error answer too. */
    private static CompletableFuture<Message.Response> answerOrError(CompletableFuture<? extends Message.Response> answer) {
        return answer.handle((response, failure) -> {
            if (failure == null) {
                return response;
            }
            RuntimeException error = RealTimeScheduler.unwrap(failure);
            log.warn("request failed on the node's executor", error);
            return Message.Error.of(error);
        });
    }

    private static CompletableFuture<Message.Response> done(Message.Response response) {
        return CompletableFuture.completedFuture(response);
    }
}
