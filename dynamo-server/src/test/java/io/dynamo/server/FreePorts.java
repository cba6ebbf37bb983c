package io.dynamo.server;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;

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
     */
    static int consecutive(int count, int spread) {
        for (int base = 20000 + (int) (ProcessHandle.current().pid() * spread % 20000); base < 60000; base += count) {
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

    private static boolean free(int port) {
        try (ServerSocket socket = new ServerSocket(port, 1, InetAddress.getLoopbackAddress())) {
            return true;
        } catch (IOException e) {
            return false;
        }
    }
}
