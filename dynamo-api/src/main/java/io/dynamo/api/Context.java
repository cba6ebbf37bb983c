package io.dynamo.api;

import static java.util.Objects.requireNonNull;

import io.dynamo.api.codec.MalformedDataException;
import java.util.Base64;

/**
 * The causal context a read returns and the next write passes back: the merge of the clocks of
 * every version the client saw. A write with this context supersedes all of them.
 *
 * <p>Clients treat it as opaque; {@link #encode()} gives a URL-safe text form for shells and
 * HTTP headers, {@link #decode(String)} reads it back.
 */
public record Context(VectorClock clock) {
    /** The context of a client that has read nothing: its write is concurrent with any existing version. */
    public static final Context EMPTY = new Context(VectorClock.EMPTY);

    public Context {
        requireNonNull(clock, "clock is null");
    }

    public String encode() {
        return Base64.getUrlEncoder().withoutPadding().encodeToString(clock.toBytes());
    }

    /** Reads {@link #encode()}'s text; the empty string is {@link #EMPTY}. */
    public static Context decode(String text) {
        if (text == null) {
            throw new InvalidArgumentException("context is null");
        }
        if (text.isEmpty()) {
            return EMPTY;
        }
        try {
            return new Context(VectorClock.fromBytes(Base64.getUrlDecoder().decode(text)));
        } catch (IllegalArgumentException | MalformedDataException e) {
            throw new InvalidArgumentException("malformed context '" + text + "': " + e.getMessage(), e);
        }
    }

    @Override
    public String toString() {
        return encode();
    }
}
