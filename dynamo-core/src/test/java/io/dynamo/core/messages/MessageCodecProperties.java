package io.dynamo.core.messages;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.dynamo.api.Bytes;
import io.dynamo.api.VectorClock;
import io.dynamo.api.Versioned;
import io.dynamo.api.WriteId;
import io.dynamo.api.codec.MalformedDataException;
import io.dynamo.spi.transport.Endpoint;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;

/** Every message survives encoding; any other bytes fail with MalformedDataException and nothing else. */
class MessageCodecProperties {
    @Property(tries = 500)
    void everyMessageRoundTrips(@ForAll("messages") Message message) {
        assertEquals(message, MessageCodec.decode(MessageCodec.encode(message)));
    }

    @Property(tries = 2000)
    void garbageNeverDecodesWithAnythingButMalformedData(@ForAll byte[] garbage) {
        try {
            MessageCodec.decode(garbage);
        } catch (MalformedDataException expected) {
            // the only failure allowed
        }
    }

    @Property(tries = 1000)
    void damagedMessagesFailCleanly(@ForAll("messages") Message message, @ForAll("positions") int position,
            @ForAll byte noise, @ForAll boolean truncate) {
        byte[] bytes = MessageCodec.encode(message);
        int at = position % bytes.length;
        byte[] damaged;
        if (truncate) {
            damaged = java.util.Arrays.copyOf(bytes, at);
        } else {
            damaged = bytes.clone();
            damaged[at] ^= (byte) (noise | 1);
        }
        try {
            MessageCodec.decode(damaged);
        } catch (MalformedDataException expected) {
            // a flipped bit may still decode to another valid message; anything else must be this
        }
    }

    @Provide
    Arbitrary<Integer> positions() {
        return Arbitraries.integers().between(0, 1 << 20);
    }

    @Provide
    Arbitrary<Message> messages() {
        Arbitrary<Message> plain = plainMessages();
        Arbitrary<String> stores = Arbitraries.oneOf(Arbitraries.of("carts", "sessions", "0", "a".repeat(63)),
                Arbitraries.strings().withChars("abcxyz0123456789_-").ofMinLength(1).ofMaxLength(10)
                        .filter(name -> Character.isLetterOrDigit(name.charAt(0)) && !name.equals("default")));
        Arbitrary<Message> inStore = Combinators.combine(stores,
                        plain.filter(m -> m instanceof Message.Request r && Message.InStore.isStoreScoped(r)))
                .as((store, request) -> new Message.InStore(store, (Message.Request) request));
        return Arbitraries.frequencyOf(net.jqwik.api.Tuple.of(3, plain), net.jqwik.api.Tuple.of(1, inStore));
    }

