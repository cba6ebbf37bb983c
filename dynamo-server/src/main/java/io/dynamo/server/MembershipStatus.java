package io.dynamo.server;

import io.dynamo.core.membership.GossipState;
import io.dynamo.core.membership.MemberInfo;
import io.dynamo.core.membership.MoveProgress;
import io.dynamo.core.membership.RingState;
import java.io.PrintWriter;
import java.util.HashMap;
import java.util.Map;
import java.util.TreeMap;

/** The membership part of {@code dynamo status}: the gossiped ring, each member's state, the moves in progress. */
final class MembershipStatus {
    private MembershipStatus() {}

    static void print(PrintWriter out, GossipState state) {
        RingState ring = state.ring();
        Map<String, Integer> owned = counts(ring.current());
        Map<String, Integer> target = counts(ring.target());
        out.printf("gossip: ring version %d%s%n", ring.version(), ring.moving() ? ", partitions moving" : "");
        out.printf("%-16s %-22s %-8s %-10s %s%n", "member", "address", "state", "partitions", "move");
        for (MemberInfo member : new TreeMap<>(state.members()).values()) {
            int now = owned.getOrDefault(member.id(), 0);
            int then = target.getOrDefault(member.id(), 0);
            MoveProgress progress = member.progress();
            String move = "-";
            if (ring.moving() && progress.ringVersion() == ring.version() && progress.partitionsTotal() > 0) {
                move = String.format("receiving %d/%d partitions (%.0f%%), %d keys", progress.partitionsDone(),
                        progress.partitionsTotal(), 100 * progress.fraction(), progress.keysStreamed());
            } else if (ring.moving() && now != then) {
                move = now > then ? "giving away " + (now - then) : "waiting to receive";
            }
            out.printf("%-16s %-22s %-8s %-10s %s%n", member.id(), member.endpoint(), member.state().name().toLowerCase(),
                    ring.moving() && now != then ? now + "->" + then : String.valueOf(now), move);
        }
    }

    /** How many partitions each node owns in a ring assignment (partition → owner). */
    static Map<String, Integer> counts(java.util.List<String> owners) {
        Map<String, Integer> counts = new HashMap<>();
        owners.forEach(owner -> counts.merge(owner, 1, Integer::sum));
        return counts;
    }
}
