package io.dynamo.api;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.dynamo.api.codec.BytesIn;
import io.dynamo.api.codec.BytesOut;
import io.dynamo.api.codec.MalformedDataException;
import io.dynamo.api.codec.VersionedCodec;
import java.util.Arrays;
import java.util.List;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.PropertyDefaults;
import net.jqwik.api.Provide;
import org.junit.jupiter.api.Test;

@PropertyDefaults(tries = 300)
class VersionedCodecProperties {
    @Provide
    Arbitrary<List<Versioned>> versionLists() {
        Arbitrary<VectorClock.Entry> entry = Combinators.combine(
                Arbitraries.strings().ofMinLength(1).ofMaxLength(12), Arbitraries.longs().between(1, VectorClock.MAX_COUNTER),
                Arbitraries.longs().between(0, Long.MAX_VALUE))
                .as(VectorClock.Entry::new);
        Arbitrary<VectorClock> clock = entry.list().ofMaxSize(5).uniqueElements(VectorClock.Entry::nodeId).map(VectorClock::of);
        Arbitrary<Bytes> value = Arbitraries.bytes().array(byte[].class).ofMaxSize(64).map(Bytes::of);
        Arbitrary<java.util.Optional<WriteId>> writeId = Combinators.combine(
                        Arbitraries.longs().filter(id -> id != 0), Arbitraries.longs().between(1, Long.MAX_VALUE))
                .as(WriteId::new).optional();
        Arbitrary<Versioned> version = Combinators.combine(clock, value, Arbitraries.integers().between(0, 4), writeId)
                .as((c, v, kind, id) -> new Versioned(c, kind == 0 ? Bytes.EMPTY : v, kind == 0, id));
        return version.list().ofMaxSize(6);
    }

    @Property(seed = "7")
    void encodingRoundTrips(@ForAll("versionLists") List<Versioned> versions) {
        byte[] encoded = VersionedCodec.encode(versions);
        List<Versioned> decoded = VersionedCodec.decode(encoded);
        assertEquals(versions, decoded);
        assertArrayEquals(encoded, VersionedCodec.encode(decoded));
    }

    @Property(seed = "7")
    void writeAndReadFollowOneAnother(@ForAll("versionLists") List<Versioned> first, @ForAll("versionLists") List<Versioned> second) {
        BytesOut out = new BytesOut();
        VersionedCodec.write(first, out);
        VersionedCodec.write(second, out);
        BytesIn in = new BytesIn(out.toByteArray());
        assertEquals(first, VersionedCodec.read(in));
        assertEquals(second, VersionedCodec.read(in));
        in.requireEnd();
    }

    @Property(seed = "7")
    void randomBytesDecodeOrFailWithMalformedData(@ForAll byte[] garbage) {
        try {
            VersionedCodec.decode(garbage);
        } catch (MalformedDataException expected) {
            // the only acceptable failure
        }
    }

    @Property(seed = "7")
    void plausibleGarbageDecodesOrFailsWithMalformedData(@ForAll byte[] garbage, @ForAll("versionLists") List<Versioned> versions) {
        // garbage behind a valid format byte and count reaches the per-version decoding
        byte[] prefixed = new byte[garbage.length + 2];
        prefixed[0] = VersionedCodec.FORMAT;
        prefixed[1] = (byte) Math.min(versions.size(), 3);
        System.arraycopy(garbage, 0, prefixed, 2, garbage.length);
        try {
            VersionedCodec.decode(prefixed);
        } catch (MalformedDataException expected) {
            // the only acceptable failure
        }
    }

    @Property(seed = "7")
    void everyTruncatedEncodingFailsWithMalformedData(@ForAll("versionLists") List<Versioned> versions) {
        byte[] encoded = VersionedCodec.encode(versions);
        for (int length = 0; length < encoded.length; length++) {
            byte[] prefix = Arrays.copyOf(encoded, length);
            assertThrows(MalformedDataException.class, () -> VersionedCodec.decode(prefix), "prefix of " + length + " bytes");
        }
    }

