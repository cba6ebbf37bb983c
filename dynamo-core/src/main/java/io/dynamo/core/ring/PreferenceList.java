package io.dynamo.core.ring;

import java.util.AbstractList;
import java.util.Objects;
import java.util.RandomAccess;

/**
 * An immutable view of {@code size} consecutive entries of a ring's precomputed preference
 * lists: the one allocation of a lookup on the request path.
 */
final class PreferenceList extends AbstractList<String> implements RandomAccess {
    private final String[] nodes;
    private final int from;
    private final int size;

    PreferenceList(String[] nodes, int from, int size) {
        this.nodes = nodes;
        this.from = from;
        this.size = size;
    }

    @Override
    public String get(int index) {
        Objects.checkIndex(index, size);
        return nodes[from + index];
    }

    @Override
    public int size() {
        return size;
    }
}
