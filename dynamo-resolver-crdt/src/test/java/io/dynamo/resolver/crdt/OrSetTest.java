package io.dynamo.resolver.crdt;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
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

class OrSetTest {
    private static final Bytes MILK = Bytes.utf8("milk");
    private static final Bytes EGGS = Bytes.utf8("eggs");

    private static Bytes hex(String hex) {
        return Bytes.of(HexFormat.of().parseHex(hex.replace(" ", "")));
    }

    private static MalformedDataException refused(String hex) {
        return assertThrows(MalformedDataException.class, () -> OrSet.decode(hex(hex)));
    }

    /** The examples of the module README, byte for byte: the format must never change under them. */
    @Test
    void encodingIsPinned() {
        assertEquals(hex("11 00 00"), OrSet.empty().encode());
        OrSet one = OrSet.empty().add(MILK, "alice");
        assertEquals(hex("11 01 05616c696365 01 01 046d696c6b 01 00 01"), one.encode());
        OrSet two = one.add(EGGS, "bob").remove(MILK);
        assertEquals(hex("11 02 05616c696365 01 03626f62 01 01 0465676773 01 01 01"), two.encode());
        assertEquals(two, OrSet.decode(two.encode()));
    }

    @Test
    void malformedValuesAreRefused() {
        assertTrue(refused("").getMessage().contains("empty value"));
        assertTrue(refused("12 00 00").getMessage().contains("unknown OR-set format 0x12"));
        assertTrue(refused("21 00").getMessage().contains("unknown OR-set format 0x21"), "a PN-counter is not an OR-set");
        refused("11 00 00 00"); // trailing byte
        refused("11 00"); // truncated
        refused("11 02 03626f62 01 05616c696365 01 00"); // actors out of order
        refused("11 02 03626f62 01 03626f62 01 00"); // an actor twice
        refused("11 01 03626f62 00 00"); // counter 0
        refused("11 01 03626f62 01 01 0165 01 00 02"); // dot above the context
        refused("11 01 03626f62 01 01 0165 00"); // element without dots
        refused("11 01 03626f62 01 01 0165 01 01 01"); // dot of an actor not in the context
        refused("11 01 03626f62 02 02 0166 01 00 01 0165 01 00 01"); // elements out of order
        refused("11 01 01ff 01 00"); // actor id not UTF-8
        refused("11 01 00 01 00"); // empty actor id
    }

    @Test
    void countsPastTheBoundsAreRefusedBeforeAnyAllocation() {
        MalformedDataException actors = refused("11 818008 00"); // 1025 actors
        assertTrue(actors.getMessage().contains("bound of 1024"), actors.getMessage());
        MalformedDataException elements = refused("11 00 81800400"); // 65537 elements
        assertTrue(elements.getMessage().contains("bound of 65536"), elements.getMessage());
        MalformedDataException tooFew = refused("11 00 05 00"); // 5 elements in one byte
        assertTrue(tooFew.getMessage().contains("cannot fit"), tooFew.getMessage());
    }

    @Test
    void boundsAreEnforcedOnTheClientWithClearErrors() {
        TreeMap<String, Long> actors = new TreeMap<>();
        for (int i = 0; i <= OrSet.MAX_ACTORS; i++) {
            actors.put("actor-" + i, 1L);
        }
        CrdtLimitException tooManyActors = assertThrows(CrdtLimitException.class,
                () -> new OrSet(new ActorCounts(actors), new TreeMap<>()));
        assertTrue(tooManyActors.getMessage().contains("OrSet.MAX_ACTORS"), tooManyActors.getMessage());
        TreeMap<Bytes, ActorCounts> elements = new TreeMap<>();
        for (int i = 0; i <= OrSet.MAX_ELEMENTS; i++) {
            elements.put(Bytes.utf8("e" + i), ActorCounts.of("a", 1));
        }
        CrdtLimitException tooManyElements = assertThrows(CrdtLimitException.class,
                () -> new OrSet(ActorCounts.of("a", 1), elements));
        assertTrue(tooManyElements.getMessage().contains("OrSet.MAX_ELEMENTS"), tooManyElements.getMessage());
        assertThrows(CrdtLimitException.class, () -> OrSet.empty().add(Bytes.of(new byte[OrSet.MAX_ELEMENT_BYTES + 1]), "a"));
        OrSet exhausted = new OrSet(ActorCounts.of("a", OrSet.MAX_COUNTER), new TreeMap<>());
        assertThrows(CrdtLimitException.class, () -> exhausted.add(MILK, "a"));
        assertEquals(1, exhausted.add(MILK, "b").size());
    }

