package io.dynamo.core.metrics;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.dynamo.api.DynamoException;
import io.dynamo.spi.ConfigException;
import io.dynamo.spi.PluginConfig;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.OptionalInt;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A node's Prometheus endpoint over HTTP: the text parses as the exposition format, with our names. */
class MetricsEndpointTest {
    private static final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10)).build();

    private static NodeMetrics serving(String nodeId) {
        MetricsSettings settings = new MetricsSettings(true, "127.0.0.1", OptionalInt.of(0), false, true);
        return NodeMetrics.publishing(nodeId, settings).start();
    }

    private static HttpResponse<String> get(NodeMetrics metrics, String path) throws Exception {
        URI uri = URI.create("http://127.0.0.1:" + metrics.endpointPort().getAsInt() + path);
        return http.send(HttpRequest.newBuilder(uri).timeout(Duration.ofSeconds(30)).build(),
                HttpResponse.BodyHandlers.ofString());
    }

    @Test
    void theEndpointTextParsesAsThePrometheusFormatWithOurNames(@TempDir Path dir) throws Exception {
        try (NodeMetrics metrics = serving("node-1")) {
            metrics.coordinated(Operation.PUT, System.nanoTime(), 100, CompletableFuture.completedFuture(
                    new io.dynamo.core.messages.Message.Ack()));
            metrics.replica(Operation.GET, System.nanoTime());
            metrics.hintStored("node-\"2\"");
            metrics.hintsPending(Map.of("node-2", 3L));
            metrics.coordinated(Operation.GET, System.nanoTime(), -1,
                    CompletableFuture.failedFuture(new io.dynamo.api.QuorumException("get", 2, 1, 1)));

            HttpResponse<String> response = get(metrics, "/metrics");
            assertEquals(200, response.statusCode());
            assertTrue(response.headers().firstValue("Content-Type").orElse("").startsWith("text/plain; version=0.0.4"),
                    response.headers().toString());
            String text = response.body();
            List<ExpositionFormat.Sample> samples = ExpositionFormat.parse(text);

            assertTrue(has(samples, "dynamo_coordinator_requests_seconds_count", "operation", "put", 1), text);
            assertTrue(has(samples, "dynamo_coordinator_requests_seconds_bucket", "operation", "put", 1), text);
            assertTrue(has(samples, "dynamo_replica_requests_seconds_count", "operation", "get", 1), text);
            assertTrue(has(samples, "dynamo_quorum_failures_total", "cause", "unavailable", 1), text);
            assertTrue(has(samples, "dynamo_hints_pending", "target", "node-2", 3), text);
            assertTrue(has(samples, "dynamo_hints_stored_total", "target", "node-\\\"2\\\"", 1), text);
            assertTrue(has(samples, "dynamo_object_size_bytes_count", "operation", "put", 1), text);
            assertTrue(samples.stream().anyMatch(s -> s.name().equals("jvm_memory_used_bytes")), "JVM meters");
            assertTrue(samples.stream().filter(s -> s.name().startsWith("dynamo_"))
                    .allMatch(s -> "node-1".equals(s.labels().get("node"))), "every meter tagged with the node");

            Path promtool = onPath("promtool");
            if (promtool == null) {
                System.out.println("promtool not on the PATH: the exposition text was checked by ExpositionFormat only");
            } else {
                Path file = dir.resolve("metrics.txt");
                Files.writeString(file, text);
                Process check = new ProcessBuilder(promtool.toString(), "check", "metrics")
                        .redirectInput(file.toFile()).redirectErrorStream(true).start();
                String out = new String(check.getInputStream().readAllBytes());
                assertTrue(check.waitFor(60, TimeUnit.SECONDS), "promtool finished");
                // promtool exits 0, or 3 for lint advice only (e.g. a counter without _total); 1 is a parse error
                assertTrue(check.exitValue() == 0 || check.exitValue() == 3, "promtool check metrics: " + out);
                assertFalse(out.contains("error while linting"), out);
            }
        }
    }

    @Test
    void otherPathsAndMethodsAreRefused() throws Exception {
        try (NodeMetrics metrics = serving("node-1")) {
            assertEquals(404, get(metrics, "/other").statusCode());
            URI uri = URI.create("http://127.0.0.1:" + metrics.endpointPort().getAsInt() + "/metrics");
            HttpResponse<String> post = http.send(HttpRequest.newBuilder(uri).timeout(Duration.ofSeconds(30))
                    .POST(HttpRequest.BodyPublishers.ofString("x")).build(), HttpResponse.BodyHandlers.ofString());
            assertEquals(405, post.statusCode());
        }
    }

    @Test
    void aTakenPortFailsNamingTheSetting() throws IOException {
        try (NodeMetrics first = serving("node-1")) {
            MetricsSettings same = new MetricsSettings(true, "127.0.0.1", first.endpointPort(), false, false);
            try (NodeMetrics second = NodeMetrics.publishing("node-2", same)) {
                DynamoException e = assertThrows(DynamoException.class, second::start);
                assertTrue(e.getMessage().contains("metrics.port"), e.getMessage());
            }
        }
    }

    @Test
    void settingsAreValidatedAndMetricsCanBeTurnedOff() {
        MetricsSettings defaults = MetricsSettings.from(PluginConfig.empty("metrics"));
        assertTrue(defaults.enabled());
        assertEquals("127.0.0.1", defaults.address());
        assertFalse(defaults.serves(), "no port, no endpoint");
        ConfigException badPort = assertThrows(ConfigException.class,
                () -> MetricsSettings.from(new PluginConfig("metrics", Map.of("port", "70000"))));
        assertTrue(badPort.getMessage().contains("metrics.port"), badPort.getMessage());
        assertThrows(ConfigException.class, () -> MetricsSettings.from(new PluginConfig("metrics", Map.of("port", "x"))));
        assertThrows(ConfigException.class, () -> MetricsSettings.from(new PluginConfig("metrics", Map.of("address", " "))));

        MetricsSettings off = MetricsSettings.from(new PluginConfig("metrics", Map.of("enabled", "false", "port", "0")));
        assertFalse(off.serves());
        try (NodeMetrics metrics = NodeMetrics.publishing("node-1", off).start()) {
            metrics.replica(Operation.PUT, System.nanoTime());
            assertTrue(metrics.scrape().isEmpty());
            assertTrue(metrics.endpointPort().isEmpty());
            assertEquals(0, metrics.registry().find("dynamo.replica.requests").timers().stream()
                    .mapToLong(io.micrometer.core.instrument.Timer::count).sum());
        }
    }

    private static boolean has(List<ExpositionFormat.Sample> samples, String name, String label, String value, double atLeast) {
        return samples.stream().anyMatch(s -> s.name().equals(name) && value.equals(s.labels().get(label))
                && s.value() >= atLeast);
    }

    static Path onPath(String program) {
        for (String dir : System.getenv().getOrDefault("PATH", "").split(java.io.File.pathSeparator)) {
            Path candidate = Path.of(dir, program);
            if (Files.isExecutable(candidate)) {
                return candidate;
            }
        }
        return null;
    }
}
