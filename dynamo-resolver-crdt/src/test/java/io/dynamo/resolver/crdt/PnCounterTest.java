package io.dynamo.resolver.crdt;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.dynamo.api.Bytes;
import io.dynamo.api.Context;
import io.dynamo.api.InvalidArgumentException;
import io.dynamo.api.ReadResult;
import io.dynamo.api.VectorClock;
import io.dynamo.api.Versioned;
import io.dynamo.api.codec.MalformedDataException;
import java.util.HexFormat;
import java.util.List;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;

class PnCounterTest {
    private static Bytes hex(String hex) {
        return Bytes.of(HexFormat.of().parseHex(hex.replace(" ", "")));
    }

    private static MalformedDataException refused(String hex) {
        return assertThrows(MalformedDataException.class, () -> PnCounter.decode(hex(hex)));
    }

    /** The examples of the module README, byte for byte. */
    @Test
    void encodingIsPinned() {
        assertEquals(hex("21 00"), PnCounter.zero().encode());
        PnCounter counter = PnCounter.zero().increment("alice", 5).decrement("bob", 2).increment("bob", 300);
        assertEquals(hex("21 02 05616c696365 05 00 03626f62 ac02 02"), counter.encode());
        assertEquals(303, counter.value());
        assertEquals(counter, PnCounter.decode(counter.encode()));
    }

    @Test
    void malformedValuesAreRefused() {
        assertTrue(refused("").getMessage().contains("empty value"));
        assertTrue(refused("11 00 00").getMessage().contains("unknown PN-counter format 0x11"), "an OR-set is not a counter");
        refused("22 00");
        refused("21 00 00"); // trailing byte
        refused("21 01 0161 01"); // truncated
        refused("21 01 0161 00 00"); // both counts 0
        refused("21 02 0162 01 00 0161 01 00"); // actors out of order
        refused("21 02 0161 01 00 0161 01 00"); // an actor twice
        refused("21 01 0161 8180808080808008 00"); // 2^52 + 1
        refused("21 01 01ff 01 00"); // actor id not UTF-8
        assertTrue(refused("21 818008").getMessage().contains("bound of 1024"));
    }

    @Test
    void boundsAreEnforcedOnTheClientWithClearErrors() {
        TreeMap<String, Long> actors = new TreeMap<>();
        for (int i = 0; i <= PnCounter.MAX_ACTORS; i++) {
            actors.put("actor-" + i, 1L);
        }
        CrdtLimitException tooMany = assertThrows(CrdtLimitException.class,
                () -> new PnCounter(new ActorCounts(actors), ActorCounts.EMPTY));
        assertTrue(tooMany.getMessage().contains("PnCounter.MAX_ACTORS"), tooMany.getMessage());
        PnCounter full = PnCounter.zero().increment("a", PnCounter.MAX_COUNT).decrement("a", PnCounter.MAX_COUNT);
        assertEquals(0, full.value());
        assertThrows(CrdtLimitException.class, () -> full.increment("a", 1));
        assertThrows(CrdtLimitException.class, () -> full.decrement("a", 1));
        assertThrows(InvalidArgumentException.class, () -> PnCounter.zero().increment("a", -1));
        assertThrows(InvalidArgumentException.class, () -> PnCounter.zero().decrement("", 1));
        assertSame(full, full.increment("a", 0));
    }

    @Test
    void theLargestValuesFitALong() {
        PnCounter counter = PnCounter.zero();
        TreeMap<String, Long> all = new TreeMap<>();
        for (int i = 0; i < PnCounter.MAX_ACTORS; i++) {
            all.put("actor-" + i, PnCounter.MAX_COUNT);
        }
        assertEquals(PnCounter.MAX_ACTORS * PnCounter.MAX_COUNT, new PnCounter(new ActorCounts(all), ActorCounts.EMPTY).value());
        assertEquals(-PnCounter.MAX_ACTORS * PnCounter.MAX_COUNT, new PnCounter(ActorCounts.EMPTY, new ActorCounts(all)).value());
        assertEquals(0, counter.value());
    }

    @Test
    void aReadMergesItsLiveSiblings() {
        PnCounter seen = PnCounter.zero().increment("alice", 10);
        VectorClock x = VectorClock.EMPTY.increment("node-1", 1);
        VectorClock y = VectorClock.EMPTY.increment("node-2", 1);
        ReadResult read = new ReadResult(Bytes.utf8("k"), List.of(Versioned.of(x, seen.increment("alice", 1).encode()),
                Versioned.of(y, seen.decrement("bob", 3).encode())), new Context(x.merge(y)));
        assertEquals(8, PnCounter.fromRead(read).value());
        ReadResult bad = new ReadResult(Bytes.utf8("k"), List.of(Versioned.of(x, Bytes.utf8("8"))), new Context(x));
        assertThrows(MalformedDataException.class, () -> PnCounter.fromRead(bad));
    }
}
