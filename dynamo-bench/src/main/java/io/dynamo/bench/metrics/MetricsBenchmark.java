package io.dynamo.bench.metrics;

import io.dynamo.api.Bytes;
import io.dynamo.api.VectorClock;
import io.dynamo.api.Versioned;
import io.dynamo.core.messages.Message;
import io.dynamo.core.metrics.MetricsSettings;
import io.dynamo.core.metrics.NodeMetrics;
import io.dynamo.core.metrics.Operation;
import io.dynamo.core.metrics.PluginMeters;
import io.dynamo.spi.Metrics;
import java.util.List;
import java.util.OptionalInt;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;

/**
 * What the meters cost one operation of a 3-replica cluster, in the node's registry as a server
 * builds it ({@link NodeMetrics#publishing}), with metrics on and off: the coordinator's record of
 * the request, the three copies' replica records, and the transport's byte counters for the ten
 * frames an operation sends or receives across the cluster (client request and answer, two peer
 * requests and answers, each read once and written once).
 *
 * <p>{@code java -jar dynamo-bench/target/benchmarks.jar metrics.MetricsBenchmark -f 3}
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@State(Scope.Benchmark)
public class MetricsBenchmark {
    private static final int FRAMES_PER_OPERATION = 10;

    /** {@code off}: metrics.enabled=false; {@code on}: the defaults (Prometheus, no JMX); {@code jmx}: JMX too. */
    @Param({"off", "on", "jmx"})
    public String metrics;

    private NodeMetrics node;
    private Metrics.Counter bytesIn;
    private Metrics.Counter bytesOut;
    private CompletableFuture<Message.Response> written;
    private CompletableFuture<Message.Response> read;

    @Setup(Level.Trial)
    public void setUp() {
        MetricsSettings settings = new MetricsSettings(!metrics.equals("off"), MetricsSettings.DEFAULT_ADDRESS,
                OptionalInt.empty(), metrics.equals("jmx"), false);
        node = NodeMetrics.publishing("node-1", settings);
        PluginMeters plugin = new PluginMeters(node.registry());
        bytesIn = plugin.counter("dynamo.tcp.received.bytes", "bytes read", "direction", "inbound");
        bytesOut = plugin.counter("dynamo.tcp.sent.bytes", "bytes written", "direction", "inbound");
        VectorClock clock = VectorClock.EMPTY.increment("node-1", 1L);
        written = CompletableFuture.completedFuture(new Message.Written(clock));
        read = CompletableFuture.completedFuture(new Message.ReadResult(
                List.of(new Versioned(clock, Bytes.of(new byte[100]), false)), clock));
    }

    @TearDown(Level.Trial)
    public void tearDown() {
        node.close();
    }

    @Benchmark
    public Object put() {
        return operation(Operation.PUT, 100, written);
    }

    @Benchmark
    public Object get() {
        return operation(Operation.GET, -1, read);
    }

    private Object operation(Operation op, int writtenBytes, CompletableFuture<Message.Response> answer) {
        long start = node.startNanos();
        node.replica(op, start); // the coordinator's copy
        for (int copy = 1; copy < 3; copy++) {
            node.replica(op, node.startNanos());
        }
        frames();
        return node.coordinated(op, start, writtenBytes, answer);
    }

    private void frames() {
        for (int frame = 0; frame < FRAMES_PER_OPERATION / 2; frame++) {
            bytesIn.increment(64);
            bytesOut.increment(64);
        }
    }
}
