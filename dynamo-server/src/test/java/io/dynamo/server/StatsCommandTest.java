package io.dynamo.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code dynamo stats} over real nodes on the tcp transport, each serving its Prometheus endpoint. */
class StatsCommandTest {
    @TempDir Path directory;
    private InProcessNodes nodes;

    @BeforeEach
    void startNodes() {
        nodes = InProcessNodes.start(3, directory, Map.of("storage", "memory", "replication.timeout", "5s",
                "metrics.port", "0", "anti-entropy.interval", "0"));
    }

    @AfterEach
    void stopNodes() {
        nodes.close();
    }

    @Test
    void statsShowsEachNodeAndTheClusterFromTheEndpoints() throws Exception {
        for (int i = 0; i < 10; i++) {
            Cli.Result put = Cli.run("put", "--nodes", nodes.address(0), "key-" + i, "value-" + i);
            assertEquals(0, put.exitCode(), put.toString());
        }
        Cli.Result stats = Cli.run("stats", "--node",
                nodes.metricsAddress(0) + "," + nodes.metricsAddress(1) + "," + nodes.metricsAddress(2));
        assertEquals(0, stats.exitCode(), stats.toString());
        String out = stats.out();
        for (String title : new String[] {"Requests", "Replication", "Anti-entropy", "Nodes"}) {
            assertTrue(out.contains(title), title + " table in\n" + out);
        }
        // every put was coordinated by some node; the cluster row sums them
        Matcher cluster = Pattern.compile("(?m)^cluster +put +(\\d+) +(\\d+)").matcher(out);
        assertTrue(cluster.find(), out);
        assertEquals(10, Integer.parseInt(cluster.group(1)), out);
        assertEquals(0, Integer.parseInt(cluster.group(2)), "failed puts\n" + out);
        for (String id : new String[] {"node-1", "node-2", "node-3"}) {
            assertTrue(Pattern.compile("(?m)^" + id + " +put ").matcher(out).find(), id + " row in\n" + out);
        }
        // the tcp plugin's meters reach the node's endpoint through PluginContext.metrics()
        // gossip learns the members' states over a few rounds: poll until it has, within a deadline
        long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
        String text;
        PrometheusSamples samples;
        do {
            text = HttpClient.newHttpClient().send(HttpRequest.newBuilder(
                            URI.create("http://" + nodes.metricsAddress(0) + "/metrics")).timeout(Duration.ofSeconds(30)).build(),
                    HttpResponse.BodyHandlers.ofString()).body();
            samples = PrometheusSamples.parse(text);
        } while (samples.sum("dynamo_gossip_members", l -> "up".equals(l.get("state"))) != 3
                && System.nanoTime() < deadline && sleep(200));
        assertTrue(samples.sum("dynamo_tcp_received_bytes_total") > 0, "bytes received over tcp");
        String scraped = text;
        assertTrue(samples.sum("dynamo_tcp_connections", l -> "inbound".equals(l.get("direction"))) > 0, scraped);
        assertTrue(samples.sum("dynamo_gossip_members", l -> "up".equals(l.get("state"))) == 3, "members up");
        assertTrue(samples.has("jvm_gc_collections_total") && samples.has("jvm_memory_used_bytes"), "JVM meters");

        // the shipped dashboard is built only on metrics a node serves (the per-target hint meters
        // appear with the first hint)
        String dashboard = java.nio.file.Files.readString(Path.of("src/main/dist/ops/grafana-dashboard.json"));
        Matcher expr = Pattern.compile("\"expr\": \"((?:[^\"\\\\]|\\\\.)*)\"").matcher(dashboard);
        java.util.Set<String> used = new java.util.TreeSet<>();
        while (expr.find()) {
            Matcher name = Pattern.compile("\\b((?:dynamo|jvm)_[a-z_]+)").matcher(expr.group(1));
            while (name.find()) {
                used.add(name.group(1));
            }
        }
        assertTrue(used.size() > 20, "metrics in the dashboard: " + used);
        java.util.Set<String> lazy = java.util.Set.of("dynamo_hints_stored_total", "dynamo_hints_delivered_total",
                "dynamo_hints_pending");
        for (String metric : used) {
            assertTrue(lazy.contains(metric) || samples.has(metric), metric + " is in the dashboard but not served");
        }
    }

    @Test
    void anEndpointThatDoesNotAnswerFailsWithItsAddress() {
        int free = InProcessNodes.freePorts(1).get(0);
        Cli.Result stats = Cli.run("stats", "--node", "127.0.0.1:" + free, "--timeout", "2s");
        assertEquals(DynamoCli.FAILURE, stats.exitCode(), stats.toString());
        assertTrue(stats.err().contains("127.0.0.1:" + free), stats.toString());
    }

    @Test
    void quantilesInterpolateInsideTheBucketAsPrometheusDoes() {
        TreeMap<Double, Double> buckets = new TreeMap<>(Map.of(0.001, 50.0, 0.002, 90.0, 0.004, 100.0,
                Double.POSITIVE_INFINITY, 100.0));
        assertEquals(0.001, PrometheusSamples.quantile(0.5, buckets), 1e-12);
        assertEquals(0.0015, PrometheusSamples.quantile(0.7, buckets), 1e-12);
        assertEquals(0.0038, PrometheusSamples.quantile(0.99, buckets), 1e-12);
        assertTrue(Double.isNaN(PrometheusSamples.quantile(0.5, new TreeMap<>())));
    }

    private static boolean sleep(long millis) throws InterruptedException {
        Thread.sleep(millis);
        return true;
    }
}
