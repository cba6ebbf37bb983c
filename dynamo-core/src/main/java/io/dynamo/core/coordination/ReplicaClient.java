package io.dynamo.core.coordination;

import static java.util.Objects.requireNonNull;

import io.dynamo.api.DynamoException;
import io.dynamo.api.RequestTimeoutException;
import io.dynamo.core.messages.Message;
import io.dynamo.core.messages.MessageCodec;
import io.dynamo.spi.transport.Endpoint;
import io.dynamo.spi.transport.Transport;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.function.Supplier;

/**
 * Sends messages to peers by node id and decodes their answers, telling the failure detector
 * how each peer did. An {@link Message.Error} answer completes the future exceptionally with the
 * matching exception, but counts as the peer being up. Never blocks.
 *
 * <p>A client {@linkplain #forStore for a store} other than the default one sends every request
 * about that store's keys and partitions in a {@link Message.InStore} envelope (others, such as a
 * {@link Message.Ping}, go as they are), so whoever sends through it need not know its store.
 */
public final class ReplicaClient {
    private final Transport transport;
    private final Supplier<ClusterView> view;
    private final FailureDetector detector;
    private final MessageValidator validator;
    private final Duration suspectAfter;
    /** The store of the requests sent, {@link Message.InStore#DEFAULT_STORE} for no envelope. */
    private final String store;

    /**
     * A client whose answers are checked by {@code validator} before anyone uses them. A peer that
     * does not answer is suspected only when it had at least {@code suspectAfter} to do so: a
     * request's own short deadline (a client may ask for 1 ms) says nothing about the peer.
     */
    public ReplicaClient(Transport transport, Supplier<ClusterView> view, FailureDetector detector,
            MessageValidator validator, Duration suspectAfter) {
        this(transport, view, detector, validator, suspectAfter, Message.InStore.DEFAULT_STORE);
    }

    private ReplicaClient(Transport transport, Supplier<ClusterView> view, FailureDetector detector,
            MessageValidator validator, Duration suspectAfter, String store) {
        this.store = requireNonNull(store, "store is null");
        this.suspectAfter = requireNonNull(suspectAfter, "suspectAfter is null");
        this.validator = requireNonNull(validator, "validator is null");
        this.transport = requireNonNull(transport, "transport is null");
        this.view = requireNonNull(view, "view is null");
        this.detector = requireNonNull(detector, "detector is null");
    }

    /**
     * A client sending the requests of {@code storeName} (checked against its
     * {@code storeValidator}) over the same transport, seen by the same failure detector.
     */
    public ReplicaClient forStore(String storeName, MessageValidator storeValidator, Duration storeSuspectAfter) {
        return new ReplicaClient(transport, view, detector, storeValidator, storeSuspectAfter, storeName);
    }

    /** Sends {@code request} to {@code nodeId}; completes with its non-error answer. */
    public CompletableFuture<Message.Response> send(String nodeId, Message.Request request, Duration timeout) {
        CompletableFuture<byte[]> raw;
        try {
            // an unknown id (a hint for a node that left) fails this send only, never its caller's loop
            Endpoint endpoint = view.get().endpoint(nodeId);
            Message.Request addressed = Message.InStore.isStoreScoped(request) ? Message.InStore.wrap(store, request)
                    : request;
            raw = transport.request(endpoint, MessageCodec.encode(addressed), timeout);
        } catch (RuntimeException e) {
            raw = CompletableFuture.failedFuture(e);
        }
        CompletableFuture<Message.Response> answer = new CompletableFuture<>();
        raw.whenComplete((bytes, failure) -> {
            if (failure != null) {
                RuntimeException cause = RealTimeScheduler.unwrap(failure);
                if (!(cause instanceof RequestTimeoutException) || timeout.compareTo(suspectAfter) >= 0) {
                    detector.reportFailure(nodeId);
                }
                answer.completeExceptionally(cause);
                return;
            }
            detector.reportSuccess(nodeId);
            Message decoded;
            try {
                decoded = MessageCodec.decode(bytes);
                if (decoded instanceof Message.Response response && !(decoded instanceof Message.Error)) {
                    decoded = validator.checkAnswer(request, response); // a batch may come back without its bad keys
                }
            } catch (DynamoException e) {
                answer.completeExceptionally(e);
                return;
            }
            if (decoded instanceof Message.Error error) {
                answer.completeExceptionally(error.toException());
            } else if (decoded instanceof Message.Response response) {
                answer.complete(response);
            } else {
                answer.completeExceptionally(new DynamoException(nodeId + " answered with a request: " + decoded));
            }
        });
        return answer;
    }
}