    private Arbitrary<Message> plainMessages() {
        Arbitrary<Bytes> bytes = Arbitraries.bytes().array(byte[].class).ofMaxSize(40).map(Bytes::of);
        Arbitrary<String> ids = Arbitraries.strings().withCharRange('a', 'e').ofMinLength(1).ofMaxLength(6);
        Arbitrary<VectorClock> clocks = Combinators.combine(ids, Arbitraries.longs().between(1, 1L << 40),
                        Arbitraries.longs().between(0, 1L << 45))
                .as(VectorClock.Entry::new).list().ofMaxSize(4).uniqueElements(VectorClock.Entry::nodeId)
                .map(VectorClock::of);
        Arbitrary<Optional<WriteId>> writeIds = Combinators.combine(Arbitraries.longs().filter(id -> id != 0),
                Arbitraries.longs().between(1, Long.MAX_VALUE)).as(WriteId::new).optional();
        Arbitrary<Long> deadlines = Arbitraries.oneOf(Arbitraries.just(0L), Arbitraries.longs().between(1, Long.MAX_VALUE));
        Arbitrary<Versioned> versions = Combinators.combine(clocks, bytes, Arbitraries.of(true, false), writeIds)
                .as((c, v, dead, id) -> new Versioned(c, dead ? Bytes.EMPTY : v, dead, id));
        Arbitrary<List<Versioned>> lists = versions.list().ofMaxSize(4);
        Arbitrary<Optional<String>> hints = ids.optional();
        Arbitrary<Integer> quorums = Arbitraries.integers().between(0, Message.MAX_QUORUM);
        Arbitrary<Long> timeouts = Arbitraries.longs().between(0, 3_600_000);
        Arbitrary<Boolean> flags = Arbitraries.of(true, false);
        Arbitrary<Integer> primaries = Arbitraries.integers().between(0, Message.MAX_QUORUM);
        return Arbitraries.oneOf(
                Combinators.combine(bytes, quorums, timeouts, flags, primaries).as(Message.ClientGet::new),
                Combinators.combine(bytes, bytes, clocks, quorums, timeouts, flags, writeIds, deadlines)
                        .as(Message.ClientPut::new)
                        .flatMap(p -> Combinators.combine(primaries, flags).as((pw, ifUnmodified) -> new Message.ClientPut(
                                p.key(), p.value(), p.context(), p.quorum(), p.timeoutMillis(), p.forwarded(), p.writeId(),
                                p.deadlineMillis(), pw, ifUnmodified))),
                Combinators.combine(bytes, clocks, quorums, timeouts, flags, writeIds, deadlines)
                        .as(Message.ClientDelete::new)
                        .flatMap(d -> Combinators.combine(primaries, flags).as((pw, ifUnmodified) -> new Message.ClientDelete(
                                d.key(), d.context(), d.quorum(), d.timeoutMillis(), d.forwarded(), d.writeId(),
                                d.deadlineMillis(), pw, ifUnmodified))),
                Combinators.combine(bytes, versions, hints).as((k, v, h) -> new Message.ReplicaWrite(k, List.of(v), h, true)),
                Combinators.combine(lists, clocks).as(Message.Conflict::new),
                Combinators.combine(bytes, quorums, timeouts, flags).as(Message.ClientGet::new),
                Combinators.combine(bytes, bytes, clocks, quorums, timeouts, flags).as(Message.ClientPut::new),
                Combinators.combine(bytes, clocks, quorums, timeouts, flags).as(Message.ClientDelete::new),
                Combinators.combine(bytes, bytes, clocks, quorums, timeouts, flags, writeIds, deadlines)
                        .as(Message.ClientPut::new),
                Combinators.combine(bytes, clocks, quorums, timeouts, flags, writeIds, deadlines)
                        .as(Message.ClientDelete::new),
                Combinators.combine(bytes, hints).as(Message.ReplicaRead::new),
                Combinators.combine(bytes, lists, hints).as(Message.ReplicaWrite::new),
                Combinators.combine(bytes, lists, ids).as(Message.HintDelivery::new),
                ids.map(Message.Ping::new),
                lists.map(Message.Versions::new),
                Combinators.combine(lists, clocks).as(Message.ReadResult::new),
                clocks.map(Message.Written::new),
                Arbitraries.just(new Message.Ack()),
                Combinators.combine(Arbitraries.of(ErrorCode.class), Arbitraries.strings().ofMaxLength(30), ids,
                                Arbitraries.integers().between(0, 9), Arbitraries.integers().between(0, 9),
                                Arbitraries.integers().between(0, 9))
                        .as(Message.Error::new),
                Arbitraries.just(new Message.Routing()),
                ids.map(Message.RemoveNode::new),
                Arbitraries.just(new Message.Hints()),
                Arbitraries.longs().between(0, Message.Drain.MAX_HANDOFF_MILLIS).map(Message.Drain::new),
                Arbitraries.maps(ids, Arbitraries.longs().between(0, Long.MAX_VALUE)).ofMaxSize(5)
                        .map(Message.HintCounts::new),
                ids.map(dead -> new Message.ReplaceNode(dead, dead + "-new")),
                Arbitraries.integers().between(0, 1 << 16).list().ofMaxSize(20).map(Message.HoldsPartitions::new),
                Arbitraries.integers().between(0, 1 << 16).list().ofMaxSize(20).map(Message.HeldPartitions::new),
                routingTables(ids),
                Arbitraries.just(new Message.Plugins()),
                pluginLists(),
                Combinators.combine(storeNames(), storeSettings()).as(Message.CreateStore::new),
                storeNames().map(Message.DropStore::new),
                Arbitraries.just(new Message.ListStores()),
                catalogEntries(true).list().ofMaxSize(4).map(Message.StoreList::new),
                gossipStates(ids).map(Message.Gossip::new),
                gossipStates(ids).map(Message.GossipAck::new));
    }

