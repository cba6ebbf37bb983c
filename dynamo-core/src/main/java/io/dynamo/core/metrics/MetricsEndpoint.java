package io.dynamo.core.metrics;

import static java.util.Objects.requireNonNull;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import io.dynamo.api.DynamoException;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A node's Prometheus endpoint: {@code GET /metrics} answers the text exposition format
 * (version 0.0.4), anything else 404, any other method 405. Served by the JDK's
 * {@link HttpServer} on one daemon thread: a scrape is rare and small, and a slow client holds
 * only this endpoint, never a request path. Binds in {@link #start()}; {@link #close()} stops it.
 */
public final class MetricsEndpoint implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(MetricsEndpoint.class);
    public static final String PATH = "/metrics";
    private static final String CONTENT_TYPE = "text/plain; version=0.0.4; charset=utf-8";
    /** Connections waiting to be accepted: scrapers are few. */
    private static final int BACKLOG = 16;

    private final String nodeId;
    private final InetSocketAddress address;
    private final Supplier<String> scrape;
    private HttpServer server; // guarded by this
    private ExecutorService executor; // guarded by this

    /** An endpoint at {@code address} answering with what {@code scrape} returns. */
    public MetricsEndpoint(String nodeId, InetSocketAddress address, Supplier<String> scrape) {
        this.nodeId = requireNonNull(nodeId, "nodeId is null");
        this.address = requireNonNull(address, "address is null");
        this.scrape = requireNonNull(scrape, "scrape is null");
    }

    /** Binds and serves; fails naming {@code metrics.port} when the port is taken. Returns this endpoint. */
    public synchronized MetricsEndpoint start() {
        if (server != null) {
            return this;
        }
        try {
            server = HttpServer.create(address, BACKLOG);
        } catch (IOException e) {
            throw new DynamoException("the metrics endpoint of " + nodeId + " cannot listen at " + address + " ("
                    + e.getMessage() + "): change metrics.port or metrics.address", e);
        }
        executor = Executors.newSingleThreadExecutor(runnable -> {
            Thread thread = new Thread(runnable, "metrics-" + nodeId);
            thread.setDaemon(true);
            return thread;
        });
        server.setExecutor(executor);
        server.createContext("/", this::serve);
        server.start();
        log.info("{}: Prometheus metrics at http://{}:{}{}", nodeId, address.getHostString(), port(), PATH);
        return this;
    }

    /** The port it listens on (the one chosen when {@code metrics.port=0}); -1 before {@link #start()}. */
    public synchronized int port() {
        return server == null ? -1 : server.getAddress().getPort();
    }

    private void serve(HttpExchange exchange) throws IOException {
        try (exchange) {
            if (!PATH.equals(exchange.getRequestURI().getPath())) {
                exchange.sendResponseHeaders(404, -1);
                return;
            }
            String method = exchange.getRequestMethod();
            if (!method.equals("GET") && !method.equals("HEAD")) {
                exchange.getResponseHeaders().add("Allow", "GET, HEAD");
                exchange.sendResponseHeaders(405, -1);
                return;
            }
            byte[] body;
            try {
                body = scrape.get().getBytes(StandardCharsets.UTF_8);
            } catch (RuntimeException e) {
                log.warn("{}: scraping the meters failed", nodeId, e);
                exchange.sendResponseHeaders(500, -1);
                return;
            }
            exchange.getResponseHeaders().add("Content-Type", CONTENT_TYPE);
            if (method.equals("HEAD")) {
                exchange.sendResponseHeaders(200, -1);
                return;
            }
            exchange.sendResponseHeaders(200, body.length);
            try (OutputStream out = exchange.getResponseBody()) {
                out.write(body);
            }
        }
    }

    @Override
    public synchronized void close() {
        if (server != null) {
            server.stop(0);
            executor.shutdownNow();
            server = null;
            executor = null;
        }
    }
}
