package io.dynamo.core.membership;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.dynamo.core.ring.Ring;
import io.dynamo.spi.partition.Partitioner;
import io.dynamo.spi.transport.Endpoint;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class RingTransitionsTest {
    private static final Partitioner HASH = Partitioner.of64Bits(key -> key.hashCode() * 0x9E3779B97F4A7C15L);
    private static final int Q = 64;

    private final RingTransitions transitions = new RingTransitions(HASH);
    private final Ring three = Ring.create(List.of("n1", "n2", "n3"), Q, HASH);
    private final RingState settled = RingState.settled(7, three.assignment());
    private final Map<String, MemberInfo> members = new HashMap<>();

    RingTransitionsTest() {
        for (String id : List.of("n1", "n2", "n3")) {
            members.put(id, member(id, MemberState.UP));
        }
    }

    @Test
    void aJoinProposalOfAJoiningMemberAndItsSettlingAreAccepted() {
        members.put("n4", member("n4", MemberState.JOINING));
        Ring joined = three.withMember("n4");
        RingState proposal = new RingState(8, three.assignment(), joined.assignment());
        assertEquals(Optional.empty(), transitions.refusal(settled, proposal, members));
        assertEquals(Optional.empty(), transitions.refusal(proposal, RingState.settled(9, joined.assignment()), members));
        // a node that missed the proposal takes the settling, and then the next change
        assertEquals(Optional.empty(), transitions.refusal(settled, RingState.settled(9, joined.assignment()), members));
        RingState leave = new RingState(10, joined.assignment(), joined.withoutMember("n2").assignment());
        assertEquals(Optional.empty(), transitions.refusal(settled, leave, members));
    }

    @Test
    void aDecommissionProposalIsAccepted() {
        RingState proposal = new RingState(8, three.assignment(), three.withoutMember("n3").assignment());
        assertEquals(Optional.empty(), transitions.refusal(settled, proposal, members));
    }

    @Test
    void aForcedRemovalIsTheRemovalStep() {
        // a forced removal proposes what a decommission proposes: the ring without the node
        RingState proposal = new RingState(8, three.assignment(), three.withoutMember("n2").assignment());
        assertEquals(Optional.empty(), transitions.refusal(settled, proposal, members));
        assertEquals(Optional.empty(),
                transitions.refusal(proposal, RingState.settled(9, three.withoutMember("n2").assignment()), members));
    }

    @Test
    void aReplacementByAJoiningNodeAndItsSettlingAreAccepted() {
        members.put("n4", member("n4", MemberState.JOINING));
        Ring replaced = three.withReplacement("n3", "n4");
        assertEquals(three.partitionsOwnedBy("n3"), replaced.partitionsOwnedBy("n4"));
        for (int p = 0; p < Q; p++) {
            assertEquals(three.preferenceList(p, 3).stream().map(id -> id.equals("n3") ? "n4" : id).toList(),
                    replaced.preferenceList(p, 3), "the replacement takes n3's place in every preference list");
        }
        RingState proposal = new RingState(8, three.assignment(), replaced.assignment());
        assertEquals(Optional.empty(), transitions.refusal(settled, proposal, members));
        assertEquals(Optional.empty(), transitions.refusal(proposal, RingState.settled(9, replaced.assignment()), members));
        // a node that was down through it takes the settled ring, and a replacement among other changes
        assertEquals(Optional.empty(), transitions.refusal(settled, RingState.settled(9, replaced.assignment()), members));
        members.put("n5", member("n5", MemberState.JOINING));
        Ring thenJoined = replaced.withMember("n5");
        assertEquals(Optional.empty(), transitions.refusal(settled, RingState.settled(11, thenJoined.assignment()), members));
        Ring thenRemoved = replaced.withoutMember("n1");
        assertEquals(Optional.empty(), transitions.refusal(settled, RingState.settled(11, thenRemoved.assignment()), members));
    }

    @Test
    void aForgedReplacementIsRefused() {
        // by a node nobody knows, or that does not say it is joining
        RingState byStranger = new RingState(8, three.assignment(), three.withReplacement("n3", "ghost").assignment());
        assertTrue(transitions.refusal(settled, byStranger, members).isPresent());
        members.put("ghost", member("ghost", MemberState.UP));
        assertTrue(transitions.refusal(settled, byStranger, members).orElseThrow().contains("replacement"));
        // a joining node that takes more than the partitions of the node it replaces
        members.put("n4", member("n4", MemberState.JOINING));
        List<String> greedy = new ArrayList<>(three.withReplacement("n3", "n4").assignment());
        int ofN1 = three.partitionsOwnedBy("n1").get(0);
        greedy.set(ofN1, "n4");
        assertTrue(transitions.refusal(settled, new RingState(8, three.assignment(), greedy), members).isPresent());
        assertTrue(transitions.refusal(settled, RingState.settled(9, greedy), members).isPresent());
        // two replacements in one proposal
        members.put("n5", member("n5", MemberState.JOINING));
        Ring twice = three.withReplacement("n3", "n4").withReplacement("n2", "n5");
        assertTrue(transitions.refusal(settled, new RingState(8, three.assignment(), twice.assignment()), members)
                .isPresent());
        // a replacement settled as if it were one change when the versions say none happened
        assertTrue(transitions.refusal(settled, RingState.settled(7, three.withReplacement("n3", "n4").assignment()),
                members).isPresent());
    }

    @Test
    void aStrangerOwningEveryPartitionIsRefused() {
        members.put("ghost", member("ghost", MemberState.UP));
        RingState poisoned = RingState.settled(1_000, Collections.nCopies(Q, "ghost"));
        assertTrue(transitions.refusal(settled, poisoned, members).isPresent());
        RingState near = RingState.settled(9, Collections.nCopies(Q, "ghost"));
        assertTrue(transitions.refusal(settled, near, members).orElseThrow().contains("does not follow"));
    }

    @Test
    void aJoinOfAMemberNobodyKnowsOrThatIsNotJoiningIsRefused() {
        RingState unknown = new RingState(8, three.assignment(), three.withMember("ghost").assignment());
        assertTrue(transitions.refusal(settled, unknown, members).isPresent());
        members.put("ghost", member("ghost", MemberState.UP));
        assertTrue(transitions.refusal(settled, unknown, members).isPresent());
        RingState settledUnknown = RingState.settled(9, three.withMember("stranger").assignment());
        assertTrue(transitions.refusal(settled, settledUnknown, members).orElseThrow().contains("unknown"));
    }

    @Test
    void anAssignmentThatNoJoinOrRemovalGivesIsRefused() {
        List<String> swapped = new ArrayList<>(three.assignment());
        Collections.swap(swapped, 0, 1);
        Collections.swap(swapped, 2, 5);
        assertTrue(transitions.refusal(settled, new RingState(8, three.assignment(), swapped), members).isPresent());
        assertTrue(transitions.refusal(settled, new RingState(8, swapped, swapped), members).isPresent());
        assertTrue(transitions.refusal(settled, RingState.settled(7, swapped), members).isPresent(), "same version, other ring");
        assertTrue(transitions.refusal(settled, new RingState(9, three.assignment(), three.withoutMember("n1").assignment()),
                members).isPresent(), "a change in progress at a settling's version");
    }

    @Test
    void anotherPartitionCountOrTooManyMissedChangesAreRefused() {
        Ring other = Ring.create(List.of("n1", "n2", "n3"), Q * 2, HASH);
        assertTrue(transitions.refusal(settled, RingState.settled(9, other.assignment()), members).orElseThrow()
                .contains("partitions"));
        assertTrue(transitions.refusal(settled, RingState.settled(7 + 2 * (RingTransitions.MAX_MISSED_CHANGES + 1),
                three.assignment()), members).isPresent());
    }

    @Test
    void aNodeThatKnowsNoRingYetTakesItsSeedsRing() {
        assertEquals(Optional.empty(), transitions.refusal(RingState.UNKNOWN, settled, members));
    }

    private static MemberInfo member(String id, MemberState state) {
        return new MemberInfo(id, new Endpoint(id), 1, 1, state, MoveProgress.NONE);
    }
}
