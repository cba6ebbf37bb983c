package io.dynamo.server;

import io.dynamo.core.client.DynamoClient;
import io.dynamo.core.membership.GossipState;
import io.dynamo.core.membership.MemberInfo;
import io.dynamo.core.membership.RingState;
import io.dynamo.spi.transport.Endpoint;
import java.io.PrintWriter;
import java.time.Duration;

/**
 * Follows a ring change a command started ({@code decommission}, {@code remove}, {@code replace}
 * with {@code --follow}) until it settles: the partitions the receiving members have got of those
 * they must receive, and the keys streamed, as gossip reports them (nodes report partitions and
 * keys, not bytes), as a progress bar or plain lines.
 */
final class MoveFollower {
    /** Pause between two looks at the gossip state. */
    private static final long POLL_MILLIS = 1_000;

    private MoveFollower() {}

    /** Returns the settled ring once a ring newer than {@code startedAfter} has settled; throws after {@code limit}. */
    static RingState follow(DynamoClient client, Endpoint via, long startedAfter, Duration limit, PrintWriter out)
            throws InterruptedException {
        long deadline = System.nanoTime() + limit.toNanos();
        try (Progress progress = Progress.of("moving", 0, "partitions", out)) {
            while (true) {
                GossipState state;
                try {
                    state = client.membership(via, Duration.ofSeconds(10));
                } catch (RuntimeException e) {
                    state = null; // asked again below
                }
                if (state != null) {
                    RingState ring = state.ring();
                    if (ring.version() > startedAfter && !ring.moving()) {
                        out.printf("ring version %d settled%n", ring.version());
                        out.flush();
                        return ring;
                    }
                    long total = 0;
                    long done = 0;
                    long keys = 0;
                    for (MemberInfo member : state.members().values()) {
                        if (member.progress().ringVersion() == ring.version()) {
                            total += member.progress().partitionsTotal();
                            done += member.progress().partitionsDone();
                            keys += member.progress().keysStreamed();
                        }
                    }
                    if (total > 0) {
                        progress.total(total);
                        progress.update(done, keys + " keys streamed");
                    }
                }
                if (System.nanoTime() > deadline) {
                    throw new IllegalStateException("the ring change did not settle within " + limit.toSeconds()
                            + " s; it goes on: follow it with `dynamo status`");
                }
                Thread.sleep(POLL_MILLIS);
            }
        }
    }
}
