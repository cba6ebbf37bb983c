package io.dynamo.server;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Free ports on the loopback address for tests that start node processes ({@code cluster start}
 * takes consecutive ones, and as many for the nodes' metrics endpoints 1000 above).
 */
final class FreePorts {
    /** `cluster start`'s default --metrics-base-port is --base-port + 1000. */
    private static final int METRICS_OFFSET = 1000;

    private FreePorts() {}

    /**
     * The first of {@code count} consecutive free ports, searched from a start derived from this
     * process and {@code spread}, so that tests (and parallel builds) rarely look at the same ports.
     * They and their metrics ports lie below the ephemeral range when there is room: a port found
     * free there could be taken by an outgoing connection's local port before its node binds it
     * (seen: a node's metrics endpoint refused while a client loaded the cluster).
     */
    static int consecutive(int count, int spread) {
        int floor = 10000;
        int ceiling = ephemeralStart() - METRICS_OFFSET - count;
        if (ceiling - floor < 1000) { // an unusual ephemeral range: search where it may be
            floor = 20000;
            ceiling = 60000;
        }
        int span = ceiling - floor;
        int offset = (int) (ProcessHandle.current().pid() * spread % span);
        for (int tried = 0; tried < span; tried += count) {
            int base = floor + (offset + tried) % span;
            boolean free = true;
            for (int port = base; port < base + count && free; port++) {
                // and the metrics endpoint `cluster start` gives each node by default, 1000 above
                free = free(port) && free(port + METRICS_OFFSET);
            }
            if (free) {
                return base;
            }
        }
        throw new IllegalStateException("no " + count + " consecutive free ports on 127.0.0.1");
    }

    /** The first local port the kernel gives outgoing connections (Linux's default when unknown). */
    private static int ephemeralStart() {
        try {
            String range = Files.readString(Path.of("/proc/sys/net/ipv4/ip_local_port_range")).trim();
            return Integer.parseInt(range.split("\\s+")[0]);
        } catch (IOException | RuntimeException e) {
            return 32768;
        }
    }

    private static boolean free(int port) {
        try (ServerSocket socket = new ServerSocket(port, 1, InetAddress.getLoopbackAddress())) {
            return true;
        } catch (IOException e) {
            return false;
        }
    }
}
