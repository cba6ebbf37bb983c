package io.dynamo.storage.chronicle;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.dynamo.api.Bytes;
import io.dynamo.api.VectorClock;
import io.dynamo.api.Versioned;
import io.dynamo.api.codec.MalformedDataException;
import io.dynamo.api.codec.VersionedCodec;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.constraints.IntRange;

class StoredValuesProperties {

    @Property(seed = "20070101", tries = 300)
    void everyListOfVersionsRoundTrips(@ForAll("versionLists") List<Versioned> versions) {
        byte[] stored = StoredValues.encode(versions);
        assertEquals(versions, StoredValues.decode(stored));
    }

    @Property(seed = "20070102", tries = 300)
    void theStoredFormStartsWithTheCodecsFormatByteAndEndsWithAChecksum(@ForAll("versionLists") List<Versioned> versions) {
        byte[] stored = StoredValues.encode(versions);
        byte[] body = VersionedCodec.encode(versions);
        assertEquals(VersionedCodec.FORMAT, stored[0]);
        assertEquals(body.length + StoredValues.CHECKSUM_BYTES, stored.length);
        assertArrayEquals(body, Arrays.copyOf(stored, body.length));
    }

    @Property(seed = "20070103", tries = 300)
    void anyChangedByteIsDetected(
            @ForAll("versionLists") List<Versioned> versions,
            @ForAll @IntRange(min = 0, max = 1 << 20) int position,
            @ForAll @IntRange(min = 1, max = 255) int flip) {
        byte[] stored = StoredValues.encode(versions);
        stored[position % stored.length] ^= (byte) flip;
        assertThrows(MalformedDataException.class, () -> StoredValues.decode(stored));
    }

    @Property(seed = "20070104", tries = 300)
    void aTruncatedValueIsDetected(
            @ForAll("versionLists") List<Versioned> versions, @ForAll @IntRange(min = 1, max = 1 << 20) int cut) {
        byte[] stored = StoredValues.encode(versions);
        byte[] truncated = Arrays.copyOf(stored, stored.length - 1 - cut % stored.length);
        assertThrows(MalformedDataException.class, () -> StoredValues.decode(truncated));
    }

    @Property(seed = "20070105", tries = 300)
    void anUnknownFormatByteIsRefusedEvenWithAValidChecksum(
            @ForAll("versionLists") List<Versioned> versions, @ForAll @IntRange(min = 0, max = 255) int format) {
        byte[] body = VersionedCodec.encode(versions);
        if (format == VersionedCodec.FORMAT || format == VersionedCodec.DOTTED_FORMAT) {
            return; // known formats: plain clocks, and clocks with dots (a plain list reads under either)
        }
        body[0] = (byte) format;
        MalformedDataException e = assertThrows(MalformedDataException.class, () -> StoredValues.decode(StoredValues.seal(body)));
        assertTrue(e.getMessage().contains("format " + format), e.getMessage());
    }

    @Provide
    Arbitrary<List<Versioned>> versionLists() {
        return versions().list().ofMinSize(0).ofMaxSize(5);
    }

    private Arbitrary<Versioned> versions() {
        Arbitrary<VectorClock> clocks = entries().list().ofMaxSize(6).map(list -> {
            List<VectorClock.Entry> distinct = new ArrayList<>();
            list.stream().filter(e -> distinct.stream().noneMatch(d -> d.nodeId().equals(e.nodeId())))
                    .forEach(distinct::add);
            return VectorClock.of(distinct);
        });
        Arbitrary<Bytes> values = Arbitraries.bytes().array(byte[].class).ofMaxSize(300).map(Bytes::of);
        // versions made by identified client writes carry their write id into storage too
        Arbitrary<java.util.Optional<io.dynamo.api.WriteId>> writeIds = Combinators.combine(
                Arbitraries.longs().filter(id -> id != 0), Arbitraries.longs().between(1, Long.MAX_VALUE))
                .as(io.dynamo.api.WriteId::new).optional();
        return Combinators.combine(clocks, values, Arbitraries.integers().between(0, 4), writeIds)
                .as((clock, value, kind, id) -> new Versioned(clock, kind == 0 ? Bytes.EMPTY : value, kind == 0, id));
    }

    private Arbitrary<VectorClock.Entry> entries() {
        return Combinators.combine(
                        Arbitraries.strings().withCharRange('a', 'z').withChars('-', '1', 'é').ofMinLength(1).ofMaxLength(12),
                        Arbitraries.longs().between(1, VectorClock.MAX_COUNTER),
                        Arbitraries.longs().between(0, Long.MAX_VALUE))
                .as(VectorClock.Entry::new);
    }
}
