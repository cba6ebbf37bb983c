package io.dynamo.server;

import io.dynamo.api.Condition;
import io.dynamo.api.DynamoStore;
import io.dynamo.api.InvalidArgumentException;
import io.dynamo.api.RequestOptions;
import io.dynamo.core.client.DynamoClient;
import io.dynamo.spi.transport.Endpoint;
import java.time.Duration;
import java.util.List;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** The options of every command that reads or writes keys: the cluster, the store, a timeout and a quorum. */
final class ClientOptions {
    @Mixin ClusterOptions cluster;

    @Option(names = "--timeout", paramLabel = "DURATION", defaultValue = "5s", converter = DurationConverter.class,
            description = "How long one request may take, e.g. 500ms, 5s (default: ${DEFAULT-VALUE}).")
    Duration timeout;

    @Option(names = "--quorum", paramLabel = "Q", defaultValue = "0",
            description = "Replicas that must answer (R for a read, W for a write); 0 keeps the cluster's setting.")
    int quorum;

    @Option(names = "--store", paramLabel = "NAME", split = ",", defaultValue = "default",
            description = "The store the keys are in (default: ${DEFAULT-VALUE}); `dynamo store list` lists them.")
    List<String> stores;

    List<Endpoint> endpoints() {
        return cluster.endpoints();
    }

    /** A client for the nodes these options name, with their timeout and transport settings. */
    DynamoClient open(StoreOpener opener) {
        return open(opener, false);
    }

    /** As {@link #open(StoreOpener)}; with {@code coordinateReads}, the client coordinates its reads (see {@link StoreOpener}). */
    DynamoClient open(StoreOpener opener, boolean coordinateReads) {
        return opener.open(endpoints(), timeout, cluster.transportConfig(), coordinateReads);
    }

    /** The one store {@code --store} names, reached through {@code client} (which owns the connections). */
    DynamoStore store(DynamoClient client) {
        if (stores.size() != 1) {
            throw new InvalidArgumentException("--store takes one store here, not " + stores);
        }
        return client.store(stores.get(0));
    }

    /** Every store {@code --store} names, in order, reached through {@code client}. */
    List<DynamoStore> stores(DynamoClient client) {
        return stores.stream().map(client::store).toList();
    }

    RequestOptions requestOptions() {
        if (quorum < 0) {
            throw new IllegalArgumentException("--quorum must not be negative: " + quorum);
        }
        return new RequestOptions(quorum, timeout);
    }

    /** {@link #requestOptions()} for a write with {@code --pw} and {@code --if-unmodified}. */
    RequestOptions writeOptions(int pw, boolean ifUnmodified) {
        return requestOptions().withPrimaries(primaries("--pw", pw))
                .withCondition(ifUnmodified ? Condition.IF_UNMODIFIED : Condition.NONE);
    }

    /** A --pr or --pw value: not negative (at most N, which the coordinator checks). */
    static int primaries(String option, int value) {
        if (value < 0) {
            throw new IllegalArgumentException(option + " must not be negative: " + value);
        }
        return value;
    }
}
