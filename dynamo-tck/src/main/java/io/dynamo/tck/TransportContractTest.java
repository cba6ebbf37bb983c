package io.dynamo.tck;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import io.dynamo.api.RequestTimeoutException;
import io.dynamo.spi.transport.Endpoint;
import io.dynamo.spi.transport.RequestHandler;
import io.dynamo.spi.transport.Transport;
import io.dynamo.spi.transport.TransportException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * The contract of {@link Transport}. Subclass it once per transport and say how to make one and
 * where it may listen:
 *
 * <pre>{@code
 * class TcpTransportTest extends TransportContractTest {
 *     protected Transport newTransport() { return new TcpTransport(...); }
 *     protected Endpoint bindAddress(String name) { return Endpoint.of("127.0.0.1", 0); }
 * }
 * }</pre>
 *
 * <p>Every transport a test makes through {@link #transport()} is closed after it. Transports
 * of one test must reach each other (an in-process transport shares one network per test
 * instance).
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
public abstract class TransportContractTest {
    /** Long enough for a loaded machine; a test only waits this long when something is wrong. */
    private static final Duration TIMEOUT = Duration.ofSeconds(10);
    private static final long WAIT_SECONDS = 20;

    private final List<Transport> transports = new ArrayList<>();

    /** A new, unbound transport. */
    protected abstract Transport newTransport();

    /**
     * The address a transport named {@code name} binds to: a loopback {@code host:0} for a
     * network transport, a node id for an in-process one. Names are distinct within a test.
     */
    protected abstract Endpoint bindAddress(String name);

    /** A transport closed after the test. */
    protected final Transport transport() {
        Transport transport = newTransport();
        transports.add(transport);
        return transport;
    }

    /** A transport serving {@code handler}, and the endpoint peers reach it at. */
    protected final Server server(String name, RequestHandler handler) {
        Transport transport = transport();
        Endpoint endpoint = transport.bind(bindAddress(name), handler);
        assertNotNull(endpoint, "bind returned no endpoint");
        return new Server(transport, endpoint);
    }

    /** A bound transport and its endpoint. */
    protected record Server(Transport transport, Endpoint endpoint) {}

    @AfterEach
    final void closeTransports() {
        for (Transport transport : transports) {
            transport.close();
        }
    }

    private static RequestHandler echo(String prefix) {
        return request -> CompletableFuture.completedFuture(concat(prefix.getBytes(StandardCharsets.UTF_8), request));
    }

    private static byte[] concat(byte[] a, byte[] b) {
        byte[] joined = new byte[a.length + b.length];
        System.arraycopy(a, 0, joined, 0, a.length);
        System.arraycopy(b, 0, joined, a.length, b.length);
        return joined;
    }

    private static byte[] utf8(String text) {
        return text.getBytes(StandardCharsets.UTF_8);
    }

    private static byte[] await(CompletableFuture<byte[]> response) throws Exception {
        return response.get(WAIT_SECONDS, TimeUnit.SECONDS);
    }

    /** Waits for {@code response} to fail and returns why. */
    private static Throwable failureOf(CompletableFuture<byte[]> response) throws InterruptedException {
        try {
            byte[] answer = response.get(WAIT_SECONDS, TimeUnit.SECONDS);
            return fail("expected a failure, got a response of " + answer.length + " bytes");
        } catch (ExecutionException e) {
            return e.getCause();
        } catch (TimeoutException e) {
            return fail("the future neither completed nor failed within " + WAIT_SECONDS + " s");
        }
    }

    @Test
    void requestAndResponseRoundTrip() throws Exception {
        Server server = server("server", echo("re:"));
        Transport client = transport();
        assertArrayEquals(utf8("re:hello"), await(client.request(server.endpoint(), utf8("hello"), TIMEOUT)));
    }

    @Test
    void emptyPayloadsRoundTrip() throws Exception {
        Server server = server("server", request -> CompletableFuture.completedFuture(new byte[0]));
        assertArrayEquals(new byte[0], await(transport().request(server.endpoint(), new byte[0], TIMEOUT)));
    }

    @Test
    void boundTransportsTalkBothWays() throws Exception {
        Server a = server("a", echo("a:"));
        Server b = server("b", echo("b:"));
        assertArrayEquals(utf8("b:from a"), await(a.transport().request(b.endpoint(), utf8("from a"), TIMEOUT)));
        assertArrayEquals(utf8("a:from b"), await(b.transport().request(a.endpoint(), utf8("from b"), TIMEOUT)));
    }

    @Test
    void manyConcurrentRequestsAnsweredOutOfOrder() throws Exception {
        // The handler holds every request until all have arrived, then answers them last first:
        // each response must still reach the request it answers.
        int count = 200;
        List<byte[]> held = new ArrayList<>();
        List<CompletableFuture<byte[]>> answers = new ArrayList<>();
        Server server = server("server", request -> {
            CompletableFuture<byte[]> answer = new CompletableFuture<>();
            synchronized (held) {
                held.add(request);
                answers.add(answer);
                if (held.size() == count) {
                    for (int i = count - 1; i >= 0; i--) {
                        answers.get(i).complete(concat(utf8("re:"), held.get(i)));
                    }
                }
            }
            return answer;
        });
        Transport client = transport();
        List<CompletableFuture<byte[]>> responses = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            responses.add(client.request(server.endpoint(), utf8("request " + i), TIMEOUT));
        }
        for (int i = 0; i < count; i++) {
            assertArrayEquals(utf8("re:request " + i), await(responses.get(i)), "response to request " + i);
        }
    }

    @Test
    void largePayloadsRoundTrip() throws Exception {
        byte[] large = new byte[1 << 20];
        new Random(1321).nextBytes(large);
        Server server = server("server", request -> {
            byte[] reversed = new byte[request.length];
            for (int i = 0; i < request.length; i++) {
                reversed[i] = request[request.length - 1 - i];
            }
            return CompletableFuture.completedFuture(reversed);
        });
        byte[] response = await(transport().request(server.endpoint(), large, TIMEOUT));
        assertEquals(large.length, response.length);
        for (int i = 0; i < large.length; i++) {
            if (response[i] != large[large.length - 1 - i]) {
                fail("byte " + i + " of the 1 MiB response differs");
            }
        }
    }

    @Test
    void unreachablePeerFailsWithTransportException() throws Exception {
        Server gone = server("gone", echo(""));
        Endpoint endpoint = gone.endpoint();
        gone.transport().close();
        long started = System.nanoTime();
        Throwable failure = failureOf(transport().request(endpoint, utf8("anyone?"), TIMEOUT));
        assertInstanceOf(TransportException.class, failure, "a request to a closed peer");
        assertTrue(System.nanoTime() - started < TIMEOUT.toNanos() + TimeUnit.SECONDS.toNanos(5),
                "the failure came long after the timeout");
    }

    @Test
    void handlerThatNeverAnswersTimesOut() throws Exception {
        Server server = server("silent", request -> new CompletableFuture<>());
        Duration timeout = Duration.ofMillis(300);
        long started = System.nanoTime();
        Throwable failure = failureOf(transport().request(server.endpoint(), utf8("hello?"), timeout));
        long elapsed = System.nanoTime() - started;
        assertInstanceOf(RequestTimeoutException.class, failure, "a request nobody answers");
        assertTrue(elapsed >= timeout.toNanos() - TimeUnit.MILLISECONDS.toNanos(50),
                "timed out after " + elapsed / 1_000_000 + " ms, before its " + timeout.toMillis() + " ms timeout");
    }

    @Test
    void failedHandlerFutureFailsTheRequest() throws Exception {
        Server server = server("failing", request -> CompletableFuture.failedFuture(new IllegalStateException("handler bug")));
        assertInstanceOf(TransportException.class, failureOf(transport().request(server.endpoint(), utf8("x"), TIMEOUT)));
    }

    @Test
    void handlerThatThrowsFailsTheRequestAndKeepsServing() throws Exception {
        AtomicInteger calls = new AtomicInteger();
        Server server = server("throwing", request -> {
            if (calls.incrementAndGet() == 1) {
                throw new IllegalStateException("handler bug");
            }
            return CompletableFuture.completedFuture(request);
        });
        Transport client = transport();
        assertInstanceOf(TransportException.class, failureOf(client.request(server.endpoint(), utf8("first"), TIMEOUT)));
        assertArrayEquals(utf8("second"), await(client.request(server.endpoint(), utf8("second"), TIMEOUT)));
    }

    @Test
    void bindingAnEndpointInUseFails() {
        Server first = server("taken", echo(""));
        Transport second = transport();
        assertThrows(TransportException.class, () -> second.bind(first.endpoint(), echo("")));
    }

    @Test
    void closeReleasesTheEndpoint() throws Exception {
        Server first = server("reused", echo("first:"));
        Endpoint endpoint = first.endpoint();
        first.transport().close();
        Transport second = transport();
        Endpoint rebound = second.bind(endpoint, echo("second:"));
        assertEquals(endpoint, rebound);
        assertArrayEquals(utf8("second:hi"), await(transport().request(endpoint, utf8("hi"), TIMEOUT)));
    }

    @Test
    void closedClientFailsNewRequests() throws Exception {
        Server server = server("server", echo(""));
        Transport client = transport();
        await(client.request(server.endpoint(), utf8("warm up"), TIMEOUT));
        client.close();
        CompletableFuture<byte[]> response;
        try {
            response = client.request(server.endpoint(), utf8("after close"), TIMEOUT);
        } catch (IllegalStateException | TransportException e) {
            return; // refusing at once is fine
        }
        Throwable failure = failureOf(response);
        assertTrue(failure instanceof TransportException || failure instanceof IllegalStateException,
                "a request on a closed transport failed with " + failure);
    }

    @Test
    void closeIsIdempotent() {
        Server server = server("server", echo(""));
        server.transport().close();
        server.transport().close();
    }
}
