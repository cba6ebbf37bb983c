package io.dynamo.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.File;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A real Prometheus (the {@code prometheus} binary, Debian's package; {@code .ci/run} installs
 * it where it can) scrapes three real nodes on loopback; its HTTP API then answers a query on our
 * metric with one series per node. Skipped, with a line saying so, where the binary is missing.
 */
class PrometheusScrapeTest {
    private static final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10)).build();

    @TempDir Path directory;

    @Test
    void prometheusScrapesEveryNodesPutCounter() throws Exception {
        Path prometheus = onPath("prometheus");
        if (prometheus == null) {
            System.out.println("SKIPPED PrometheusScrapeTest: no prometheus binary on the PATH"
                    + " (apt-get install prometheus; .ci/run does it where apt is available)");
        }
        Assumptions.assumeTrue(prometheus != null, "no prometheus binary on the PATH");
        try (InProcessNodes nodes = InProcessNodes.start(3, directory, Map.of("storage", "memory",
                "replication.timeout", "5s", "metrics.port", "0", "anti-entropy.interval", "0"))) {
            for (int i = 0; i < 5; i++) {
                Cli.Result put = Cli.run("put", "--nodes", nodes.nodesOption(), "key-" + i, "v");
                assertEquals(0, put.exitCode(), put.toString());
            }
            List<String> targets = new ArrayList<>();
            for (int i = 0; i < 3; i++) {
                targets.add("'" + nodes.metricsAddress(i) + "'");
            }
            // the shipped scrape config, with these nodes' endpoints and a short interval
            String shipped = Files.readString(Path.of("src/main/dist/ops/prometheus.yml"));
            String config = shipped.replaceAll("scrape_interval: \\S+", "scrape_interval: 1s")
                    .replaceAll("(?m)^(\\s*- targets: )\\[.*]$", "$1[" + String.join(", ", targets) + "]");
            assertTrue(config.contains(targets.get(0)), "the shipped config has a targets line to replace:\n" + config);
            Path file = directory.resolve("prometheus.yml");
            Files.writeString(file, config);
            int port = InProcessNodes.freePorts(1).get(0);
            Process process = new ProcessBuilder(prometheus.toString(), "--config.file=" + file,
                    "--storage.tsdb.path=" + directory.resolve("tsdb"), "--web.listen-address=127.0.0.1:" + port)
                    .redirectErrorStream(true).redirectOutput(directory.resolve("prometheus.log").toFile()).start();
            try {
                String query = "count(dynamo_coordinator_requests_seconds_count{operation=\"put\",outcome=\"success\"})";
                long deadline = System.nanoTime() + Duration.ofSeconds(120).toNanos();
                String answer = "";
                while (System.nanoTime() < deadline) {
                    assertTrue(process.isAlive(), "prometheus exited:\n" + Files.readString(directory.resolve("prometheus.log")));
                    answer = query(port, query);
                    Matcher m = Pattern.compile("\"value\":\\[[0-9.]+,\"(\\d+)\"]").matcher(answer);
                    if (m.find() && Integer.parseInt(m.group(1)) == 3) {
                        break;
                    }
                    Thread.sleep(500); // polling the query with a deadline, not a wait for an event
                }
                assertTrue(answer.contains("\"value\":[") && answer.matches("(?s).*\"value\":\\[[0-9.]+,\"3\"].*"),
                        "one series per node scraped: " + answer);
                String sum = query(port, "sum(dynamo_coordinator_requests_seconds_count{operation=\"put\",outcome=\"success\"})");
                assertTrue(sum.contains(",\"5\"]"), "5 puts coordinated in all: " + sum);
            } finally {
                process.destroy();
                if (!process.waitFor(30, TimeUnit.SECONDS)) {
                    process.destroyForcibly();
                }
            }
        }
    }

    private static String query(int port, String query) throws Exception {
        URI uri = URI.create("http://127.0.0.1:" + port + "/api/v1/query?query="
                + URLEncoder.encode(query, StandardCharsets.UTF_8));
        try {
            return http.send(HttpRequest.newBuilder(uri).timeout(Duration.ofSeconds(10)).build(),
                    HttpResponse.BodyHandlers.ofString()).body();
        } catch (java.io.IOException e) {
            return "not answering yet: " + e.getMessage();
        }
    }

    static Path onPath(String program) {
        for (String dir : System.getenv().getOrDefault("PATH", "").split(File.pathSeparator)) {
            Path candidate = Path.of(dir, program);
            if (Files.isExecutable(candidate)) {
                return candidate;
            }
        }
        return null;
    }
}
