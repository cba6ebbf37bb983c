package io.dynamo.core.resolution;

import io.dynamo.api.Bytes;
import io.dynamo.api.Versioned;
import io.dynamo.api.codec.BytesOut;
import io.dynamo.spi.resolution.ConflictResolver;
import java.util.ArrayList;
import java.util.List;
import java.util.SortedSet;
import java.util.TreeSet;

/**
 * The paper's shopping cart: a value is a set of lines (byte strings separated by {@code '\n'},
 * UTF-8 text in practice; empty lines are ignored), and concurrent siblings merge into one
 * version holding the union of their lines, sorted by unsigned bytes and joined by
 * {@code '\n'}, under the merge of their clocks.
 *
 * <p>Tombstones: a delete concurrent with a live sibling contributes no lines and loses (add
 * wins), so a cart deleted on one side and added to on the other keeps the added items. Only
 * when every sibling is a tombstone is the result one tombstone under the merged clock. Like
 * Dynamo's cart, an item removed on one side can reappear when merged with a concurrent
 * sibling that still holds it.
 */
final class SetUnionResolver implements ConflictResolver {
    private static final byte NEWLINE = '\n';

    @Override
    public List<Versioned> resolve(Bytes key, List<Versioned> versions) {
        Versions.checkInput(versions);
        List<Versioned> siblings = Versions.concurrentSiblings(versions);
        if (siblings.size() == 1) {
            return List.of(siblings.get(0));
        }
        SortedSet<Bytes> lines = new TreeSet<>();
        boolean anyLive = false;
        for (Versioned v : siblings) {
            if (!v.tombstone()) {
                anyLive = true;
                lines.addAll(lines(v.value()));
            }
        }
        if (!anyLive) {
            return List.of(Versioned.tombstone(Versions.mergedClock(siblings)));
        }
        return List.of(Versioned.of(Versions.mergedClock(siblings), join(lines)));
    }

    /** The non-empty lines of {@code value}. */
    static List<Bytes> lines(Bytes value) {
        byte[] bytes = value.toByteArray();
        List<Bytes> lines = new ArrayList<>();
        int start = 0;
        for (int i = 0; i <= bytes.length; i++) {
            if (i == bytes.length || bytes[i] == NEWLINE) {
                if (i > start) {
                    byte[] line = new byte[i - start];
                    System.arraycopy(bytes, start, line, 0, line.length);
                    lines.add(Bytes.wrapOwned(line));
                }
                start = i + 1;
            }
        }
        return lines;
    }

    private static Bytes join(SortedSet<Bytes> lines) {
        BytesOut out = new BytesOut();
        boolean first = true;
        for (Bytes line : lines) {
            if (!first) {
                out.writeByte(NEWLINE);
            }
            first = false;
            out.writeRaw(line.toByteArray());
        }
        return Bytes.wrapOwned(out.toByteArray());
    }

    @Override
    public Semantics semantics() {
        return Semantics.MERGE;
    }

    @Override
    public String toString() {
        return SetUnionResolverFactory.NAME;
    }
}
