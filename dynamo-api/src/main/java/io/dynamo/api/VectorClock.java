package io.dynamo.api;

import io.dynamo.api.codec.BytesIn;
import io.dynamo.api.codec.BytesOut;
import io.dynamo.api.codec.MalformedDataException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;

/**
 * An immutable vector clock: for each node that coordinated a write, a counter and the wall-clock
 * time of its latest increment.
 *
 * <p>{@link #compare} orders clocks by counters only; timestamps serve truncation and
 * last-writer-wins resolution. Entries are kept sorted by node id so that compare and merge are
 * a single linear walk over both clocks.
 *
 * <p><b>Truncation.</b> {@link #truncate} drops the entries with the oldest timestamps. A
 * truncated clock forgets part of its history, so a version that really descends from another
 * may then compare as {@link Causality#CONCURRENT} with it: the cost is a false conflict (an
 * extra sibling the client or resolver reconciles), never a lost write. Dynamo accepted the same
 * trade-off with a limit of 10 entries; nodes here keep 50 by default, because a false conflict
 * from truncation persists (every later write drops the same entry).
 */
public final class VectorClock {
    public static final VectorClock EMPTY = new VectorClock(new String[0], new long[0], new long[0]);

    /** Node ids longer than this are refused: they are repeated in every version stored. */
    public static final int MAX_NODE_ID_LENGTH = 255;

    /**
     * The largest counter: 2^62. A counter never wraps: {@link #increment} of an entry at this
     * value is refused, and decoding refuses anything larger, so every clock this class makes
     * can be encoded and decoded again. Far beyond any real history (a node writing a million
     * times a second reaches it in 146,000 years); only a forged context gets near it.
     */
    public static final long MAX_COUNTER = 1L << 62;

    /**
     * The most entries a clock may have on the wire or on disk. Nodes truncate the clocks they
     * make to far fewer ({@code replication.max-clock-entries}); this bound only keeps a decoder
     * from building an absurd clock, and leaves room for the merged clocks of many siblings.
     */
    public static final int MAX_ENTRIES = 4096;

    /** One node's entry. */
    public record Entry(String nodeId, long counter, long timestamp) {
        public Entry {
            checkNodeId(nodeId);
            if (counter <= 0 || counter > MAX_COUNTER) {
                throw new InvalidArgumentException("counter of " + nodeId + " must be in [1, " + MAX_COUNTER + "]: " + counter);
            }
            if (timestamp < 0) {
                throw new InvalidArgumentException("timestamp of " + nodeId + " must not be negative: " + timestamp);
            }
        }
    }

    private final String[] nodes;
    private final long[] counters;
    private final long[] timestamps;

    private VectorClock(String[] nodes, long[] counters, long[] timestamps) {
        this.nodes = nodes;
        this.counters = counters;
        this.timestamps = timestamps;
    }

    /** A clock of these entries; node ids must be distinct. */
    public static VectorClock of(List<Entry> entries) {
        List<Entry> sorted = new ArrayList<>(entries);
        sorted.sort(Comparator.comparing(Entry::nodeId));
        String[] nodes = new String[sorted.size()];
        long[] counters = new long[sorted.size()];
        long[] timestamps = new long[sorted.size()];
        for (int i = 0; i < sorted.size(); i++) {
            Entry e = sorted.get(i);
            if (i > 0 && nodes[i - 1].equals(e.nodeId())) {
                throw new InvalidArgumentException("node id " + e.nodeId() + " appears twice");
            }
            nodes[i] = e.nodeId();
            counters[i] = e.counter();
            timestamps[i] = e.timestamp();
        }
        return new VectorClock(nodes, counters, timestamps);
    }

    public static VectorClock of(Entry... entries) {
        return of(List.of(entries));
    }

    /**
     * This clock with {@code nodeId}'s counter one higher and its timestamp set. Refused with
     * {@link InvalidArgumentException} when that counter is already {@link #MAX_COUNTER} (only a
     * forged context gets there: a counter never wraps) or when a new entry would exceed
     * {@link #MAX_ENTRIES}.
     */
    public VectorClock increment(String nodeId, long timestampMillis) {
        checkNodeId(nodeId);
        int index = Arrays.binarySearch(nodes, nodeId);
        if (index >= 0) {
            if (counters[index] >= MAX_COUNTER) {
                throw new InvalidArgumentException("the counter of " + nodeId + " is at its maximum " + MAX_COUNTER
                        + ": this clock cannot be incremented (a forged or damaged context)");
            }
            long[] newCounters = counters.clone();
            long[] newTimestamps = timestamps.clone();
            newCounters[index]++;
            newTimestamps[index] = Math.max(timestampMillis, 0);
            return new VectorClock(nodes, newCounters, newTimestamps);
        }
        if (nodes.length >= MAX_ENTRIES) {
            throw new InvalidArgumentException("a clock of " + nodes.length + " entries cannot take another (at most "
                    + MAX_ENTRIES + ")");
        }
        int at = -index - 1;
        int size = nodes.length + 1;
        String[] newNodes = new String[size];
        long[] newCounters = new long[size];
        long[] newTimestamps = new long[size];
        System.arraycopy(nodes, 0, newNodes, 0, at);
        System.arraycopy(counters, 0, newCounters, 0, at);
        System.arraycopy(timestamps, 0, newTimestamps, 0, at);
        newNodes[at] = nodeId;
        newCounters[at] = 1;
        newTimestamps[at] = Math.max(timestampMillis, 0);
        System.arraycopy(nodes, at, newNodes, at + 1, nodes.length - at);
        System.arraycopy(counters, at, newCounters, at + 1, nodes.length - at);
        System.arraycopy(timestamps, at, newTimestamps, at + 1, nodes.length - at);
        return new VectorClock(newNodes, newCounters, newTimestamps);
    }

