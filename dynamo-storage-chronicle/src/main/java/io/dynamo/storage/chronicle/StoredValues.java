package io.dynamo.storage.chronicle;

import io.dynamo.api.Versioned;
import io.dynamo.api.codec.BytesIn;
import io.dynamo.api.codec.MalformedDataException;
import io.dynamo.api.codec.VersionedCodec;
import java.util.Arrays;
import java.util.List;
import java.util.zip.CRC32C;

/**
 * The stored form of a key's versions: {@link VersionedCodec}'s encoding (whose first byte is
 * the format byte) followed by a 4-byte big-endian CRC32C of those bytes. Chronicle Map does not
 * notice damage inside a value, so every read checks the checksum before decoding.
 */
final class StoredValues {
    static final int CHECKSUM_BYTES = 4;

    private StoredValues() {}

    static byte[] encode(List<Versioned> versions) {
        byte[] body = VersionedCodec.encode(versions);
        return seal(body);
    }

    /** {@code body} followed by its checksum. */
    static byte[] seal(byte[] body) {
        byte[] stored = Arrays.copyOf(body, body.length + CHECKSUM_BYTES);
        int crc = checksum(stored, body.length);
        for (int i = 0; i < CHECKSUM_BYTES; i++) {
            stored[body.length + i] = (byte) (crc >>> (24 - 8 * i));
        }
        return stored;
    }

    /** The versions in {@code stored}; throws {@link MalformedDataException} saying what is wrong. */
    static List<Versioned> decode(byte[] stored) {
        int bodyLength = stored.length - CHECKSUM_BYTES;
        if (bodyLength < 1) {
            throw new MalformedDataException("stored value of " + stored.length + " bytes is too short");
        }
        int expected = 0;
        for (int i = 0; i < CHECKSUM_BYTES; i++) {
            expected = (expected << 8) | (stored[bodyLength + i] & 0xFF);
        }
        int actual = checksum(stored, bodyLength);
        if (actual != expected) {
            throw new MalformedDataException(String.format(
                    "checksum mismatch (stored %08x, computed %08x over %d bytes)", expected, actual, bodyLength));
        }
        BytesIn in = new BytesIn(stored, 0, bodyLength);
        List<Versioned> versions = VersionedCodec.read(in);
        in.requireEnd();
        return versions;
    }

    private static int checksum(byte[] bytes, int length) {
        CRC32C crc = new CRC32C();
        crc.update(bytes, 0, length);
        return (int) crc.getValue();
    }
}
