package io.dynamo.core.transport.local;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.dynamo.api.RequestTimeoutException;
import io.dynamo.core.coordination.Scheduler;
import io.dynamo.spi.transport.Endpoint;
import io.dynamo.spi.transport.Transport;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/** Per-node clock skew, one-way cuts and pauses of the simulated network. */
class LocalNetworkSkewCutPauseTest {
    private static final Duration TIMEOUT = Duration.ofMillis(100);

    private static void echoServer(LocalNetwork network, String id, AtomicInteger calls) {
        Transport transport = network.transport(id);
        transport.bind(new Endpoint(id), request -> {
            calls.incrementAndGet();
            return CompletableFuture.completedFuture(request);
        });
    }

    @Test
    void skewMovesOnlyThatNodesWallClock() {
        try (LocalNetwork network = LocalNetwork.simulated(1)) {
            network.setClockSkew("node-1", Duration.ofSeconds(-3));
            Scheduler skewed = network.scheduler("node-1");
            Scheduler exact = network.scheduler("node-2");
            assertEquals(-3000, skewed.currentTimeMillis() - exact.currentTimeMillis());
            assertEquals(skewed.monotonicMillis(), exact.monotonicMillis(), "monotonic time is not skewed");
            network.setClockSkew("node-1", Duration.ZERO);
            assertEquals(exact.currentTimeMillis(), skewed.currentTimeMillis());
        }
    }

    @Test
    void oneWayCutLosesOneDirectionUntilHealed() {
        try (LocalNetwork network = LocalNetwork.simulated(2)) {
            AtomicInteger aCalls = new AtomicInteger();
            AtomicInteger bCalls = new AtomicInteger();
            echoServer(network, "a", aCalls);
            echoServer(network, "b", bCalls);
            network.cutOneWay(List.of("a"), List.of("b"));
            Throwable failure = assertThrows(RuntimeException.class, () -> network.await(
                    network.transport("a").request(new Endpoint("b"), new byte[1], TIMEOUT), Duration.ofSeconds(1)));
            assertInstanceOf(RequestTimeoutException.class, failure);
            assertEquals(0, bCalls.get());
            // b reaches a, but a's answer travels the cut direction and is lost.
            assertThrows(RuntimeException.class, () -> network.await(
                    network.transport("b").request(new Endpoint("a"), new byte[1], TIMEOUT), Duration.ofSeconds(1)));
            assertEquals(1, aCalls.get());
            network.heal();
            assertArrayEquals(new byte[] {5}, network.await(
                    network.transport("a").request(new Endpoint("b"), new byte[] {5}, TIMEOUT), Duration.ofSeconds(1)));
        }
    }

    @Test
    void pausedNodeHandlesHeldMessagesWhenItWakes() {
        try (LocalNetwork network = LocalNetwork.simulated(3)) {
            AtomicInteger calls = new AtomicInteger();
            echoServer(network, "server", calls);
            network.pause("server", Duration.ofMillis(500));
            CompletableFuture<byte[]> early = network.transport("client").request(new Endpoint("server"), new byte[1], TIMEOUT);
            assertThrows(RuntimeException.class, () -> network.await(early, Duration.ofSeconds(1)));
            network.runFor(Duration.ofMillis(450));
            assertEquals(1, calls.get(), "the held request ran once the server woke");
            assertArrayEquals(new byte[] {9}, network.await(
                    network.transport("client").request(new Endpoint("server"), new byte[] {9}, TIMEOUT), Duration.ofSeconds(1)));
        }
    }
}
