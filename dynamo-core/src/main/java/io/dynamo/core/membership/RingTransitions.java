package io.dynamo.core.membership;

import static java.util.Objects.requireNonNull;

import io.dynamo.api.InvalidArgumentException;
import io.dynamo.core.ring.Ring;
import io.dynamo.spi.partition.Partitioner;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;

/**
 * Which ring states a node accepts from gossip: only those that follow from the one it holds by
 * the documented steps, whoever sends them. A change is a proposal, version {@code v+1}, whose
 * target is the settled ring {@code v} with one member joined ({@link Ring#withMember}), one
 * removed ({@link Ring#withoutMember}: a decommission or a forced removal) or one replaced by a
 * new node ({@link Ring#withReplacement}); then its settling, version {@code v+2}, whose
 * assignment is that target. A node that missed changes (it was down) accepts a state as far
 * ahead as {@value #MAX_MISSED_CHANGES} changes, as long as some order of the joins, removals
 * and replacements it shows leads from its ring to the state's. A member that joins or replaces
 * must be known from gossip and say it is joining. The partition count never changes.
 *
 * <p>Refusing is safe: a node that refuses a genuine ring keeps serving with the one it holds and
 * drops nothing (dropping also needs the new owners' confirmation); an operator can then restart
 * it with a fresh data directory to take the cluster's ring.
 */
final class RingTransitions {
    /** How many changes a node may have missed and still check the ring it is sent. */
    static final int MAX_MISSED_CHANGES = 5;

    private final Partitioner partitioner;

    RingTransitions(Partitioner partitioner) {
        this.partitioner = requireNonNull(partitioner, "partitioner is null");
    }

    /**
     * Why {@code incoming} cannot follow from {@code mine}, or empty when it can. Only called for
     * an incoming state that is newer by the merge rule.
     *
     * @param members every member known, the incoming state's entries merged in
     */
    Optional<String> refusal(RingState mine, RingState incoming, Map<String, MemberInfo> members) {
        if (!mine.known()) {
            return Optional.empty(); // a joining node learns the ring from its seed; it holds no data yet
        }
        int partitions = mine.current().size();
        if (incoming.current().size() != partitions) {
            return Optional.of("it has " + incoming.current().size() + " partitions, the cluster " + partitions);
        }
        try {
            return check(mine, incoming, members);
        } catch (InvalidArgumentException e) {
            return Optional.of(e.getMessage());
        }
    }

    private Optional<String> check(RingState mine, RingState incoming, Map<String, MemberInfo> members) {
        if (!mine.moving()) {
            return follows(mine.current(), mine.version(), incoming, members);
        }
        // a change of ours in progress: the incoming state builds on its target (its settling and
        // what came after), or on the ring before it (a competing change that won)
        Optional<String> onTarget = follows(mine.target(), mine.version() + 1, incoming, members);
        if (onTarget.isEmpty()) {
            return onTarget;
        }
        return follows(mine.current(), mine.version() - 1, incoming, members).isEmpty() ? Optional.empty() : onTarget;
    }

    /** Why {@code incoming} cannot follow from the settled ring {@code base} of version {@code baseVersion}. */
    private Optional<String> follows(List<String> base, long baseVersion, RingState incoming,
            Map<String, MemberInfo> members) {
        long steps = incoming.version() - baseVersion;
        if (steps < 0) {
            return Optional.of("version " + incoming.version() + " is older than settled ring version " + baseVersion);
        }
        if (steps == 0) {
            return incoming.current().equals(base) && !incoming.moving() ? Optional.empty()
                    : Optional.of("it differs from settled ring version " + baseVersion);
        }
        long changes = (steps + 1) / 2;
        if (changes > MAX_MISSED_CHANGES) {
            return Optional.of("it is " + changes + " changes ahead of settled ring version " + baseVersion
                    + "; a node checks at most " + MAX_MISSED_CHANGES);
        }
        boolean proposal = steps % 2 == 1;
        if (proposal != incoming.moving()) {
            return Optional.of("version " + incoming.version() + " must " + (proposal ? "" : "not ")
                    + "be a change in progress after settled ring version " + baseVersion);
        }
        Ring from = ring(base);
        Ring settledTo = ring(incoming.current());
        Ring target = ring(incoming.target());
        if (!reachable(from, settledTo, (int) (proposal ? changes - 1 : changes))) {
            return Optional.of("its ring does not follow from settled ring version " + baseVersion
                    + " by joins, removals and replacements");
        }
        if (proposal && !oneChange(settledTo, target, members)) {
            return Optional.of("its change is not one join of a joining member, one removal of a member or one"
                    + " replacement of a member by a joining one");
        }
        for (String id : target.members()) {
            if (!from.isMember(id) && !members.containsKey(id)) {
                return Optional.of("member " + id + " is unknown");
            }
        }
        return Optional.empty();
    }

