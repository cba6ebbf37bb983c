package io.dynamo.server;

import io.dynamo.api.InvalidArgumentException;
import io.dynamo.core.metrics.MetricsEndpoint;
import io.dynamo.core.metrics.Operation;
import io.dynamo.spi.transport.Endpoint;
import java.io.IOException;
import java.io.InputStream;
import java.io.PrintWriter;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.Callable;
import java.util.function.Function;
import java.util.function.Predicate;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

/**
 * {@code dynamo stats}: the figures of every node's Prometheus endpoint as terminal tables, one
 * row per node and one for the cluster (counts summed; quantiles from the summed histogram
 * buckets, as Prometheus' {@code histogram_quantile} of a sum). Counts are since each node
 * started. It reads the endpoints over HTTP, the same text Prometheus scrapes, so it shows
 * exactly what a dashboard would, and needs no request type of its own.
 */
@Command(name = "stats", mixinStandardHelpOptions = true,
        description = {"Show each node's metrics and the cluster's: requests and latency as coordinator and replica,"
                + " quorum failures, read repairs, siblings, hints, anti-entropy, streams, storage, transport, JVM.",
                "Reads the nodes' Prometheus endpoints: --node HOST:PORT (a metrics endpoint, repeatable), or those"
                        + " of the cluster directory's node configs (metrics.address, metrics.port, which"
                        + " `dynamo cluster start` sets). Exit code 1 when a node's endpoint does not answer."})
final class StatsCommand implements Callable<Integer> {
    /** A scrape is small; more than this is not a node's metrics endpoint. */
    static final int MAX_SCRAPE_BYTES = 16 << 20;

    @Spec CommandSpec spec;

    @Option(names = "--node", paramLabel = "HOST:PORT", split = ",",
            description = "A node's metrics endpoint (metrics.address:metrics.port); repeatable. Default: every node of --dir.")
    List<String> nodes;

    @Option(names = "--dir", paramLabel = "DIR", defaultValue = ClusterOptions.DEFAULT_CLUSTER_DIR,
            description = "Cluster directory written by `dynamo cluster start` (default: $DYNAMO_CLUSTER_DIR or ./dynamo-cluster).")
    Path clusterDirectory;

    @Option(names = "--timeout", paramLabel = "DURATION", defaultValue = "5s", converter = DurationConverter.class,
            description = "How long to wait for each endpoint (default: ${DEFAULT-VALUE}).")
    Duration timeout;

    @Override
    public Integer call() throws InterruptedException {
        Map<String, Endpoint> endpoints = endpoints();
        PrintWriter out = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        Map<String, PrometheusSamples> scraped = new LinkedHashMap<>();
        int failed = 0;
        HttpClient http = HttpClient.newBuilder().connectTimeout(timeout).build();
        for (Map.Entry<String, Endpoint> node : endpoints.entrySet()) {
            try {
                PrometheusSamples samples = scrape(http, node.getValue());
                // a row is named by the node's own tag when the endpoint was given as HOST:PORT
                List<String> ids = samples.labelValues("dynamo_coordinator_requests_seconds_count", "node");
                String id = nodes != null && !nodes.isEmpty() && ids.size() == 1 ? ids.get(0) : node.getKey();
                scraped.put(scraped.containsKey(id) ? node.getKey() : id, samples);
            } catch (IOException | InvalidArgumentException e) {
                failed++;
                err.printf("dynamo stats: %s (%s): %s%n", node.getKey(), node.getValue(), e.getMessage());
            }
        }
        if (!scraped.isEmpty()) {
            print(out, scraped);
        }
        out.flush();
        err.flush();
        return failed == 0 ? 0 : DynamoCli.FAILURE;
    }

    private Map<String, Endpoint> endpoints() {
        Map<String, Endpoint> endpoints = new LinkedHashMap<>();
        if (nodes != null && !nodes.isEmpty()) {
            Addresses.parse("--node", nodes).forEach(e -> endpoints.put(e.address(), e));
            return endpoints;
        }
        endpoints.putAll(MetricsEndpoints.of(new ClusterDirectory(clusterDirectory)));
        if (endpoints.isEmpty()) {
            throw new InvalidArgumentException("no metrics endpoint to read: give --node HOST:PORT, or --dir of a cluster"
                    + " whose node configs set metrics.port (as `dynamo cluster start` does)");
        }
        return endpoints;
    }

