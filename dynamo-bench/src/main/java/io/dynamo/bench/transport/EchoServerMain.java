package io.dynamo.bench.transport;

import io.dynamo.core.config.NodePluginContext;
import io.dynamo.spi.PluginConfig;
import io.dynamo.spi.transport.Endpoint;
import io.dynamo.spi.transport.Transport;
import io.dynamo.transport.tcp.TcpPlugin;
import io.netty.channel.Channel;
import io.netty.channel.EventLoopGroup;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;

/**
 * The server half of {@link EchoCeiling}, run in its own JVM: {@code raw} (a bare Netty echo),
 * {@code tcp} (the tcp transport with an echo handler) or {@code relay} (bare Netty, passing
 * each request on to the raw echo server at the port given). Prints {@code LISTENING <port>},
 * then serves until its standard input closes, so it never outlives the process that started it.
 */
public final class EchoServerMain {
    private EchoServerMain() {}


    public static void main(String[] args) throws IOException {
        if (args.length < 3) {
            System.err.println("usage: EchoServerMain raw|tcp|relay IO_THREADS NATIVE(true|false) "
                    + "[TCP_KEY=VALUE... | UPSTREAM_PORT CONNECTIONS]");
            System.exit(2);
        }
        String mode = args[0];
        int ioThreads = Integer.parseInt(args[1]);
        boolean nativeTransport = Boolean.parseBoolean(args[2]);
        if (mode.equals("raw")) {
            boolean epoll = RawEcho.useEpoll(nativeTransport);
            EventLoopGroup group = RawEcho.group(ioThreads, epoll);
            Channel server = RawEcho.server(group, epoll);
            announce(((InetSocketAddress) server.localAddress()).getPort());
            server.close().syncUninterruptibly();
            group.shutdownGracefully().syncUninterruptibly();
        } else if (mode.equals("relay")) {
            boolean epoll = RawEcho.useEpoll(nativeTransport);
            EventLoopGroup group = RawEcho.group(ioThreads, epoll);
            RawEcho.Client upstream = new RawEcho.Client(group, epoll, Integer.parseInt(args[3]), Integer.parseInt(args[4]));
            Channel server = RawEcho.relay(group, epoll, upstream);
            announce(((InetSocketAddress) server.localAddress()).getPort());
            server.close().syncUninterruptibly();
            upstream.close();
            group.shutdownGracefully().syncUninterruptibly();
        } else if (mode.equals("tcp")) {
            Transport transport = tcpTransport("echo-server", ioThreads, 1, nativeTransport,
                    Arrays.asList(args).subList(3, args.length));
            Endpoint endpoint = transport.bind(Endpoint.of("127.0.0.1", 0), CompletableFuture::completedFuture);
            announce(endpoint.port());
            transport.close();
        } else {
            System.err.println("unknown mode '" + mode + "': raw, tcp or relay");
            System.exit(2);
        }
    }

    /** A tcp transport; {@code settings} are extra {@code key=value} pairs of the tcp namespace. */
    static Transport tcpTransport(String nodeId, int ioThreads, int connections, boolean nativeTransport,
            List<String> settings) {
        Map<String, String> values = new HashMap<>();
        values.put("io-threads", String.valueOf(ioThreads));
        values.put("connections-per-peer", String.valueOf(connections));
        values.put("native", String.valueOf(nativeTransport));
        for (String setting : settings) {
            int eq = setting.indexOf('=');
            if (eq < 1) {
                throw new IllegalArgumentException("'" + setting + "' is not key=value");
            }
            values.put(setting.substring(0, eq), setting.substring(eq + 1));
        }
        PluginConfig config = new PluginConfig("tcp", values);
        return new TcpPlugin().transports().get(0).create(config, new NodePluginContext(nodeId, Path.of(".")));
    }

    /** Tells the parent the port, then blocks until the parent closes our standard input. */
    private static void announce(int port) throws IOException {
        System.out.println("LISTENING " + port);
        System.out.flush();
        while (System.in.read() != -1) {
            // keep serving
        }
    }
}