    @Property(seed = "7")
    void flippedBytesDecodeOrFailWithMalformedData(@ForAll("versionLists") List<Versioned> versions, @ForAll int position, @ForAll byte value) {
        byte[] encoded = VersionedCodec.encode(versions);
        encoded[Math.floorMod(position, encoded.length)] ^= (byte) (value | 1);
        try {
            VersionedCodec.decode(encoded);
        } catch (MalformedDataException expected) {
            // the only acceptable failure
        }
    }

    @Test
    void trailingBytesAreDamage() {
        byte[] encoded = VersionedCodec.encode(List.of(Versioned.of(VectorClock.EMPTY.increment("a", 1), Bytes.utf8("x"))));
        byte[] longer = Arrays.copyOf(encoded, encoded.length + 1);
        assertEquals("1 unexpected trailing bytes", assertThrows(MalformedDataException.class, () -> VersionedCodec.decode(longer)).getMessage());
    }

    @Test
    void unknownFormatAndFlagsAreNamed() {
        assertEquals("unknown versions format 3 (this build reads 1 and 2)",
                assertThrows(MalformedDataException.class, () -> VersionedCodec.decode(new byte[] {3, 0})).getMessage());
        // format 1 is plain clocks only: a dotted clock in it is damage, not a version
        byte[] dotted = VersionedCodec.encode(List.of(Versioned.of(VectorClock.EMPTY.withDot("a", 1, 0), Bytes.utf8("x"))));
        assertEquals(VersionedCodec.DOTTED_FORMAT, dotted[0]);
        dotted[0] = VersionedCodec.FORMAT;
        assertEquals("a clock with dots in a list of format 1",
                assertThrows(MalformedDataException.class, () -> VersionedCodec.decode(dotted)).getMessage());
        assertEquals("unknown version flags 4",
                assertThrows(MalformedDataException.class, () -> VersionedCodec.decode(new byte[] {1, 1, 4, 0, 0})).getMessage());
        assertEquals("tombstone with a value",
                assertThrows(MalformedDataException.class, () -> VersionedCodec.decode(new byte[] {1, 1, 1, 0, 1, 'x'})).getMessage());
    }

    @Test
    void aVersionWithoutWriteIdEncodesAsBeforeWriteIds() {
        // format 1, one version, flags 0, the clock {a:1 at 1}, the value "x": readable as it always was
        Versioned old = Versioned.of(VectorClock.EMPTY.increment("a", 1), Bytes.utf8("x"));
        byte[] encoded = VersionedCodec.encode(List.of(old));
        assertEquals(0, encoded[2], "flags of a version without write id");
        assertEquals(List.of(old), VersionedCodec.decode(encoded));
    }

    @Test
    void aWriteIdSetsFlagBitOneAndFollowsTheFlags() {
        Versioned made = Versioned.of(VectorClock.EMPTY.increment("a", 1), Bytes.utf8("x")).withWriteId(new WriteId(-2, 300));
        byte[] encoded = VersionedCodec.encode(List.of(made));
        assertEquals(2, encoded[2]);
        assertEquals(List.of(made), VersionedCodec.decode(encoded));
    }

    @Test
    void aMalformedWriteIdIsRefusedWithItsReason() {
        // flags 2, client id 0 (8 bytes), sequence 1
        byte[] zeroClient = {1, 1, 2, 0, 0, 0, 0, 0, 0, 0, 0, 1, 0, 0};
        assertEquals("malformed write id: client 0, sequence 1 (the client id must not be 0, the sequence must be positive)",
                assertThrows(MalformedDataException.class, () -> VersionedCodec.decode(zeroClient)).getMessage());
        byte[] zeroSequence = {1, 1, 2, 0, 0, 0, 0, 0, 0, 0, 7, 0, 0, 0};
        assertThrows(MalformedDataException.class, () -> VersionedCodec.decode(zeroSequence));
        assertThrows(InvalidArgumentException.class, () -> new WriteId(0, 1));
        assertThrows(InvalidArgumentException.class, () -> new WriteId(1, 0));
    }

    @Test
    void anEmptyListEncodesToTwoBytes() {
        assertArrayEquals(new byte[] {1, 0}, VersionedCodec.encode(List.of()));
        assertEquals(List.of(), VersionedCodec.decode(new byte[] {1, 0}));
    }
}