    @Test
    void actorIdsAreChecked() {
        assertThrows(InvalidArgumentException.class, () -> OrSet.empty().add(MILK, ""));
        assertThrows(InvalidArgumentException.class, () -> OrSet.empty().add(MILK, null));
        assertThrows(InvalidArgumentException.class, () -> OrSet.empty().add(MILK, "x".repeat(256)));
        assertThrows(InvalidArgumentException.class, () -> OrSet.empty().add(MILK, "\uD800"));
        assertEquals(1, OrSet.empty().add(MILK, "x".repeat(255)).size());
    }

    @Test
    void aStateWhoseDotsItsContextHasNotSeenIsRefused() {
        TreeMap<Bytes, ActorCounts> entries = new TreeMap<>();
        entries.put(MILK, ActorCounts.of("a", 2));
        assertThrows(InvalidArgumentException.class, () -> new OrSet(ActorCounts.of("a", 1), entries));
        entries.put(MILK, ActorCounts.EMPTY);
        assertThrows(InvalidArgumentException.class, () -> new OrSet(ActorCounts.of("a", 1), entries));
    }

    @Test
    void addRemoveClearAndReAdd() {
        OrSet set = OrSet.empty().add(MILK, "alice").add(EGGS, "alice");
        assertEquals(List.of("eggs", "milk"), set.elementsAsUtf8());
        assertSame(set, set.remove(Bytes.utf8("bread")));
        OrSet readded = set.add(MILK, "bob");
        assertEquals(ActorCounts.of("bob", 1), readded.entries().get(MILK), "a re-add replaces the dots it saw");
        OrSet cleared = set.clear();
        assertTrue(cleared.isEmpty());
        assertEquals(set.context(), cleared.context(), "a clear remembers what it removed");
        assertFalse(cleared.merge(set).contains(MILK), "what a clear saw stays removed");
        assertThrows(UnsupportedOperationException.class, () -> set.elements().add(EGGS));
    }

    @Test
    void aReadMergesItsLiveSiblingsAndNamesAnUnreadableOne() {
        OrSet a = OrSet.empty().add(MILK, "alice");
        OrSet b = OrSet.empty().add(EGGS, "bob");
        VectorClock x = VectorClock.EMPTY.increment("node-1", 1);
        VectorClock y = VectorClock.EMPTY.increment("node-2", 1);
        VectorClock z = VectorClock.EMPTY.increment("node-3", 1);
        ReadResult read = new ReadResult(Bytes.utf8("k"), List.of(Versioned.of(x, a.encode()), Versioned.of(y, b.encode()),
                Versioned.tombstone(z)), new Context(x.merge(y).merge(z)));
        assertEquals(a.merge(b), OrSet.fromRead(read));
        assertEquals(OrSet.empty(), OrSet.fromRead(new ReadResult(Bytes.utf8("k"), List.of(), Context.EMPTY)));
        ReadResult bad = new ReadResult(Bytes.utf8("k"), List.of(Versioned.of(x, a.encode()), Versioned.of(y, Bytes.utf8("milk"))),
                new Context(x.merge(y)));
        MalformedDataException e = assertThrows(MalformedDataException.class, () -> OrSet.fromRead(bad));
        assertTrue(e.getMessage().contains("sibling 2 of 2"), e.getMessage());
    }
}