    static Arbitrary<String> storeNames() {
        return Arbitraries.oneOf(Arbitraries.of("carts", "sessions", "a", "0_x-y"),
                Arbitraries.strings().withCharRange('a', 'z').ofMinLength(1).ofMaxLength(63));
    }

    static Arbitrary<Map<String, String>> storeSettings() {
        return Arbitraries.maps(Arbitraries.of("n", "r", "w", "resolver", "timeout", "max-value-size"),
                Arbitraries.strings().withCharRange('0', 'z').ofMinLength(1).ofMaxLength(12)).ofMaxSize(4);
    }

    /** Entries of a catalog ({@code withDefault}: of a store list, where {@code default} may appear). */
    static Arbitrary<io.dynamo.core.store.CatalogEntry> catalogEntries(boolean withDefault) {
        Arbitrary<String> names = withDefault ? Arbitraries.oneOf(storeNames(), Arbitraries.just("default"))
                : storeNames().filter(name -> !name.equals("default"));
        return Combinators.combine(names, storeSettings(), Arbitraries.longs().between(0, Long.MAX_VALUE),
                        Arbitraries.of("node-1", "node-2", "n"), Arbitraries.of(true, false))
                .as((name, settings, version, origin, dropped) -> new io.dynamo.core.store.CatalogEntry(name,
                        new java.util.TreeMap<>(dropped ? Map.of() : settings), version, origin, dropped));
    }

    static Arbitrary<io.dynamo.core.store.StoreCatalog> catalogs() {
        return catalogEntries(false).list().ofMaxSize(4).uniqueElements(io.dynamo.core.store.CatalogEntry::name)
                .map(io.dynamo.core.store.StoreCatalog::of);
    }

    private static Arbitrary<io.dynamo.core.membership.GossipState> gossipStates(Arbitrary<String> ids) {
        Arbitrary<io.dynamo.core.membership.RingState> rings = Arbitraries.oneOf(
                Arbitraries.just(io.dynamo.core.membership.RingState.UNKNOWN),
                ids.list().ofMinSize(1).ofMaxSize(8).map(assignment ->
                        io.dynamo.core.membership.RingState.settled(3, assignment)));
        Arbitrary<Map<String, io.dynamo.core.membership.MemberInfo>> members = ids.list().ofMaxSize(3).uniqueElements()
                .map(list -> {
                    Map<String, io.dynamo.core.membership.MemberInfo> byId = new HashMap<>();
                    list.forEach(id -> byId.put(id, new io.dynamo.core.membership.MemberInfo(id, new Endpoint(id + ":7001"),
                            5, 9, io.dynamo.core.membership.MemberState.UP, io.dynamo.core.membership.MoveProgress.NONE)));
                    return byId;
                });
        return Combinators.combine(members, rings, catalogs()).as(io.dynamo.core.membership.GossipState::new);
    }

    private static Arbitrary<Message> pluginLists() {
        Arbitrary<String> text = Arbitraries.strings().ofMaxLength(12);
        Arbitrary<java.util.Optional<List<String>>> keys = text.list().ofMaxSize(4).optional();
        return Combinators.combine(text, text, text, text, text, keys)
                .as(io.dynamo.core.plugin.PluginDescription::new)
                .list().ofMaxSize(5)
                .map(Message.PluginList::new);
    }

    private static Arbitrary<Message> routingTables(Arbitrary<String> ids) {
        return ids.list().ofMinSize(1).ofMaxSize(4).uniqueElements().flatMap(members -> {
            Map<String, Endpoint> endpoints = new HashMap<>();
            members.forEach(id -> endpoints.put(id, new Endpoint("127.0.0.1:" + (7001 + endpoints.size()))));
            return Arbitraries.of(members).list().ofMinSize(1).ofMaxSize(8).flatMap(assignment ->
                    Combinators.combine(Arbitraries.integers().between(1, 3), Arbitraries.of("md5", "murmur3", ""),
                                    Arbitraries.of(true, false),
                                    Arbitraries.integers().between(0, assignment.size() - 1).list().ofSize(4))
                            .as((n, partitioner, clientReads, probes) -> new Message.RoutingTable(assignment, endpoints,
                                    n, n, partitioner, clientReads, probes)));
        });
    }

