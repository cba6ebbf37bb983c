package io.dynamo.core.transport.local;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.dynamo.api.RequestTimeoutException;
import io.dynamo.core.coordination.Scheduler;
import io.dynamo.spi.transport.Endpoint;
import io.dynamo.spi.transport.Transport;
import io.dynamo.spi.transport.TransportException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/** The simulated network's faults, crashes and replay, message by message. */
class LocalNetworkTest {
    private static final Duration TIMEOUT = Duration.ofMillis(100);

    private static Transport echoServer(LocalNetwork network, String id, AtomicInteger calls) {
        Transport transport = network.transport(id);
        transport.bind(new Endpoint(id), request -> {
            calls.incrementAndGet();
            return CompletableFuture.completedFuture(request);
        });
        return transport;
    }

    /** What {@code response} fails with; waiting runs the simulation. */
    private static Throwable failure(LocalNetwork network, CompletableFuture<byte[]> response) {
        return assertThrows(RuntimeException.class, () -> network.await(response, Duration.ofSeconds(5)));
    }

    @Test
    void delaysMessagesOnVirtualTime() {
        try (LocalNetwork network = LocalNetwork.simulated(1)) {
            network.setFaults(Faults.delay(Duration.ofMillis(40), Duration.ofMillis(40)));
            echoServer(network, "server", new AtomicInteger());
            long start = network.currentTimeMillis();
            byte[] answer = network.await(network.transport("client").request(new Endpoint("server"), new byte[] {7},
                    Duration.ofSeconds(1)), Duration.ofSeconds(5));
            assertArrayEquals(new byte[] {7}, answer);
            assertEquals(80, network.currentTimeMillis() - start, "40 ms there, 40 ms back");
        }
    }

    @Test
    void droppedMessagesTimeOut() {
        try (LocalNetwork network = LocalNetwork.simulated(2)) {
            network.setFaults(Faults.NONE.withDropRate(1));
            AtomicInteger calls = new AtomicInteger();
            echoServer(network, "server", calls);
            Throwable failure = failure(network, network.transport("client").request(new Endpoint("server"), new byte[1], TIMEOUT));
            assertInstanceOf(RequestTimeoutException.class, failure);
            assertEquals(0, calls.get());
            assertEquals(NetworkEvent.Fate.DROPPED, network.history().get(0).fate());
        }
    }

    @Test
    void duplicatedRequestsReachTheHandlerTwice() {
        try (LocalNetwork network = LocalNetwork.simulated(3)) {
            network.setFaults(Faults.NONE.withDuplicateRate(1));
            AtomicInteger calls = new AtomicInteger();
            echoServer(network, "server", calls);
            network.await(network.transport("client").request(new Endpoint("server"), new byte[1], TIMEOUT), TIMEOUT);
            network.runFor(Duration.ofMillis(10));
            assertEquals(2, calls.get());
        }
    }

    @Test
    void reorderingLetsLaterMessagesOvertake() {
        try (LocalNetwork network = LocalNetwork.simulated(4)) {
            network.setFaults(Faults.delay(Duration.ofMillis(1), Duration.ofMillis(1)).withReordering(0.5, Duration.ofMillis(50)));
            List<Byte> arrivals = new ArrayList<>();
            Transport server = network.transport("server");
            server.bind(new Endpoint("server"), request -> {
                arrivals.add(request[0]);
                return CompletableFuture.completedFuture(request);
            });
            Transport client = network.transport("client");
            for (int i = 0; i < 20; i++) {
                client.request(new Endpoint("server"), new byte[] {(byte) i}, Duration.ofSeconds(1));
            }
            network.runFor(Duration.ofSeconds(1));
            assertEquals(20, arrivals.size());
            List<Byte> sorted = new ArrayList<>(arrivals);
            sorted.sort(null);
            assertNotEquals(sorted, arrivals, "some message overtook another");
        }
    }

    @Test
    void partitionsCutGroupsApartUntilHealed() {
        try (LocalNetwork network = LocalNetwork.simulated(5)) {
            AtomicInteger calls = new AtomicInteger();
            echoServer(network, "a", calls);
            Transport b = echoServer(network, "b", calls);
            network.partition(List.of(List.of("a"), List.of("b")));
            assertInstanceOf(RequestTimeoutException.class, failure(network, b.request(new Endpoint("a"), new byte[1], TIMEOUT)));
            Transport client = network.transport("client");
            network.await(client.request(new Endpoint("a"), new byte[1], TIMEOUT), TIMEOUT); // clients reach everyone
            network.heal();
            network.await(b.request(new Endpoint("a"), new byte[1], TIMEOUT), TIMEOUT);
        }
    }

    @Test
    void aCrashedNodeIsRefusedAndItsTimersStop() {
        try (LocalNetwork network = LocalNetwork.simulated(6)) {
            AtomicInteger calls = new AtomicInteger();
            echoServer(network, "server", calls);
            Scheduler timers = network.scheduler("server");
            AtomicInteger fired = new AtomicInteger();
            timers.schedule(Duration.ofMillis(50), fired::incrementAndGet);
            network.crash("server");
            Transport client = network.transport("client");
            assertInstanceOf(TransportException.class, failure(network, client.request(new Endpoint("server"), new byte[1], TIMEOUT)));
            network.runFor(Duration.ofMillis(100));
            assertEquals(0, fired.get(), "a dead incarnation's timer fired");

            network.restart("server");
            echoServer(network, "server", calls);
            network.await(client.request(new Endpoint("server"), new byte[1], TIMEOUT), TIMEOUT);
            assertEquals(1, calls.get());
        }
    }

    @Test
    void theSameSeedGivesTheSameHistory() {
        assertEquals(randomTraffic(42), randomTraffic(42));
        assertNotEquals(randomTraffic(42), randomTraffic(43));
    }

    private static List<NetworkEvent> randomTraffic(long seed) {
        try (LocalNetwork network = LocalNetwork.simulated(seed)) {
            network.setFaults(Faults.delay(Duration.ofMillis(1), Duration.ofMillis(30)).withDropRate(0.2)
                    .withDuplicateRate(0.2).withReordering(0.3, Duration.ofMillis(20)));
            AtomicInteger calls = new AtomicInteger();
            for (String id : List.of("a", "b", "c")) {
                echoServer(network, id, calls);
            }
            Transport client = network.transport("client");
            for (int i = 0; i < 100; i++) {
                client.request(new Endpoint(List.of("a", "b", "c").get(i % 3)), new byte[] {(byte) i}, TIMEOUT);
            }
            network.runFor(Duration.ofSeconds(1));
            assertTrue(network.history().size() > 100);
            return network.history();
        }
    }

    @Test
    void waitingFromAnotherThreadIsRefused() throws Exception {
        try (LocalNetwork network = LocalNetwork.simulated(7)) {
            network.runFor(Duration.ofMillis(1));
            Throwable[] seen = new Throwable[1];
            Thread other = new Thread(() -> {
                try {
                    network.runFor(Duration.ofMillis(1));
                } catch (IllegalStateException e) {
                    seen[0] = e;
                }
            });
            other.start();
            other.join();
            assertInstanceOf(IllegalStateException.class, seen[0]);
        }
    }
}