    /** How this clock relates to {@code other}, by counters. */
    public Causality compare(VectorClock other) {
        if (sameNodes(other)) {
            return compareCounters(other);
        }
        boolean thisBigger = false;
        boolean otherBigger = false;
        int i = 0;
        int j = 0;
        while (i < nodes.length && j < other.nodes.length) {
            int c = compareIds(nodes[i], other.nodes[j]);
            if (c == 0) {
                long a = counters[i++];
                long b = other.counters[j++];
                thisBigger |= a > b;
                otherBigger |= b > a;
            } else if (c < 0) {
                thisBigger = true;
                i++;
            } else {
                otherBigger = true;
                j++;
            }
            if (thisBigger && otherBigger) {
                return Causality.CONCURRENT;
            }
        }
        thisBigger |= i < nodes.length;
        otherBigger |= j < other.nodes.length;
        if (thisBigger) {
            return otherBigger ? Causality.CONCURRENT : Causality.AFTER;
        }
        return otherBigger ? Causality.BEFORE : Causality.EQUAL;
    }

    /** Compare when both clocks have the same node ids: counters only, position by position. */
    private Causality compareCounters(VectorClock other) {
        boolean thisBigger = false;
        boolean otherBigger = false;
        for (int i = 0; i < counters.length; i++) {
            long a = counters[i];
            long b = other.counters[i];
            thisBigger |= a > b;
            otherBigger |= b > a;
        }
        if (thisBigger) {
            return otherBigger ? Causality.CONCURRENT : Causality.AFTER;
        }
        return otherBigger ? Causality.BEFORE : Causality.EQUAL;
    }

    /**
     * True when both clocks have the same node ids: the usual case for versions of one key,
     * coordinated by the same few replicas. Increment of an existing entry and merge share the
     * id array, so the check is often a single reference comparison.
     */
    private boolean sameNodes(VectorClock other) {
        if (nodes == other.nodes) {
            return true;
        }
        if (nodes.length != other.nodes.length) {
            return false;
        }
        for (int i = 0; i < nodes.length; i++) {
            if (nodes[i] != other.nodes[i] && !nodes[i].equals(other.nodes[i])) {
                return false;
            }
        }
        return true;
    }

    private static int compareIds(String a, String b) {
        return a == b ? 0 : a.compareTo(b);
    }

    /** True when this clock is strictly after {@code other}. */
    public boolean dominates(VectorClock other) {
        return compare(other) == Causality.AFTER;
    }

    /** The entry-wise maximum: the least clock that is after-or-equal both. */
    public VectorClock merge(VectorClock other) {
        if (sameNodes(other)) {
            return mergeSameNodes(other);
        }
        int capacity = nodes.length + other.nodes.length;
        String[] newNodes = new String[capacity];
        long[] newCounters = new long[capacity];
        long[] newTimestamps = new long[capacity];
        int i = 0;
        int j = 0;
        int n = 0;
        while (i < nodes.length || j < other.nodes.length) {
            int c = i == nodes.length ? 1 : j == other.nodes.length ? -1 : compareIds(nodes[i], other.nodes[j]);
            if (c < 0) {
                newNodes[n] = nodes[i];
                newCounters[n] = counters[i];
                newTimestamps[n++] = timestamps[i++];
            } else if (c > 0) {
                newNodes[n] = other.nodes[j];
                newCounters[n] = other.counters[j];
                newTimestamps[n++] = other.timestamps[j++];
            } else {
                long a = counters[i];
                long b = other.counters[j];
                newNodes[n] = nodes[i];
                newCounters[n] = Math.max(a, b);
                newTimestamps[n++] = a > b ? timestamps[i] : b > a ? other.timestamps[j]
                        : Math.max(timestamps[i], other.timestamps[j]);
                i++;
                j++;
            }
        }
        if (n == capacity) {
            return new VectorClock(newNodes, newCounters, newTimestamps);
        }
        return new VectorClock(Arrays.copyOf(newNodes, n), Arrays.copyOf(newCounters, n), Arrays.copyOf(newTimestamps, n));
    }