    private PrometheusSamples scrape(HttpClient http, Endpoint endpoint) throws IOException, InterruptedException {
        URI uri = URI.create("http://" + endpoint.address() + MetricsEndpoint.PATH);
        HttpResponse<InputStream> response = http.send(HttpRequest.newBuilder(uri).timeout(timeout).GET().build(),
                HttpResponse.BodyHandlers.ofInputStream());
        try (InputStream body = response.body()) {
            if (response.statusCode() != 200) {
                throw new IOException("HTTP " + response.statusCode() + " from " + uri);
            }
            byte[] bytes = body.readNBytes(MAX_SCRAPE_BYTES + 1);
            if (bytes.length > MAX_SCRAPE_BYTES) {
                throw new IOException(uri + " sent more than " + MAX_SCRAPE_BYTES + " bytes: not a node's metrics endpoint");
            }
            return PrometheusSamples.parse(new String(bytes, StandardCharsets.UTF_8));
        }
    }

    // ---- tables

    private static void print(PrintWriter out, Map<String, PrometheusSamples> nodes) {
        Map<String, PrometheusSamples> rows = new LinkedHashMap<>(nodes);
        List<PrometheusSamples.Sample> all = new ArrayList<>();
        nodes.values().forEach(s -> all.addAll(s.samples()));
        if (nodes.size() > 1) {
            rows.put("cluster", new PrometheusSamples(all));
        }

        Table requests = new Table("node", "operation", "coordinated", "failed", "forwarded", "p50 ms", "p99 ms",
                "p99.9 ms", "as replica", "p50 ms", "p99 ms", "p99.9 ms");
        rows.forEach((node, s) -> {
            for (Operation op : Operation.values()) {
                Predicate<Map<String, String>> ok = l -> op.tag.equals(l.get("operation")) && "success".equals(l.get("outcome"));
                Predicate<Map<String, String>> failure = l -> op.tag.equals(l.get("operation")) && "failure".equals(l.get("outcome"));
                Predicate<Map<String, String>> replica = l -> op.tag.equals(l.get("operation"));
                TreeMap<Double, Double> coordinated = s.buckets("dynamo_coordinator_requests_seconds", ok);
                TreeMap<Double, Double> replicas = s.buckets("dynamo_replica_requests_seconds", replica);
                requests.row(node, op.tag, count(s.sum("dynamo_coordinator_requests_seconds_count", ok)),
                        count(s.sum("dynamo_coordinator_requests_seconds_count", failure)),
                        op == Operation.GET ? count(s.sum("dynamo_coordinator_forwarded_total")) : "",
                        millis(coordinated, 0.5), millis(coordinated, 0.99), millis(coordinated, 0.999),
                        count(s.sum("dynamo_replica_requests_seconds_count", replica)),
                        millis(replicas, 0.5), millis(replicas, 0.99), millis(replicas, 0.999));
            }
        });
        requests.print(out, "Requests (since start; latency of successful requests)");

        Table replication = new Table("node", "quorum failures", "by cause", "read repairs", "reads", "with siblings",
                "max siblings", "hints stored", "delivered", "pending");
        rows.forEach((node, s) -> {
            StringBuilder causes = new StringBuilder();
            for (String cause : s.labelValues("dynamo_quorum_failures_total", "cause")) {
                double n = s.sum("dynamo_quorum_failures_total", l -> cause.equals(l.get("cause")));
                if (n > 0) {
                    causes.append(causes.length() == 0 ? "" : " ").append(cause).append('=').append(count(n));
                }
            }
            TreeMap<Double, Double> siblings = s.buckets("dynamo_read_siblings", l -> true);
            double reads = siblings.isEmpty() ? 0 : siblings.lastEntry().getValue();
            double single = siblings.getOrDefault(1.0, 0.0);
            replication.row(node, count(s.sum("dynamo_quorum_failures_total")), causes.length() == 0 ? "-" : causes.toString(),
                    count(s.sum("dynamo_read_repairs_total")), count(reads), count(reads - single),
                    count(max(nodesOf(s, nodes, node), "dynamo_read_siblings_max")),
                    count(s.sum("dynamo_hints_stored_total")), count(s.sum("dynamo_hints_delivered_total")),
                    count(s.sum("dynamo_hints_pending")));
        });
        replication.print(out, "Replication");

        Table background = new Table("node", "ae rounds", "exchanges", "failed", "keys compared", "differing", "sent",
                "ae bytes", "stream keys", "stream bytes", "moves active");
        rows.forEach((node, s) -> background.row(node, count(s.sum("dynamo_antientropy_rounds_total")),
                count(s.sum("dynamo_antientropy_exchanges_total", l -> "success".equals(l.get("outcome")))),
                count(s.sum("dynamo_antientropy_exchanges_total", l -> "failure".equals(l.get("outcome")))),
                count(s.sum("dynamo_antientropy_keys_compared_total")), count(s.sum("dynamo_antientropy_keys_differing_total")),
                count(s.sum("dynamo_antientropy_keys_sent_total")), bytes(s.sum("dynamo_antientropy_traffic_bytes_total")),
                count(s.sum("dynamo_stream_keys_sent_total")), bytes(s.sum("dynamo_stream_sent_bytes_total")),
                count(s.sum("dynamo_partition_moves_active"))));
        background.print(out, "Anti-entropy and partition streams");

        Table node = new Table("node", "members up", "max phi", "entries", "connections", "received", "sent",
                "frames rejected", "handshakes failed", "heap used", "threads");
        rows.forEach((id, s) -> node.row(id, count(s.sum("dynamo_gossip_members", l -> "up".equals(l.get("state")))
                        / Math.max(1, nodesOf(s, nodes, id).size())),
                fixed(max(nodesOf(s, nodes, id), "dynamo_gossip_phi")),
                count(s.sum("dynamo_storage_entries")), count(s.sum("dynamo_tcp_connections")),
                bytes(s.sum("dynamo_tcp_received_bytes_total")), bytes(s.sum("dynamo_tcp_sent_bytes_total")),
                count(s.sum("dynamo_tcp_frames_rejected_total")), count(s.sum("dynamo_tcp_handshakes_failed_total")),
                bytes(s.sum("jvm_memory_used_bytes", l -> "heap".equals(l.get("area")))),
                count(s.sum("jvm_threads_live_threads"))));
        node.print(out, "Nodes (members up: as this node's gossip sees them, averaged for the cluster)");
    }

