package io.dynamo.core.antientropy;

import io.dynamo.core.messages.Message;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;

/**
 * How anti-entropy reaches another node: a node passes its
 * {@link io.dynamo.core.coordination.ReplicaClient#send}; tests and benchmarks may connect two
 * nodes' anti-entropy directly. An error answer completes the future exceptionally.
 */
@FunctionalInterface
public interface Peers {
    CompletableFuture<Message.Response> send(String nodeId, Message.Request request, Duration timeout);
}
