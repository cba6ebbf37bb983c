package io.dynamo.server;

import io.dynamo.core.membership.MemberInfo;
import io.dynamo.core.membership.MemberState;
import io.dynamo.core.membership.Membership;
import io.dynamo.core.membership.MoveProgress;
import io.dynamo.core.node.DynamoNode;
import java.io.PrintWriter;
import java.time.Duration;
import java.util.Optional;

/**
 * The progress of {@code dynamo join} on the joining node's own console: the partitions it has
 * received of those its join gives it, and the keys (a bar on a terminal, plain lines
 * otherwise), until it is a member; a standby first says it waits for {@code dynamo replace}.
 */
final class JoinProgress {
    private JoinProgress() {}

    /** Watches {@code node} on a daemon thread, looking every {@code every}; returns the thread. */
    static Thread watch(DynamoNode node, PrintWriter out, Duration every) {
        Thread thread = new Thread(() -> {
            try {
                run(node, out, every);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }, "dynamo-join-progress");
        thread.setDaemon(true);
        thread.start();
        return thread;
    }

    static void run(DynamoNode node, PrintWriter out, Duration every) throws InterruptedException {
        Optional<Membership> found = node.membership();
        if (found.isEmpty()) {
            return;
        }
        Membership membership = found.get();
        boolean saidWaiting = false;
        try (Progress progress = Progress.of("join", 0, "partitions", out)) {
            while (true) {
                MemberInfo me = membership.self();
                MoveProgress moved = me.progress();
                if (moved.partitionsTotal() > 0) {
                    progress.total(moved.partitionsTotal());
                    progress.update(moved.partitionsDone(), moved.keysStreamed() + " keys received");
                }
                if (me.state() == MemberState.UP) {
                    out.printf("joined: a member in ring version %d%n", membership.state().ring().version());
                    out.flush();
                    return;
                }
                if (moved.partitionsTotal() == 0 && !saidWaiting && membership.hasView() && !membership.state().ring().moving()) {
                    out.println("waiting to be placed in the ring (a standby waits for `dynamo replace DEAD --with "
                            + me.id() + "`)");
                    out.flush();
                    saidWaiting = true;
                }
                Thread.sleep(every.toMillis());
            }
        }
    }
}