    @org.junit.jupiter.api.Test
    void aStoreEnvelopeHoldsTheInnerRequestAsItIsEncodedAlone() {
        Message.ClientGet get = new Message.ClientGet(Bytes.utf8("k"), 2, 100, false);
        byte[] alone = MessageCodec.encode(get);
        byte[] wrapped = MessageCodec.encode(new Message.InStore("carts", get));

        // version, type 19, the name (length 5 and its bytes), then the inner type and body
        assertEquals(List.of(1, 19, 5), List.of((int) wrapped[0], (int) wrapped[1], (int) wrapped[2]));
        assertEquals(new String(wrapped, 3, 5, java.nio.charset.StandardCharsets.UTF_8), "carts");
        org.junit.jupiter.api.Assertions.assertArrayEquals(java.util.Arrays.copyOfRange(alone, 1, alone.length),
                java.util.Arrays.copyOfRange(wrapped, 8, wrapped.length));
        assertEquals(get, Message.InStore.wrap("default", get), "the default store travels without an envelope");
    }

    @org.junit.jupiter.api.Test
    void badStoreEnvelopesAreRefused() {
        Message.ClientGet get = new Message.ClientGet(Bytes.utf8("k"), 2, 100, false);
        byte[] good = MessageCodec.encode(new Message.InStore("carts", get));
        byte[] inner = MessageCodec.encode(get);
        // a nested envelope, a response inside, a request that is not about a store's keys, bad names
        assertRefused(concat(new byte[] {1, 19, 5}, "carts".getBytes(), new byte[] {19, 5}, "carts".getBytes(),
                java.util.Arrays.copyOfRange(inner, 1, inner.length)), "a store envelope inside another");
        assertRefused(concat(new byte[] {1, 19, 5}, "carts".getBytes(), new byte[] {67}), "a store envelope holds a response");
        byte[] ping = MessageCodec.encode(new Message.Ping("n1"));
        assertRefused(concat(new byte[] {1, 19, 5}, "carts".getBytes(), java.util.Arrays.copyOfRange(ping, 1, ping.length)),
                "Ping is not about a store's keys");
        byte[] upper = good.clone();
        upper[3] = 'C';
        assertRefused(upper, "'Carts' is not a store name");
        assertRefused(concat(new byte[] {1, 19, 7}, "default".getBytes(), java.util.Arrays.copyOfRange(inner, 1, inner.length)),
                "without a store envelope");
        assertRefused(java.util.Arrays.copyOf(good, 8), "");
        org.junit.jupiter.api.Assertions.assertThrows(io.dynamo.api.InvalidArgumentException.class,
                () -> new Message.InStore("carts", new Message.InStore("sessions", get)));
    }

    private static void assertRefused(byte[] bytes, String why) {
        MalformedDataException e = org.junit.jupiter.api.Assertions.assertThrows(MalformedDataException.class,
                () -> MessageCodec.decode(bytes));
        org.junit.jupiter.api.Assertions.assertTrue(e.getMessage().contains(why), e.getMessage());
    }

    private static byte[] concat(byte[]... parts) {
        java.io.ByteArrayOutputStream out = new java.io.ByteArrayOutputStream();
        for (byte[] part : parts) {
            out.writeBytes(part);
        }
        return out.toByteArray();
    }

    @org.junit.jupiter.api.Test
    void aWriteWithoutIdOrDeadlineKeepsTheFormerBytes() {
        Message.ClientPut plain = new Message.ClientPut(Bytes.utf8("k"), Bytes.utf8("v"), VectorClock.EMPTY, 2, 100, true);
        byte[] encoded = MessageCodec.encode(plain);
        assertEquals(1, encoded[encoded.length - 1], "the flags byte ends the message, only bit 0 set");
        assertEquals(plain, MessageCodec.decode(encoded));
    }

