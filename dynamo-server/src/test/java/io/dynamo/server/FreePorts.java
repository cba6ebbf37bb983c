package io.dynamo.server;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;

/** Free ports on the loopback address for tests that start node processes ({@code cluster start} takes consecutive ones). */
final class FreePorts {
    private FreePorts() {}

    /**
     * The first of {@code count} consecutive free ports, searched from a start derived from this
     * process and {@code spread}, so that tests (and parallel builds) rarely look at the same ports.
     */
    static int consecutive(int count, int spread) {
        for (int base = 20000 + (int) (ProcessHandle.current().pid() * spread % 20000); base < 60000; base += count) {
            boolean free = true;
            for (int port = base; port < base + count && free; port++) {
                free = free(port);
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
