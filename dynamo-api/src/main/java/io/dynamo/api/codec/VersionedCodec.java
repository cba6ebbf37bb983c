package io.dynamo.api.codec;

import io.dynamo.api.Bytes;
import io.dynamo.api.VectorClock;
import io.dynamo.api.Versioned;
import io.dynamo.api.WriteId;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * The compact binary form of a key's versions, shared by the wire protocol and persistent
 * storage engines: a format byte, a varint count, then per version a flags byte (bit 0:
 * tombstone; bit 1: a {@link WriteId} follows, its client id as 8 bytes and its sequence as a
 * varint), its clock and its length-prefixed value. No Java serialization.
 *
 * <p>The format byte says which clocks follow: {@value #FORMAT} when every clock is plain (what
 * the {@code vector-clock} causality scheme writes, and all data written before dotted clocks
 * existed), {@value #DOTTED_FORMAT} when some clock has dots (dotted version vectors). A build
 * that reads only the first refuses the second rather than misread it. Bit 1 came with write
 * ids: versions written before have it clear and read as they did, and a build that does not
 * know it refuses such a version ({@code unknown version flags}) rather than misread it.
 */
public final class VersionedCodec {
    public static final int FORMAT = 1;
    /** The format of lists in which some clock has dots. */
    public static final int DOTTED_FORMAT = 2;
    private static final int TOMBSTONE = 1;
    private static final int WRITE_ID = 2;

    private VersionedCodec() {}

    public static void write(List<Versioned> versions, BytesOut out) {
        out.writeByte(formatOf(versions));
        out.writeVarInt(versions.size());
        for (Versioned v : versions) {
            out.writeByte((v.tombstone() ? TOMBSTONE : 0) | (v.writeId().isPresent() ? WRITE_ID : 0));
            v.writeId().ifPresent(id -> writeId(id, out));
            v.clock().writeTo(out);
            out.writeBytes(v.value());
        }
    }

    /** {@link #DOTTED_FORMAT} when some version's clock has dots, else {@link #FORMAT}. */
    public static int formatOf(List<Versioned> versions) {
        for (Versioned v : versions) {
            if (!v.clock().isPlain()) {
                return DOTTED_FORMAT;
            }
        }
        return FORMAT;
    }

    public static byte[] encode(List<Versioned> versions) {
        BytesOut out = new BytesOut(16 + versions.size() * 48);
        write(versions, out);
        return out.toByteArray();
    }

    public static List<Versioned> read(BytesIn in) {
        int format = in.readByte();
        if (format != FORMAT && format != DOTTED_FORMAT) {
            throw new MalformedDataException("unknown versions format " + format + " (this build reads " + FORMAT
                    + " and " + DOTTED_FORMAT + ")");
        }
        int count = in.readLength(in.remaining() / 3);
        List<Versioned> versions = new ArrayList<>(count);
        for (int i = 0; i < count; i++) {
            int flags = in.readByte();
            if ((flags & ~(TOMBSTONE | WRITE_ID)) != 0) {
                throw new MalformedDataException("unknown version flags " + flags);
            }
            Optional<WriteId> writeId = (flags & WRITE_ID) != 0 ? Optional.of(readWriteId(in)) : Optional.empty();
            VectorClock clock = VectorClock.readFrom(in);
            if (format == FORMAT && !clock.isPlain()) {
                throw new MalformedDataException("a clock with dots in a list of format " + FORMAT);
            }
            Bytes value = in.readByteString();
            if ((flags & TOMBSTONE) != 0 && value.length() != 0) {
                throw new MalformedDataException("tombstone with a value");
            }
            versions.add(new Versioned(clock, value, (flags & TOMBSTONE) != 0, writeId));
        }
        return List.copyOf(versions);
    }

    /** A write id: the client id as 8 bytes, the sequence as a varint. */
    public static void writeId(WriteId id, BytesOut out) {
        out.writeLong(id.client()).writeVarLong(id.sequence());
    }

    /** Reads {@link #writeId}'s form; a client id 0 or a sequence below 1 is malformed. */
    public static WriteId readWriteId(BytesIn in) {
        long client = in.readLong();
        long sequence = in.readVarLong();
        if (client == 0 || sequence < 1) {
            throw new MalformedDataException("malformed write id: client " + Long.toHexString(client) + ", sequence "
                    + sequence + " (the client id must not be 0, the sequence must be positive)");
        }
        return new WriteId(client, sequence);
    }

    public static List<Versioned> decode(byte[] bytes) {
        BytesIn in = new BytesIn(bytes);
        List<Versioned> versions = read(in);
        in.requireEnd();
        return versions;
    }
}
