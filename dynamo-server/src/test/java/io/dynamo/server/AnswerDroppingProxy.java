package io.dynamo.server;

import java.io.DataInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A TCP proxy on the loopback address in front of one node: it relays everything a client sends,
 * and everything the node sends back except answers — at the first RESPONSE frame of the tcp
 * transport it closes both connections instead, as a network failing right after the node
 * applied a request does. The handshake frames pass, so the client gets as far as sending.
 */
final class AnswerDroppingProxy implements AutoCloseable {
    /** The tcp transport's frame header: magic (2), version (1), type (1), request id (8), length (4). */
    private static final int HEADER_SIZE = 16;
    private static final int RESPONSE = 2;

    private final ServerSocket server;
    private final InetSocketAddress node;
    private final List<Socket> sockets = new CopyOnWriteArrayList<>();
    private final AtomicInteger dropped = new AtomicInteger();

    AnswerDroppingProxy(String nodeAddress) throws IOException {
        int colon = nodeAddress.lastIndexOf(':');
        this.node = new InetSocketAddress(nodeAddress.substring(0, colon), Integer.parseInt(nodeAddress.substring(colon + 1)));
        this.server = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
        Thread acceptor = new Thread(this::accept, "proxy-accept");
        acceptor.setDaemon(true);
        acceptor.start();
    }

    /** Where clients connect: {@code 127.0.0.1:port}. */
    String address() {
        return "127.0.0.1:" + server.getLocalPort();
    }

    /** How many answers were dropped so far. */
    int droppedAnswers() {
        return dropped.get();
    }

    private void accept() {
        while (!server.isClosed()) {
            try {
                Socket client = server.accept();
                Socket upstream = new Socket(node.getAddress(), node.getPort());
                sockets.add(client);
                sockets.add(upstream);
                start(() -> copy(client, upstream), "proxy-up");
                start(() -> relayAllButAnswers(upstream, client), "proxy-down");
            } catch (IOException e) {
                return; // closed
            }
        }
    }

    private static void start(Runnable task, String name) {
        Thread thread = new Thread(task, name);
        thread.setDaemon(true);
        thread.start();
    }

    private static void copy(Socket from, Socket to) {
        try (InputStream in = from.getInputStream(); OutputStream out = to.getOutputStream()) {
            in.transferTo(out);
        } catch (IOException e) {
            // one side closed: so does the other
        } finally {
            closeQuietly(from);
            closeQuietly(to);
        }
    }

    private void relayAllButAnswers(Socket nodeSide, Socket clientSide) {
        try {
            DataInputStream in = new DataInputStream(nodeSide.getInputStream());
            OutputStream out = clientSide.getOutputStream();
            byte[] header = new byte[HEADER_SIZE];
            while (true) {
                in.readFully(header);
                int length = ((header[12] & 0xff) << 24) | ((header[13] & 0xff) << 16) | ((header[14] & 0xff) << 8)
                        | (header[15] & 0xff);
                byte[] payload = new byte[length];
                in.readFully(payload);
                if (header[3] == RESPONSE) {
                    dropped.incrementAndGet();
                    break; // the node answered: the connection breaks before the answer gets through
                }
                out.write(header);
                out.write(payload);
                out.flush();
            }
        } catch (IOException e) {
            // one side closed
        } finally {
            closeQuietly(nodeSide);
            closeQuietly(clientSide);
        }
    }

    private static void closeQuietly(Socket socket) {
        try {
            socket.close();
        } catch (IOException e) {
            // closing anyway
        }
    }

    @Override
    public void close() throws IOException {
        server.close();
        sockets.forEach(AnswerDroppingProxy::closeQuietly);
    }
}
