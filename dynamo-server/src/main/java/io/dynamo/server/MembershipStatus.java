package io.dynamo.server;

import io.dynamo.core.membership.GossipState;
import io.dynamo.core.membership.MemberInfo;
import io.dynamo.core.membership.MemberState;
import io.dynamo.core.membership.MoveProgress;
import io.dynamo.core.membership.RingState;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** The gossip columns of {@code dynamo status}: a node's partitions in the gossiped ring, its membership, its move. */
final class MembershipStatus {
    static final String FORMAT = "%-16s %-22s %-5s %-10s %-10s %s%n";

    private MembershipStatus() {}

    /** What gossip says of one node ("?" where it says nothing). */
    record Line(String partitions, String membership, String move) {}

    static Line line(String id, Optional<GossipState> gossip) {
        if (gossip.isEmpty() || !gossip.get().ring().known()) {
            return new Line("?", "?", "-");
        }
        RingState ring = gossip.get().ring();
        int now = counts(ring.current()).getOrDefault(id, 0);
        int then = counts(ring.target()).getOrDefault(id, 0);
        MemberInfo member = gossip.get().members().get(id);
        boolean inRing = ring.current().contains(id) || ring.target().contains(id);
        String membership = member == null ? (inRing ? "member" : "?")
                // a member taken out of the ring while down still says it is up: it was removed or replaced
                : !inRing && member.state() == MemberState.UP ? "removed" : name(member.state());
        String move = "-";
        if (member != null && ring.moving()) {
            MoveProgress progress = member.progress();
            if (progress.ringVersion() == ring.version() && progress.partitionsTotal() > 0) {
                move = String.format("receiving %d/%d partitions (%.0f%%), %d keys", progress.partitionsDone(),
                        progress.partitionsTotal(), 100 * progress.fraction(), progress.keysStreamed());
            } else if (now != then) {
                move = now > then ? "giving away " + (now - then) : "waiting to receive";
            }
        }
        return new Line(ring.moving() && now != then ? now + "->" + then : String.valueOf(now), membership, move);
    }

    private static String name(MemberState state) {
        return state == MemberState.UP ? "member" : state.name().toLowerCase(java.util.Locale.ROOT);
    }

    /** How many partitions each node owns in a ring assignment (partition → owner). */
    static Map<String, Integer> counts(List<String> owners) {
        Map<String, Integer> counts = new HashMap<>();
        owners.forEach(owner -> counts.merge(owner, 1, Integer::sum));
        return counts;
    }
}
