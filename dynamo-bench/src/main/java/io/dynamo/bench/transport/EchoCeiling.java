package io.dynamo.bench.transport;

import io.dynamo.spi.transport.Endpoint;
import io.dynamo.spi.transport.Transport;
import io.netty.channel.EventLoopGroup;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * The transport ceiling for the cluster benchmark: a closed-loop request/response echo between
 * two processes on loopback, once over bare Netty ({@code raw}) and once over the tcp transport
 * ({@code tcp}), with the same payload, client threads, connections and I/O threads, so the
 * ratio tcp/raw shows what the transport's framing and bookkeeping cost. The server runs in a
 * child JVM started from this class path. Mode {@code relay} adds a hop over bare Netty:
 * client → relay process → echo process, the network part of a quorum read at R=2 (client to
 * coordinator, coordinator to one other replica), so a cluster's read throughput can also be
 * compared with what its two hops alone allow on the same cores. Mode {@code fanout} sends each
 * request to two echo processes at once and waits for both: the network part of a read at R=2
 * coordinated by the client itself (the Dynamo paper's client-driven coordination).
 *
 * <pre>
 * java -cp dynamo-bench/target/benchmarks.jar io.dynamo.bench.transport.EchoCeiling \
 *     [--mode raw,tcp,relay,fanout] [--threads 16] [--payload 100] [--duration 10s] [--warmup 3s] \
 *     [--connections 2] [--io-threads 2] [--native true] [--set tcp-key=value ...]
 * </pre>
 */
public final class EchoCeiling {
    private EchoCeiling() {}

    public static void main(String[] args) throws Exception {
        List<String> modes = List.of("raw", "tcp");
        int threads = 16;
        int payloadSize = 100;
        Duration duration = Duration.ofSeconds(10);
        Duration warmup = Duration.ofSeconds(3);
        int connections = 2;
        int ioThreads = Runtime.getRuntime().availableProcessors();
        boolean nativeTransport = true;
        List<String> tcpSettings = new ArrayList<>();
        for (int i = 0; i < args.length; i += 2) {
            if (i + 1 >= args.length) {
                usage("missing a value after " + args[i]);
            }
            String value = args[i + 1];
            switch (args[i]) {
                case "--mode" -> modes = List.of(value.split(","));
                case "--threads" -> threads = Integer.parseInt(value);
                case "--payload" -> payloadSize = Integer.parseInt(value);
                case "--duration" -> duration = seconds(value);
                case "--warmup" -> warmup = seconds(value);
                case "--connections" -> connections = Integer.parseInt(value);
                case "--io-threads" -> ioThreads = Integer.parseInt(value);
                case "--native" -> nativeTransport = Boolean.parseBoolean(value);
                case "--set" -> tcpSettings.add(value);
                default -> usage("unknown option " + args[i]);
            }
        }
        byte[] payload = new byte[payloadSize];
        System.out.printf("echo ceiling: %d threads, %d-byte payload, %d connection(s), %d I/O thread(s) per side, "
                        + "%s, warm-up %d s, %d s measured%n", threads, payloadSize, connections, ioThreads,
                RawEcho.useEpoll(nativeTransport) ? "epoll" : "nio", warmup.toSeconds(), duration.toSeconds());
        List<ClosedLoop.Result> results = new ArrayList<>();
        for (String mode : modes) {
            ClosedLoop.Result result = run(mode, threads, payload, warmup, duration, connections, ioThreads,
                    nativeTransport, tcpSettings);
            results.add(result);
            System.out.printf("%-4s %s%n", mode, result.summary());
        }
        for (int i = 1; i < results.size(); i++) {
            System.out.printf("ratio %s/%s: %.2f%n", modes.get(i), modes.get(0),
                    results.get(i).throughput() / results.get(0).throughput());
        }
    }

    private static ClosedLoop.Result run(String mode, int threads, byte[] payload, Duration warmup, Duration duration,
            int connections, int ioThreads, boolean nativeTransport, List<String> tcpSettings) throws Exception {
        if (mode.equals("relay")) {
            Process echo = startServer("raw", ioThreads, nativeTransport, List.of());
            try {
                int echoPort = awaitPort(echo);
                return runRaw(startServer("relay", ioThreads, nativeTransport,
                        List.of(String.valueOf(echoPort), String.valueOf(connections))), threads, payload, warmup,
                        duration, connections, ioThreads, nativeTransport);
            } finally {
                stop(echo);
            }
        }
        if (mode.equals("fanout")) {
            return runFanout(threads, payload, warmup, duration, connections, ioThreads, nativeTransport);
        }
        if (mode.equals("raw")) {
            return runRaw(startServer(mode, ioThreads, nativeTransport, List.of()), threads, payload, warmup, duration,
                    connections, ioThreads, nativeTransport);
        }
        if (!mode.equals("tcp")) {
            usage("unknown mode '" + mode + "': raw, tcp, relay or fanout");
        }
        Process server = startServer(mode, ioThreads, nativeTransport, tcpSettings);
        try {
            int port = awaitPort(server);
            try (Transport client = EchoServerMain.tcpTransport("echo-client", ioThreads, connections,
                    nativeTransport, tcpSettings)) {
                Endpoint endpoint = Endpoint.of("127.0.0.1", port);
                Duration timeout = Duration.ofSeconds(5);
                return ClosedLoop.run(threads, payload, warmup, duration, p -> client.request(endpoint, p, timeout));
            }
        } finally {
            stop(server);
        }
    }

    /** Each request to two echo processes at once, answered when both answered. */
    private static ClosedLoop.Result runFanout(int threads, byte[] payload, Duration warmup, Duration duration,
            int connections, int ioThreads, boolean nativeTransport) throws Exception {
        Process echoA = startServer("raw", ioThreads, nativeTransport, List.of());
        Process echoB = startServer("raw", ioThreads, nativeTransport, List.of());
        boolean epoll = RawEcho.useEpoll(nativeTransport);
        EventLoopGroup group = RawEcho.group(ioThreads, epoll);
        try (RawEcho.Client a = new RawEcho.Client(group, epoll, awaitPort(echoA), connections);
                RawEcho.Client b = new RawEcho.Client(group, epoll, awaitPort(echoB), connections)) {
            return ClosedLoop.run(threads, payload, warmup, duration,
                    p -> a.request(p).thenCombine(b.request(p), (first, second) -> first));
        } finally {
            group.shutdownGracefully(0, 1, TimeUnit.SECONDS).syncUninterruptibly();
            stop(echoA);
            stop(echoB);
        }
    }

    /** The bare Netty client against {@code server} (an echo or a relay), which it stops afterwards. */
    private static ClosedLoop.Result runRaw(Process server, int threads, byte[] payload, Duration warmup,
            Duration duration, int connections, int ioThreads, boolean nativeTransport) throws Exception {
        try {
            int port = awaitPort(server);
            boolean epoll = RawEcho.useEpoll(nativeTransport);
            EventLoopGroup group = RawEcho.group(ioThreads, epoll);
            try (RawEcho.Client client = new RawEcho.Client(group, epoll, port, connections)) {
                return ClosedLoop.run(threads, payload, warmup, duration, client::request);
            } finally {
                group.shutdownGracefully(0, 1, TimeUnit.SECONDS).syncUninterruptibly();
            }
        } finally {
            stop(server);
        }
    }

    private static void stop(Process server) throws InterruptedException, IOException {
        server.getOutputStream().close(); // the child exits when its stdin closes
        if (!server.waitFor(10, TimeUnit.SECONDS)) {
            server.destroyForcibly();
        }
    }

    private static Process startServer(String mode, int ioThreads, boolean nativeTransport, List<String> extraArguments)
            throws IOException {
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        List<String> command = new ArrayList<>(List.of(java, "-cp", System.getProperty("java.class.path"),
                "-Dorg.slf4j.simpleLogger.defaultLogLevel=warn",
                EchoServerMain.class.getName(), mode, String.valueOf(ioThreads), String.valueOf(nativeTransport)));
        command.addAll(extraArguments);
        return new ProcessBuilder(command).redirectError(ProcessBuilder.Redirect.INHERIT).start();
    }

    private static int awaitPort(Process server) throws IOException {
        BufferedReader out = new BufferedReader(new InputStreamReader(server.getInputStream(), StandardCharsets.UTF_8));
        for (String line; (line = out.readLine()) != null; ) {
            if (line.startsWith("LISTENING ")) {
                return Integer.parseInt(line.substring("LISTENING ".length()).trim());
            }
        }
        throw new IOException("the echo server exited before it listened (exit code " + server.exitValue() + ")");
    }

    private static Duration seconds(String value) {
        return Duration.ofSeconds(Long.parseLong(value.endsWith("s") ? value.substring(0, value.length() - 1) : value));
    }

    private static void usage(String problem) {
        System.err.println(problem);
        System.err.println("usage: EchoCeiling [--mode raw,tcp] [--threads 16] [--payload 100] [--duration 10s] "
                + "[--warmup 3s] [--connections 2] [--io-threads N] [--native true|false] [--set tcp-key=value ...]"
                + " (modes: raw, tcp, relay, fanout)");
        System.exit(2);
    }
}
