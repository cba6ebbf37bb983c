package io.dynamo.core.messages;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.dynamo.api.codec.BytesOut;
import io.dynamo.api.codec.MalformedDataException;
import io.dynamo.core.membership.GossipState;
import io.dynamo.core.membership.RingState;
import io.dynamo.core.store.CatalogEntry;
import io.dynamo.core.store.StoreCatalog;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** A gossiped catalog is checked field by field; anything out of shape makes the whole message malformed. */
class StoreCatalogCodecTest {
    private static final RingState RING = RingState.settled(1, List.of("node-1", "node-2"));

    @Test
    void aGossipedCatalogRoundTrips() {
        StoreCatalog catalog = StoreCatalog.EMPTY.create("carts", Map.of("n", "2", "resolver", "set-union"), "node-1")
                .create("sessions", Map.of(), "node-2").drop("sessions", "node-1");
        Message.Gossip gossip = new Message.Gossip(new GossipState(Map.of(), RING, catalog));
        assertEquals(gossip, MessageCodec.decode(MessageCodec.encode(gossip)));
    }

    @Test
    void aStateSavedBeforeTheCatalogExistedReadsAsAnEmptyCatalog() {
        // the bytes a node wrote before the catalog: the state ends with the ring
        byte[] current = MessageCodec.encode(new Message.Gossip(new GossipState(Map.of(), RING)));
        byte[] older = java.util.Arrays.copyOf(current, current.length - 1); // drop the catalog's count (0)
        assertEquals(new Message.Gossip(new GossipState(Map.of(), RING)), MessageCodec.decode(older));
    }

    @Test
    void malformedCatalogsAreRefused() {
        assertMalformed(entry("Carts", 1, "node-1", 0, Map.of()), "bad store name");
        assertMalformed(entry("default", 1, "node-1", 0, Map.of()), "the default store");
        assertMalformed(entry("carts", 1, "", 0, Map.of()), "origin node id");
        assertMalformed(entry("carts", 1, "node-1", 2, Map.of()), "bad dropped flag 2");
        assertMalformed(entry("carts", 1, "node-1", 1, Map.of("n", "2")), "a dropped store keeps no settings");
        assertMalformed(entry("carts", 1, "node-1", 0, Map.of("N", "2")), "bad setting key");
        assertMalformed(entry("carts", 1, "node-1", 0, Map.of("n", "x".repeat(300))), "must have 1 to 256 characters");
        // a store named twice
        BytesOut twice = gossipPrefix().writeVarInt(2);
        writeEntry(twice, "carts", 1, "node-1", 0, Map.of());
        writeEntry(twice, "carts", 2, "node-1", 0, Map.of());
        assertTrue(assertThrows(MalformedDataException.class, () -> MessageCodec.decode(twice.toByteArray()))
                .getMessage().contains("appears twice"));
        // a count beyond the bytes left
        BytesOut huge = gossipPrefix().writeVarInt(1_000_000);
        assertThrows(MalformedDataException.class, () -> MessageCodec.decode(huge.toByteArray()));
        // a setting named twice
        BytesOut key = gossipPrefix().writeVarInt(1);
        key.writeString("carts").writeVarLong(1).writeString("node-1").writeByte(0).writeVarInt(2);
        key.writeString("n").writeString("2").writeString("n").writeString("3");
        assertTrue(assertThrows(MalformedDataException.class, () -> MessageCodec.decode(key.toByteArray()))
                .getMessage().contains("store setting n appears twice"));
        // too many settings
        BytesOut many = gossipPrefix().writeVarInt(1);
        many.writeString("carts").writeVarLong(1).writeString("node-1").writeByte(0).writeVarInt(CatalogEntry.MAX_SETTINGS + 1);
        for (int i = 0; i <= CatalogEntry.MAX_SETTINGS; i++) {
            many.writeString("k" + i).writeString("v");
        }
        assertThrows(MalformedDataException.class, () -> MessageCodec.decode(many.toByteArray()));
    }

    @Test
    void malformedAdminRequestsAreRefused() {
        byte[] create = MessageCodec.encode(new Message.CreateStore("carts", Map.of("n", "2")));
        int at = indexOf(create, "carts");
        create[at] = 'C';
        assertThrows(MalformedDataException.class, () -> MessageCodec.decode(create));
        byte[] drop = MessageCodec.encode(new Message.DropStore("carts"));
        drop[indexOf(drop, "carts")] = ' ';
        assertThrows(MalformedDataException.class, () -> MessageCodec.decode(drop));
    }

    private static void assertMalformed(byte[] gossip, String expected) {
        String message = assertThrows(MalformedDataException.class, () -> MessageCodec.decode(gossip)).getMessage();
        assertTrue(message.contains(expected), message);
    }

    /** A Gossip message with no members, {@link #RING}, and one catalog entry as given. */
    private static byte[] entry(String name, long version, String origin, int dropped, Map<String, String> settings) {
        BytesOut out = gossipPrefix().writeVarInt(1);
        writeEntry(out, name, version, origin, dropped, settings);
        return out.toByteArray();
    }

    private static void writeEntry(BytesOut out, String name, long version, String origin, int dropped,
            Map<String, String> settings) {
        out.writeString(name).writeVarLong(version).writeString(origin).writeByte(dropped).writeVarInt(settings.size());
        new java.util.TreeMap<>(settings).forEach((key, value) -> out.writeString(key).writeString(value));
    }

    /** The bytes of a Gossip message up to its catalog. */
    private static BytesOut gossipPrefix() {
        byte[] empty = MessageCodec.encode(new Message.Gossip(new GossipState(Map.of(), RING)));
        BytesOut out = new BytesOut(64);
        for (int i = 0; i < empty.length - 1; i++) {
            out.writeByte(empty[i] & 0xff);
        }
        return out;
    }

    private static int indexOf(byte[] bytes, String text) {
        byte[] needle = text.getBytes(StandardCharsets.UTF_8);
        outer:
        for (int i = 0; i <= bytes.length - needle.length; i++) {
            for (int j = 0; j < needle.length; j++) {
                if (bytes[i + j] != needle[j]) {
                    continue outer;
                }
            }
            return i;
        }
        throw new AssertionError(text + " not found");
    }
}
