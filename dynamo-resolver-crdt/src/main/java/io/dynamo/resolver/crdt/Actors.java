package io.dynamo.resolver.crdt;

import io.dynamo.api.InvalidArgumentException;
import io.dynamo.api.codec.BytesIn;
import io.dynamo.api.codec.BytesOut;
import io.dynamo.api.codec.MalformedDataException;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;

/** Actor ids: checked on the way in, written as UTF-8 strings, read back strictly. */
final class Actors {
    /** An actor id is repeated in every value of the key: keep it short. */
    static final int MAX_ID_BYTES = 255;

    private Actors() {}

    /** {@code actor} itself when it is a valid actor id: 1 to {@value #MAX_ID_BYTES} bytes of UTF-8. */
    static String check(String actor) {
        if (actor == null || actor.isEmpty()) {
            throw new InvalidArgumentException("an actor id must not be null or empty");
        }
        if (!StandardCharsets.UTF_8.newEncoder().canEncode(actor)) {
            throw new InvalidArgumentException("actor id " + actor + " is not valid Unicode (an unpaired surrogate)");
        }
        int length = actor.getBytes(StandardCharsets.UTF_8).length;
        if (length > MAX_ID_BYTES) {
            throw new InvalidArgumentException("actor id of " + length + " bytes is longer than " + MAX_ID_BYTES
                    + ": it is stored in every value of the key");
        }
        return actor;
    }

    static void write(String actor, BytesOut out) {
        out.writeString(actor);
    }

    /** An actor id as {@link #write} wrote it; refuses bad UTF-8, which would not encode back to the same bytes. */
    static String read(BytesIn in) {
        byte[] bytes = in.readRaw(in.readLength(Math.min(MAX_ID_BYTES, in.remaining())));
        if (bytes.length == 0) {
            throw new MalformedDataException("empty actor id");
        }
        try {
            return StandardCharsets.UTF_8.newDecoder()
                    .onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT)
                    .decode(ByteBuffer.wrap(bytes)).toString();
        } catch (CharacterCodingException e) {
            throw new MalformedDataException("actor id is not valid UTF-8");
        }
    }
}
