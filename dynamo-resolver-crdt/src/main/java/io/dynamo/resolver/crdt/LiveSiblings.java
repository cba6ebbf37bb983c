package io.dynamo.resolver.crdt;

import io.dynamo.api.Bytes;
import io.dynamo.api.Versioned;
import io.dynamo.api.codec.MalformedDataException;
import java.util.List;
import java.util.function.BinaryOperator;
import java.util.function.Function;

/** The client-side merge every CRDT value shares: decode each live sibling, merge them all. */
final class LiveSiblings {
    private LiveSiblings() {}

    /**
     * The merge of the live (not tombstone) {@code versions} decoded by {@code decode}, starting from
     * {@code zero}; a sibling that does not decode is named as not being {@code what}.
     */
    static <T> T merge(List<Versioned> versions, T zero, Function<Bytes, T> decode, BinaryOperator<T> merge,
            String what) {
        T merged = zero;
        for (int i = 0; i < versions.size(); i++) {
            Versioned v = versions.get(i);
            if (v.tombstone()) {
                continue;
            }
            try {
                merged = merge.apply(merged, decode.apply(v.value()));
            } catch (MalformedDataException e) {
                throw new MalformedDataException("sibling " + (i + 1) + " of " + versions.size() + " is not " + what + ": "
                        + e.getMessage(), e);
            }
        }
        return merged;
    }
}