    @org.junit.jupiter.api.Test
    void aMalformedWriteIdOrDeadlineOrUnknownFlagIsRefused() {
        Message.ClientPut plain = new Message.ClientPut(Bytes.utf8("k"), Bytes.utf8("v"), VectorClock.EMPTY, 2, 100, false);
        int flagsAt = MessageCodec.encode(plain).length - 1;
        byte[] identified = MessageCodec.encode(new Message.ClientPut(Bytes.utf8("k"), Bytes.utf8("v"), VectorClock.EMPTY, 2,
                100, false, Optional.of(new WriteId(0x0102030405060708L, 9)), 0));
        assertEquals(2, identified[flagsAt]);
        byte[] zeroClient = identified.clone();
        java.util.Arrays.fill(zeroClient, flagsAt + 1, flagsAt + 9, (byte) 0);
        assertEquals("malformed write id: client 0, sequence 9 (the client id must not be 0, the sequence must be positive)",
                org.junit.jupiter.api.Assertions.assertThrows(MalformedDataException.class,
                        () -> MessageCodec.decode(zeroClient)).getMessage());
        byte[] unknownFlag = identified.clone();
        unknownFlag[flagsAt] = 32 | 2;
        assertEquals("unknown write request flags 34", org.junit.jupiter.api.Assertions.assertThrows(
                MalformedDataException.class, () -> MessageCodec.decode(unknownFlag)).getMessage());
        byte[] zeroDeadline = MessageCodec.encode(plain.withDeadline(5));
        zeroDeadline[zeroDeadline.length - 1] = 0; // varint 5 -> 0
        org.junit.jupiter.api.Assertions.assertThrows(MalformedDataException.class, () -> MessageCodec.decode(zeroDeadline));
    }

    @org.junit.jupiter.api.Test
    void requestsWithoutPrimariesOrAConditionKeepTheFormerBytes() {
        Message.ClientGet get = new Message.ClientGet(Bytes.utf8("k"), 2, 100, true);
        byte[] encoded = MessageCodec.encode(get);
        assertEquals(1, encoded[encoded.length - 1], "the flags byte ends the read, only bit 0 set");
        Message.ReplicaWrite write = new Message.ReplicaWrite(Bytes.utf8("k"), List.of(), Optional.empty());
        byte[] replica = MessageCodec.encode(write);
        assertEquals(0, replica[replica.length - 1], "the absent-hint marker ends an unconditional replica write");
    }

    @org.junit.jupiter.api.Test
    void primariesAndTheConditionRoundTripAndBadOnesAreRefused() {
        Message.ClientGet get = new Message.ClientGet(Bytes.utf8("k"), 0, 0, false, 3);
        byte[] encoded = MessageCodec.encode(get);
        assertEquals(2, encoded[encoded.length - 2], "pr's flag");
        assertEquals(get, MessageCodec.decode(encoded));
        byte[] zero = encoded.clone();
        zero[zero.length - 1] = 0;
        assertEquals("pr/pw flagged present but 0", org.junit.jupiter.api.Assertions.assertThrows(
                MalformedDataException.class, () -> MessageCodec.decode(zero)).getMessage());
        byte[] tooMany = java.util.Arrays.copyOf(encoded, encoded.length + 1);
        tooMany[tooMany.length - 2] = (byte) 0x80; // varint 256
        tooMany[tooMany.length - 1] = 2;
        org.junit.jupiter.api.Assertions.assertThrows(MalformedDataException.class, () -> MessageCodec.decode(tooMany));

        Message.ClientPut put = new Message.ClientPut(Bytes.utf8("k"), Bytes.utf8("v"), VectorClock.EMPTY, 0, 0, false,
                Optional.empty(), 0, 2, true);
        byte[] conditional = MessageCodec.encode(put);
        assertEquals(8 | 16, conditional[conditional.length - 2], "pw's and the condition's flags");
        assertEquals(put, MessageCodec.decode(conditional));

        Versioned one = new Versioned(VectorClock.EMPTY.increment("a", 1), Bytes.utf8("v"), false, Optional.empty());
        byte[] replica = MessageCodec.encode(new Message.ReplicaWrite(Bytes.utf8("k"), List.of(one, one), Optional.empty()));
        replica[replica.length - 1] = 2; // conditional, with two versions
        org.junit.jupiter.api.Assertions.assertThrows(MalformedDataException.class, () -> MessageCodec.decode(replica));
    }
}