    /** The scrapes a row stands for: the node's own, or every node's for the cluster row. */
    private static List<PrometheusSamples> nodesOf(PrometheusSamples row, Map<String, PrometheusSamples> nodes, String id) {
        PrometheusSamples own = nodes.get(id);
        return own != null ? List.of(own) : List.copyOf(nodes.values());
    }

    private static double max(List<PrometheusSamples> scrapes, String name) {
        double max = Double.NaN;
        for (PrometheusSamples s : scrapes) {
            for (PrometheusSamples.Sample sample : s.samples()) {
                if (sample.name().equals(name) && !Double.isNaN(sample.value()) && !Double.isInfinite(sample.value())) {
                    max = Double.isNaN(max) ? sample.value() : Math.max(max, sample.value());
                }
            }
        }
        return max;
    }

    private static String count(double value) {
        return Double.isNaN(value) ? "-" : String.format(Locale.ROOT, "%d", Math.round(value));
    }

    private static String fixed(double value) {
        return Double.isNaN(value) ? "-" : String.format(Locale.ROOT, "%.2f", value);
    }

    private static String millis(TreeMap<Double, Double> buckets, double q) {
        double seconds = PrometheusSamples.quantile(q, buckets);
        return Double.isNaN(seconds) ? "-" : String.format(Locale.ROOT, "%.3f", seconds * 1000);
    }

    private static String bytes(double value) {
        if (Double.isNaN(value)) {
            return "-";
        }
        String[] units = {"B", "KiB", "MiB", "GiB", "TiB"};
        int unit = 0;
        while (value >= 1024 && unit < units.length - 1) {
            value /= 1024;
            unit++;
        }
        return unit == 0 ? String.format(Locale.ROOT, "%d B", Math.round(value))
                : String.format(Locale.ROOT, "%.1f %s", value, units[unit]);
    }

    /** A text table whose columns are as wide as their widest cell; numbers right-aligned. */
    private static final class Table {
        private final List<String[]> rows = new ArrayList<>();

        Table(String... header) {
            rows.add(header);
        }

        void row(String... cells) {
            rows.add(cells);
        }

        void print(PrintWriter out, String title) {
            int[] widths = new int[rows.get(0).length];
            for (String[] row : rows) {
                for (int i = 0; i < row.length; i++) {
                    widths[i] = Math.max(widths[i], row[i].length());
                }
            }
            out.println(title);
            for (String[] row : rows) {
                StringBuilder line = new StringBuilder();
                for (int i = 0; i < row.length; i++) {
                    String cell = row[i];
                    String pad = " ".repeat(widths[i] - cell.length());
                    line.append(i == 0 ? "" : "  ").append(i < 2 ? cell + pad : pad + cell);
                }
                out.println(line.toString().stripTrailing());
            }
            out.println();
        }
    }
}
