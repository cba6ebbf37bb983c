package io.dynamo.storage.chronicle;

import static java.util.Objects.requireNonNull;

import io.dynamo.api.codec.BytesIn;
import io.dynamo.api.codec.BytesOut;
import io.dynamo.api.codec.MalformedDataException;
import java.util.zip.CRC32C;

/**
 * What the engine knows about one map file, kept beside it in a small file of its own, because
 * Chronicle Map cannot be trusted to notice a damaged file (it may block for over a minute on
 * garbage in its header, or crash the JVM while recovering a file with garbage inside).
 *
 * <p>{@code headerLength}/{@code headerChecksum} cover Chronicle's self-describing header at the
 * start of the file, which never changes after creation. {@code initialLength} is the file's
 * length once created (it only grows, by extra tiers); {@code cleanLength} its exact length at
 * the last clean close, valid when the state is {@link State#CLEAN}.
 *
 * @param state what the engine was doing with the file when the manifest was written
 */
record Manifest(
        State state,
        int partition,
        long entries,
        double averageKeySize,
        double averageValueSize,
        double maxBloatFactor,
        int segments,
        int headerLength,
        int headerChecksum,
        long initialLength,
        long cleanLength) {

    /** The manifest's own format; a different one is refused rather than guessed at. */
    static final int FORMAT = 1;

    private static final int MAGIC = 0x44594D46; // "DYMF"

    enum State {
        /** The map file is being created; nothing was acknowledged from it yet. */
        CREATING,
        /** The map is (or was, if the process died) open for writing: recover it on open. */
        OPEN,
        /** The map was closed cleanly: open it as it is. */
        CLEAN,
        /** The partition is being dropped: finish deleting it. */
        DROPPING
    }

    Manifest {
        requireNonNull(state, "state is null");
        if (segments < 1) {
            throw new IllegalArgumentException("segments must be positive, was " + segments);
        }
        if (headerLength < 0 || initialLength < 0 || cleanLength < 0) {
            throw new IllegalArgumentException("negative length in manifest");
        }
    }

    Manifest withState(State newState) {
        return new Manifest(newState, partition, entries, averageKeySize, averageValueSize, maxBloatFactor, segments,
                headerLength, headerChecksum, initialLength, cleanLength);
    }

    Manifest created(int newHeaderLength, int newHeaderChecksum, long newInitialLength) {
        return new Manifest(State.OPEN, partition, entries, averageKeySize, averageValueSize, maxBloatFactor, segments,
                newHeaderLength, newHeaderChecksum, newInitialLength, 0);
    }

    Manifest closedCleanly(long length) {
        return new Manifest(State.CLEAN, partition, entries, averageKeySize, averageValueSize, maxBloatFactor, segments,
                headerLength, headerChecksum, initialLength, length);
    }

    byte[] toBytes() {
        BytesOut out = new BytesOut(80);
        out.writeInt(MAGIC);
        out.writeByte(FORMAT);
        out.writeByte(state.ordinal());
        out.writeInt(partition);
        out.writeLong(entries);
        out.writeLong(Double.doubleToLongBits(averageKeySize));
        out.writeLong(Double.doubleToLongBits(averageValueSize));
        out.writeLong(Double.doubleToLongBits(maxBloatFactor));
        out.writeInt(segments);
        out.writeInt(headerLength);
        out.writeInt(headerChecksum);
        out.writeLong(initialLength);
        out.writeLong(cleanLength);
        byte[] body = out.toByteArray();
        CRC32C crc = new CRC32C();
        crc.update(body);
        out.writeInt((int) crc.getValue());
        return out.toByteArray();
    }

    /** Parses a manifest; throws {@link MalformedDataException} saying what is wrong. */
    static Manifest fromBytes(byte[] bytes) {
        if (bytes.length < 8) {
            throw new MalformedDataException("manifest of " + bytes.length + " bytes is too short");
        }
        CRC32C crc = new CRC32C();
        crc.update(bytes, 0, bytes.length - 4);
        BytesIn trailer = new BytesIn(bytes, bytes.length - 4, 4);
        if ((int) crc.getValue() != trailer.readInt()) {
            throw new MalformedDataException("manifest checksum mismatch");
        }
        BytesIn in = new BytesIn(bytes, 0, bytes.length - 4);
        if (in.readInt() != MAGIC) {
            throw new MalformedDataException("not a manifest (bad magic number)");
        }
        int format = in.readByte();
        if (format != FORMAT) {
            throw new MalformedDataException("unknown manifest format " + format + " (this build reads " + FORMAT + ")");
        }
        int stateOrdinal = in.readByte();
        if (stateOrdinal >= State.values().length) {
            throw new MalformedDataException("unknown manifest state " + stateOrdinal);
        }
        Manifest manifest = new Manifest(
                State.values()[stateOrdinal],
                in.readInt(),
                in.readLong(),
                Double.longBitsToDouble(in.readLong()),
                Double.longBitsToDouble(in.readLong()),
                Double.longBitsToDouble(in.readLong()),
                in.readInt(),
                in.readInt(),
                in.readInt(),
                in.readLong(),
                in.readLong());
        in.requireEnd();
        return manifest;
    }
}