    /** The members {@code to} has that {@code from} lacks, and those it lacks that {@code from} has. */
    private record Change(Set<String> joined, Set<String> removed) {
        static Change between(Ring from, Ring to) {
            Set<String> joined = new TreeSet<>(to.members());
            joined.removeAll(from.members());
            Set<String> removed = new TreeSet<>(from.members());
            removed.removeAll(to.members());
            return new Change(joined, removed);
        }
    }

    /**
     * Whether {@code to} follows from {@code from} by exactly {@code changes} joins, removals and
     * replacements in some order (a replacement is one change that both adds and removes a member).
     */
    private boolean reachable(Ring from, Ring to, int changes) {
        Change change = Change.between(from, to);
        int steps = change.joined().size() + change.removed().size();
        int replacements = steps - changes;
        if (replacements < 0 || replacements > Math.min(change.joined().size(), change.removed().size())) {
            return false; // a member that joined and left again is beyond this check
        }
        return anyOrder(from, to, List.copyOf(change.joined()), List.copyOf(change.removed()), changes);
    }

    private boolean anyOrder(Ring from, Ring to, List<String> joins, List<String> removals, int changes) {
        if (changes == 0) {
            return joins.isEmpty() && removals.isEmpty() && from.assignment().equals(to.assignment());
        }
        if (joins.size() + removals.size() < changes || joins.size() + removals.size() > 2 * changes) {
            return false;
        }
        for (String id : joins) {
            if (anyOrder(from.withMember(id), to, without(joins, id), removals, changes - 1)) {
                return true;
            }
        }
        for (String id : removals) {
            if (from.members().size() > 1
                    && anyOrder(from.withoutMember(id), to, joins, without(removals, id), changes - 1)) {
                return true;
            }
        }
        for (String removed : removals) {
            for (String joined : joins) {
                if (anyOrder(from.withReplacement(removed, joined), to, without(joins, joined), without(removals, removed),
                        changes - 1)) {
                    return true;
                }
            }
        }
        return false;
    }

    private static List<String> without(List<String> ids, String id) {
        List<String> rest = new ArrayList<>(ids);
        rest.remove(id);
        return rest;
    }

    private boolean oneChange(Ring from, Ring to, Map<String, MemberInfo> members) {
        Change change = Change.between(from, to);
        if (change.joined().size() == 1 && change.removed().isEmpty()) {
            String id = change.joined().iterator().next();
            return joining(id, members) && from.withMember(id).assignment().equals(to.assignment());
        }
        if (change.removed().size() == 1 && change.joined().isEmpty() && from.members().size() > 1) {
            return from.withoutMember(change.removed().iterator().next()).assignment().equals(to.assignment());
        }
        if (change.removed().size() == 1 && change.joined().size() == 1) {
            String replacement = change.joined().iterator().next();
            return joining(replacement, members)
                    && from.withReplacement(change.removed().iterator().next(), replacement).assignment()
                            .equals(to.assignment());
        }
        return false;
    }

    private static boolean joining(String id, Map<String, MemberInfo> members) {
        MemberInfo member = members.get(id);
        return member != null && member.state() == MemberState.JOINING;
    }

    private Ring ring(List<String> assignment) {
        return Ring.fromAssignment(assignment, partitioner);
    }
}