    /** Merge when both clocks have the same node ids: the id array is shared, not copied. */
    private VectorClock mergeSameNodes(VectorClock other) {
        long[] newCounters = new long[counters.length];
        long[] newTimestamps = new long[counters.length];
        for (int i = 0; i < counters.length; i++) {
            long a = counters[i];
            long b = other.counters[i];
            newCounters[i] = Math.max(a, b);
            newTimestamps[i] = a > b ? timestamps[i] : b > a ? other.timestamps[i]
                    : Math.max(timestamps[i], other.timestamps[i]);
        }
        return new VectorClock(nodes, newCounters, newTimestamps);
    }

    /**
     * This clock with at most {@code maxEntries} entries, keeping the most recently updated
     * (ties: the smaller node id is dropped first, so every node truncates the same way).
     * See the class comment for the false-conflict risk.
     */
    public VectorClock truncate(int maxEntries) {
        if (maxEntries < 1) {
            throw new InvalidArgumentException("maxEntries must be at least 1: " + maxEntries);
        }
        if (nodes.length <= maxEntries) {
            return this;
        }
        List<Entry> kept = new ArrayList<>(entries());
        kept.sort(Comparator.comparingLong(Entry::timestamp).thenComparing(Entry::nodeId));
        return of(kept.subList(kept.size() - maxEntries, kept.size()));
    }

    /** The counter of {@code nodeId}, 0 if it has no entry. */
    public long counter(String nodeId) {
        int index = Arrays.binarySearch(nodes, nodeId);
        return index >= 0 ? counters[index] : 0;
    }

    /** The newest timestamp of any entry: when the latest write of this history happened. */
    public long latestTimestamp() {
        long latest = 0;
        for (long t : timestamps) {
            latest = Math.max(latest, t);
        }
        return latest;
    }

    public List<Entry> entries() {
        List<Entry> entries = new ArrayList<>(nodes.length);
        for (int i = 0; i < nodes.length; i++) {
            entries.add(new Entry(nodes[i], counters[i], timestamps[i]));
        }
        return List.copyOf(entries);
    }

    public int size() {
        return nodes.length;
    }

    public boolean isEmpty() {
        return nodes.length == 0;
    }

    public void writeTo(BytesOut out) {
        out.writeVarInt(nodes.length);
        for (int i = 0; i < nodes.length; i++) {
            out.writeString(nodes[i]);
            out.writeVarLong(counters[i]);
            out.writeVarLong(timestamps[i]);
        }
    }

    /**
     * Reads what {@link #writeTo} wrote; rejects more than {@link #MAX_ENTRIES} entries, unsorted
     * or duplicate ones, and counters outside [1, {@link #MAX_COUNTER}].
     */
    public static VectorClock readFrom(BytesIn in) {
        int size = in.readLength(Math.min(MAX_ENTRIES, in.remaining() / 3));
        String[] nodes = new String[size];
        long[] counters = new long[size];
        long[] timestamps = new long[size];
        for (int i = 0; i < size; i++) {
            nodes[i] = in.readString();
            counters[i] = in.readVarLong();
            timestamps[i] = in.readVarLong();
            if (nodes[i].isEmpty() || nodes[i].length() > MAX_NODE_ID_LENGTH || counters[i] <= 0 || counters[i] > MAX_COUNTER
                    || timestamps[i] < 0
                    || (i > 0 && nodes[i - 1].compareTo(nodes[i]) >= 0)) {
                throw new MalformedDataException("invalid vector clock entry " + i + " (" + nodes[i] + ")");
            }
        }
        return new VectorClock(nodes, counters, timestamps);
    }

    public byte[] toBytes() {
        BytesOut out = new BytesOut(8 + nodes.length * 16);
        writeTo(out);
        return out.toByteArray();
    }

    public static VectorClock fromBytes(byte[] bytes) {
        BytesIn in = new BytesIn(bytes);
        VectorClock clock = readFrom(in);
        in.requireEnd();
        return clock;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof VectorClock that && Arrays.equals(nodes, that.nodes)
                && Arrays.equals(counters, that.counters) && Arrays.equals(timestamps, that.timestamps);
    }

    @Override
    public int hashCode() {
        return 31 * (31 * Arrays.hashCode(nodes) + Arrays.hashCode(counters)) + Arrays.hashCode(timestamps);
    }

    @Override
    public String toString() {
        StringBuilder sb = new StringBuilder("{");
        for (int i = 0; i < nodes.length; i++) {
            sb.append(i == 0 ? "" : ", ").append(nodes[i]).append(':').append(counters[i]);
        }
        return sb.append('}').toString();
    }

    private static void checkNodeId(String nodeId) {
        if (nodeId == null || nodeId.isEmpty() || nodeId.length() > MAX_NODE_ID_LENGTH) {
            throw new InvalidArgumentException("node id must have 1 to " + MAX_NODE_ID_LENGTH + " characters: " + nodeId);
        }
    }
}
