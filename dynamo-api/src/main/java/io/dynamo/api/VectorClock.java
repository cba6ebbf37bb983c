package io.dynamo.api;

import io.dynamo.api.codec.BytesIn;
import io.dynamo.api.codec.BytesOut;
import io.dynamo.api.codec.MalformedDataException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.TreeMap;

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
 *
 * <p><b>Dots.</b> A clock may also name single events beyond its version vector, for dotted
 * version vectors (Preguiça et al., 2010; Almeida et al., DAIS 2014): the version's own
 * {@linkplain #dot() dot}, the event of the write that made it, and {@linkplain #extraDots()
 * extra dots}, events its history includes without the ones before them (a write whose context
 * had seen a sibling but not an older concurrent one of the same coordinator). Such a clock is
 * the set of events {@code {(n, 1..counter(n))} ∪ extra dots ∪ {dot}}; {@link #compare} is set
 * inclusion and {@link #merge} set union, so both stay exact whatever the gaps. A clock without
 * dots (a <em>plain</em> clock, {@link #isPlain()}) is what every clock was before; plain clocks
 * take the same code paths and encoding as then.
 */
public final class VectorClock {
    private static final Dot[] NO_DOTS = new Dot[0];
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

    /**
     * The first varint of the encoding of a clock with dots: a count no plain clock may have, so
     * a build that knows only plain clocks refuses it instead of misreading it.
     */
    private static final int DOTTED_TAG = MAX_ENTRIES + 1;

    /** Orders dots by node id, then counter. */
    private static final Comparator<Dot> DOT_ORDER = Comparator.comparing(Dot::nodeId).thenComparingLong(Dot::counter);

    /** One node's entry. */
    public record Entry(String nodeId, long counter, long timestamp) {
        public Entry {
            checkEvent(nodeId, counter, timestamp);
        }
    }

    /** One event of one node: its counter, and the wall-clock time it happened. */
    public record Dot(String nodeId, long counter, long timestamp) {
        public Dot {
            checkEvent(nodeId, counter, timestamp);
        }

        @Override
        public String toString() {
            return nodeId + ":" + counter;
        }
    }

    /** The last byte of an order key whose id is longer than its 15 chars or holds a char above 254. */
    private static final int INEXACT = 255;

    private final String[] nodes;
    private final long[] counters;
    private final long[] timestamps;
    /** Events beyond the vector, sorted by {@link #DOT_ORDER}; each above its node's counter plus one. */
    private final Dot[] extras;
    /** The version's own event, or null; not among the other events. */
    private final Dot dot;
    /**
     * The plain clock with exactly this clock's events, when there is one (no gaps: no extra dots,
     * and the dot, if any, follows its node's entry — the usual dotted version), else null. Plain
     * clocks are their own. Compare and merge of such clocks take the plain code paths.
     */
    private final VectorClock closed;
    /**
     * {@link #orderKey} of each node id, two longs each, made when a compare or merge with a clock of other ids
     * first needs them: decoding, increment and merges of clocks of the same ids never pay for them.
     */
    private volatile long[] orderKeys;

    private VectorClock(String[] nodes, long[] counters, long[] timestamps) {
        this(nodes, counters, timestamps, NO_DOTS, null);
    }

    private VectorClock(String[] nodes, long[] counters, long[] timestamps, Dot[] extras, Dot dot) {
        this.nodes = nodes;
        this.counters = counters;
        this.timestamps = timestamps;
        this.extras = extras;
        this.dot = dot;
        this.closed = extras.length == 0 && dot == null ? this : closedForm();
    }

    /** {@link #closed}, for a clock with dots: its vector with the dot folded in, or null when there are gaps. */
    private VectorClock closedForm() {
        if (extras.length > 0) {
            return null;
        }
        int index = Arrays.binarySearch(nodes, dot.nodeId());
        long before = index >= 0 ? counters[index] : 0;
        if (dot.counter() != before + 1) {
            return null;
        }
        if (index >= 0) {
            long[] newCounters = counters.clone();
            long[] newTimestamps = timestamps.clone();
            newCounters[index] = dot.counter();
            newTimestamps[index] = Math.max(timestamps[index], dot.timestamp());
            return new VectorClock(nodes, newCounters, newTimestamps);
        }
        int at = -index - 1;
        String[] newNodes = new String[nodes.length + 1];
        long[] newCounters = new long[nodes.length + 1];
        long[] newTimestamps = new long[nodes.length + 1];
        System.arraycopy(nodes, 0, newNodes, 0, at);
        System.arraycopy(counters, 0, newCounters, 0, at);
        System.arraycopy(timestamps, 0, newTimestamps, 0, at);
        newNodes[at] = dot.nodeId();
        newCounters[at] = dot.counter();
        newTimestamps[at] = dot.timestamp();
        System.arraycopy(nodes, at, newNodes, at + 1, nodes.length - at);
        System.arraycopy(counters, at, newCounters, at + 1, nodes.length - at);
        System.arraycopy(timestamps, at, newTimestamps, at + 1, nodes.length - at);
        return new VectorClock(newNodes, newCounters, newTimestamps);
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
     * {@link #MAX_ENTRIES}, and for a clock with dots.
     */
    public VectorClock increment(String nodeId, long timestampMillis) {
        checkNodeId(nodeId);
        if (!isPlain()) {
            throw new InvalidArgumentException("a clock with dots cannot be incremented (" + this
                    + "): dotted clocks get a new event with withDot");
        }
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

    /** How this clock relates to {@code other}, by counters (for clocks with dots: by their sets of events). */
    public Causality compare(VectorClock other) {
        if (!isPlain() || !other.isPlain()) {
            if (closed != null && other.closed != null) {
                return closed.compare(other.closed); // the same events as plain clocks: the plain path
            }
            boolean thisHasAll = containsAll(other);
            boolean otherHasAll = other.containsAll(this);
            if (thisHasAll) {
                return otherHasAll ? Causality.EQUAL : Causality.AFTER;
            }
            return otherHasAll ? Causality.BEFORE : Causality.CONCURRENT;
        }
        if (sameNodes(other)) {
            return compareCounters(other);
        }
        boolean thisBigger = false;
        boolean otherBigger = false;
        long[] keys = orderKeys();
        long[] otherKeys = other.orderKeys();
        int i = 0;
        int j = 0;
        while (i < nodes.length && j < other.nodes.length) {
            int c = compareIds(keys, i, nodes[i], otherKeys, j, other.nodes[j]);
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

    /**
     * Orders the ids {@code a} (keys at {@code keysA[i]}) and {@code b} (at {@code keysB[j]}) as
     * {@link String#compareTo} does, by their order keys: two long comparisons, and the strings
     * only when the keys tie and do not hold the whole ids.
     */
    private static int compareIds(long[] keysA, int i, String a, long[] keysB, int j, String b) {
        long x = keysA[2 * i];
        long y = keysB[2 * j];
        if (x != y) {
            return Long.compareUnsigned(x, y);
        }
        x = keysA[2 * i + 1];
        y = keysB[2 * j + 1];
        if (x != y) {
            return Long.compareUnsigned(x, y);
        }
        if ((x & 0xff) != INEXACT) {
            return 0; // the keys hold both ids whole: equal keys, equal ids
        }
        return a == b ? 0 : a.compareTo(b);
    }

    /** {@link #compareIds} of two ids by keys made for them: for tests. */
    static int compareIds(String a, String b) {
        long[] keysA = new long[2];
        long[] keysB = new long[2];
        orderKey(a, keysA, 0);
        orderKey(b, keysB, 0);
        return compareIds(keysA, 0, a, keysB, 0, b);
    }

    private long[] orderKeys() {
        long[] keys = orderKeys;
        if (keys == null) {
            keys = new long[2 * nodes.length];
            for (int i = 0; i < nodes.length; i++) {
                orderKey(nodes[i], keys, 2 * i);
            }
            orderKeys = keys;
        }
        return keys;
    }

    /**
     * The order key of {@code id} in {@code keys[at]} and {@code keys[at + 1]}: its first 15
     * chars, a byte each, then its length (or {@link #INEXACT}), as two unsigned longs. Where the
     * keys of two ids differ they order as the ids do (a shorter id that the other extends has the
     * smaller length byte); where they tie, the ids are equal unless the length byte is
     * {@code INEXACT}. A char above 254 becomes 255 and ends the chars (zeros follow), so ids that
     * differ only after it tie, inexactly.
     */
    static void orderKey(String id, long[] keys, int at) {
        long high = 0;
        long low = 0;
        int length = Math.min(id.length(), 15);
        boolean exact = id.length() <= 15;
        for (int k = 0; k < length; k++) {
            long c = Math.min(id.charAt(k), 255);
            if (k < 8) {
                high |= c << (56 - 8 * k);
            } else {
                low |= c << (56 - 8 * (k - 8));
            }
            if (c == 255) {
                exact = false; // a char of 255 or above: the chars end here
                break;
            }
        }
        keys[at] = high;
        keys[at + 1] = low | (exact ? id.length() : INEXACT);
    }

    /** True when this clock is strictly after {@code other}. */
    public boolean dominates(VectorClock other) {
        return compare(other) == Causality.AFTER;
    }

    /**
     * The entry-wise maximum: the least clock that is after-or-equal both. For clocks with dots,
     * the union of their events, without an own dot (the dots become ordinary events).
     */
    public VectorClock merge(VectorClock other) {
        if (!isPlain() || !other.isPlain()) {
            if (closed != null && other.closed != null) {
                return closed.mergePlain(other.closed);
            }
            return plainPart().mergePlain(other.plainPart()).withEvents(allDots(this, other));
        }
        return mergePlain(other);
    }

    private VectorClock mergePlain(VectorClock other) {
        if (sameNodes(other)) {
            return mergeSameNodes(other);
        }
        // one walk compares the ids and records each step; the result, sized exactly, replays them
        long[] keys = orderKeys();
        long[] otherKeys = other.orderKeys();
        byte[] steps = new byte[nodes.length + other.nodes.length];
        int size = 0;
        for (int i = 0, j = 0; i < nodes.length || j < other.nodes.length; size++) {
            int c = i == nodes.length ? 1 : j == other.nodes.length ? -1
                    : compareIds(keys, i, nodes[i], otherKeys, j, other.nodes[j]);
            steps[size] = (byte) Integer.signum(c);
            i += c <= 0 ? 1 : 0;
            j += c >= 0 ? 1 : 0;
        }
        String[] newNodes = new String[size];
        long[] newCounters = new long[size];
        long[] newTimestamps = new long[size];
        int i = 0;
        int j = 0;
        for (int n = 0; n < size; n++) {
            if (steps[n] < 0) {
                newNodes[n] = nodes[i];
                newCounters[n] = counters[i];
                newTimestamps[n] = timestamps[i++];
            } else if (steps[n] > 0) {
                newNodes[n] = other.nodes[j];
                newCounters[n] = other.counters[j];
                newTimestamps[n] = other.timestamps[j++];
            } else {
                long a = counters[i];
                long b = other.counters[j];
                newNodes[n] = nodes[i];
                newCounters[n] = Math.max(a, b);
                newTimestamps[n] = a > b ? timestamps[i] : b > a ? other.timestamps[j]
                        : Math.max(timestamps[i], other.timestamps[j]);
                i++;
                j++;
            }
        }
        return new VectorClock(newNodes, newCounters, newTimestamps);
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
     * See the class comment for the false-conflict risk. Dots stay, except extra dots of the
     * nodes whose entries were dropped.
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
        VectorClock truncated = of(kept.subList(kept.size() - maxEntries, kept.size()));
        if (isPlain()) {
            return truncated;
        }
        // fewer events can only make this clock cover less: extra dots of dropped nodes go too
        List<Dot> keptDots = new ArrayList<>();
        for (Dot d : extras) {
            if (truncated.counter(d.nodeId()) > 0) {
                keptDots.add(d);
            }
        }
        return new VectorClock(truncated.nodes, truncated.counters, truncated.timestamps, keptDots.toArray(NO_DOTS), dot);
    }

    /**
     * The counter of {@code nodeId} in the version vector, 0 if it has no entry: every event of
     * that node up to it is in this clock (dots beyond it are not counted; see {@link #highestCounter}).
     */
    public long counter(String nodeId) {
        int index = Arrays.binarySearch(nodes, nodeId);
        return index >= 0 ? counters[index] : 0;
    }

    /** The newest timestamp of any entry or dot: when the latest write of this history happened. */
    public long latestTimestamp() {
        long latest = 0;
        for (long t : timestamps) {
            latest = Math.max(latest, t);
        }
        for (Dot d : extras) {
            latest = Math.max(latest, d.timestamp());
        }
        return dot == null ? latest : Math.max(latest, dot.timestamp());
    }

    /** The highest counter of any event of {@code nodeId} in this clock, dots included; 0 if none. */
    public long highestCounter(String nodeId) {
        long highest = counter(nodeId);
        for (Dot d : extras) {
            if (d.nodeId().equals(nodeId)) {
                highest = Math.max(highest, d.counter());
            }
        }
        return dot != null && dot.nodeId().equals(nodeId) ? Math.max(highest, dot.counter()) : highest;
    }

    /** True when event {@code counter} of {@code nodeId} is in this clock. */
    public boolean includes(String nodeId, long counter) {
        return counter <= counter(nodeId) || isDot(nodeId, counter);
    }

    private boolean isDot(String nodeId, long counter) {
        if (dot != null && dot.counter() == counter && dot.nodeId().equals(nodeId)) {
            return true;
        }
        for (Dot d : extras) { // few: only events a context saw without the ones before them
            if (d.counter() == counter && d.nodeId().equals(nodeId)) {
                return true;
            }
        }
        return false;
    }

    /** True when this clock has no dots: a plain vector clock. */
    public boolean isPlain() {
        return dot == null && extras.length == 0;
    }

    /** The event of the write that made this version, when the clock has one. */
    public Optional<Dot> dot() {
        return Optional.ofNullable(dot);
    }

    /** The events beyond the version vector other than {@link #dot()}, by node id then counter. */
    public List<Dot> extraDots() {
        return List.of(extras);
    }

    /**
     * This clock with {@code nodeId}'s event {@code counter} as its own dot: the clock of a new
     * version whose causal past is this clock. Refused when this clock has a dot already or
     * already includes that event.
     */
    public VectorClock withDot(String nodeId, long counter, long timestampMillis) {
        Dot added = new Dot(nodeId, counter, Math.max(timestampMillis, 0));
        if (dot != null) {
            throw new InvalidArgumentException("clock " + this + " has a dot already");
        }
        if (includes(nodeId, counter)) {
            throw new InvalidArgumentException("clock " + this + " already includes event " + added);
        }
        return new VectorClock(nodes, counters, timestamps, extras, added);
    }

    /**
     * Every event of this clock as a clock without an own dot: its dot, if any, becomes an
     * ordinary event (folded into the vector when it follows it). A plain clock is itself.
     */
    public VectorClock history() {
        if (dot == null) {
            return this;
        }
        return closed != null ? closed : plainPart().withEvents(allDots(this, EMPTY));
    }

    /** The version vector alone. */
    private VectorClock plainPart() {
        return isPlain() ? this : new VectorClock(nodes, counters, timestamps);
    }

    /**
     * Every event of {@code events} added to this plain clock: those that follow an entry (or
     * start one at 1) fold into it, the others stay extra dots. No own dot.
     */
    private VectorClock withEvents(List<Dot> events) {
        if (events.isEmpty()) {
            return this;
        }
        TreeMap<String, long[]> vector = new TreeMap<>();
        for (int i = 0; i < nodes.length; i++) {
            vector.put(nodes[i], new long[] {counters[i], timestamps[i]});
        }
        List<Dot> sorted = new ArrayList<>(events);
        sorted.sort(DOT_ORDER); // ascending per node: one pass folds every run that follows an entry
        List<Dot> kept = new ArrayList<>();
        for (Dot d : sorted) {
            long[] entry = vector.get(d.nodeId());
            long have = entry == null ? 0 : entry[0];
            Dot last = kept.isEmpty() ? null : kept.get(kept.size() - 1);
            if (d.counter() == have + 1 || (d.counter() == have && entry != null)) {
                vector.put(d.nodeId(), new long[] {d.counter(), Math.max(d.timestamp(), entry == null ? 0 : entry[1])});
            } else if (last != null && DOT_ORDER.compare(last, d) == 0) {
                // one event seen twice: the later timestamp, as merge does for equal counters
                kept.set(kept.size() - 1, d.timestamp() > last.timestamp() ? d : last);
            } else if (d.counter() > have + 1) {
                kept.add(d);
            }
        }
        String[] newNodes = vector.keySet().toArray(new String[0]);
        long[] newCounters = new long[newNodes.length];
        long[] newTimestamps = new long[newNodes.length];
        for (int i = 0; i < newNodes.length; i++) {
            long[] entry = vector.get(newNodes[i]);
            newCounters[i] = entry[0];
            newTimestamps[i] = entry[1];
        }
        return new VectorClock(newNodes, newCounters, newTimestamps, kept.toArray(NO_DOTS), null);
    }

    private static List<Dot> allDots(VectorClock a, VectorClock b) {
        List<Dot> all = new ArrayList<>(a.extras.length + b.extras.length + 2);
        all.addAll(Arrays.asList(a.extras));
        all.addAll(Arrays.asList(b.extras));
        if (a.dot != null) {
            all.add(a.dot);
        }
        if (b.dot != null) {
            all.add(b.dot);
        }
        return all;
    }

    /** True when every event of {@code other} is one of this clock's. */
    private boolean containsAll(VectorClock other) {
        for (int i = 0; i < other.nodes.length; i++) {
            long have = counter(other.nodes[i]);
            long wanted = other.counters[i];
            if (wanted > have && dotsBetween(other.nodes[i], have, wanted) != wanted - have) {
                return false;
            }
        }
        for (Dot d : other.extras) {
            if (!includes(d.nodeId(), d.counter())) {
                return false;
            }
        }
        return other.dot == null || includes(other.dot.nodeId(), other.dot.counter());
    }

    /** How many of this clock's dots are events of {@code nodeId} in (after, upTo]. */
    private long dotsBetween(String nodeId, long after, long upTo) {
        long count = 0;
        for (Dot d : extras) {
            if (d.nodeId().equals(nodeId) && d.counter() > after && d.counter() <= upTo) {
                count++;
            }
        }
        if (dot != null && dot.nodeId().equals(nodeId) && dot.counter() > after && dot.counter() <= upTo) {
            count++;
        }
        return count;
    }

    /** Receives a clock's entries one by one, without a list or a record per entry. */
    @FunctionalInterface
    public interface EntryVisitor {
        void visit(String nodeId, long counter, long timestamp);
    }

    /** Hands every entry of the vector (not the dots) to {@code visitor}, in node id order; allocates nothing. */
    public void forEachEntry(EntryVisitor visitor) {
        for (int i = 0; i < nodes.length; i++) {
            visitor.visit(nodes[i], counters[i], timestamps[i]);
        }
    }

    public List<Entry> entries() {
        List<Entry> entries = new ArrayList<>(nodes.length);
        for (int i = 0; i < nodes.length; i++) {
            entries.add(new Entry(nodes[i], counters[i], timestamps[i]));
        }
        return List.copyOf(entries);
    }

    /** The entries of the vector plus the dots: what a clock costs on the wire and on disk. */
    public int size() {
        return nodes.length + extras.length + (dot == null ? 0 : 1);
    }

    public boolean isEmpty() {
        return size() == 0;
    }

    /**
     * A plain clock: its entry count, then per entry the node id, counter and timestamp. A clock
     * with dots: 4097 first ({@link #MAX_ENTRIES} + 1, a count no plain clock has), then the entries as
     * above, a varint {@code extraDots << 1 | hasDot}, each extra dot (node id, counter,
     * timestamp), then the own dot: its node as {@code 1 + index} of an entry of the same node
     * followed by its counter's distance above that entry (the usual case: two small varints),
     * or {@code 0} followed by the node id and counter; then its timestamp.
     */
    public void writeTo(BytesOut out) {
        if (!isPlain()) {
            out.writeVarInt(DOTTED_TAG);
        }
        out.writeVarInt(nodes.length);
        for (int i = 0; i < nodes.length; i++) {
            out.writeString(nodes[i]);
            out.writeVarLong(counters[i]);
            out.writeVarLong(timestamps[i]);
        }
        if (!isPlain()) {
            out.writeVarInt(extras.length << 1 | (dot == null ? 0 : 1));
            for (Dot d : extras) {
                writeDot(d, out);
            }
            if (dot != null) {
                int index = Arrays.binarySearch(nodes, dot.nodeId());
                if (index >= 0) {
                    out.writeVarInt(index + 1);
                    out.writeVarLong(dot.counter() - counters[index]);
                } else {
                    out.writeVarInt(0);
                    out.writeString(dot.nodeId());
                    out.writeVarLong(dot.counter());
                }
                out.writeVarLong(dot.timestamp());
            }
        }
    }

    private static void writeDot(Dot d, BytesOut out) {
        out.writeString(d.nodeId());
        out.writeVarLong(d.counter());
        out.writeVarLong(d.timestamp());
    }

    private static Dot readDot(BytesIn in, String what) {
        String node = in.readString();
        long counter = in.readVarLong();
        long timestamp = in.readVarLong();
        return decodedDot(node, counter, timestamp, what);
    }

    /**
     * Reads what {@link #writeTo} wrote; rejects more than {@link #MAX_ENTRIES} entries, unsorted
     * or duplicate ones, and counters outside [1, {@link #MAX_COUNTER}].
     */
    public static VectorClock readFrom(BytesIn in) {
        int max = Math.min(MAX_ENTRIES, in.remaining() / 3);
        int size = in.readLength(Math.max(max, DOTTED_TAG));
        if (size == DOTTED_TAG) {
            return readDotted(in);
        }
        if (size > max) {
            throw new MalformedDataException("length " + size + " outside [0, " + max + "]");
        }
        return readEntries(in, size);
    }

    private static VectorClock readEntries(BytesIn in, int size) {
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

    /** The rest of a clock with dots, after its tag, checked as {@link #readFrom} says. */
    private static VectorClock readDotted(BytesIn in) {
        VectorClock vector = readEntries(in, in.readLength(Math.min(MAX_ENTRIES, in.remaining() / 3)));
        int header = in.readLength(2 * MAX_ENTRIES + 1);
        int count = header >>> 1;
        boolean hasDot = (header & 1) != 0;
        if (count > in.remaining() / 3) {
            throw new MalformedDataException("length " + count + " outside [0, " + in.remaining() / 3 + "]");
        }
        Dot[] extras = new Dot[count];
        for (int i = 0; i < count; i++) {
            extras[i] = readDot(in, "extra dot " + i);
            if (extras[i].counter() <= vector.counter(extras[i].nodeId()) + 1
                    || (i > 0 && DOT_ORDER.compare(extras[i - 1], extras[i]) >= 0)) {
                throw new MalformedDataException("extra dot " + i + " (" + extras[i] + ") is unsorted, repeated or"
                        + " follows its node's entry");
            }
        }
        VectorClock past = new VectorClock(vector.nodes, vector.counters, vector.timestamps, extras, null);
        if (!hasDot) {
            if (count == 0) {
                throw new MalformedDataException("a clock with dots has none");
            }
            return past;
        }
        Dot own = readOwnDot(in, vector);
        if (past.includes(own.nodeId(), own.counter())) {
            throw new MalformedDataException("dot " + own + " is already in its clock's past");
        }
        return new VectorClock(vector.nodes, vector.counters, vector.timestamps, extras, own);
    }

    private static Dot readOwnDot(BytesIn in, VectorClock vector) {
        int reference = in.readLength(vector.nodes.length);
        String node;
        long counter;
        if (reference == 0) {
            node = in.readString();
            counter = in.readVarLong();
        } else {
            node = vector.nodes[reference - 1];
            long above = in.readVarLong();
            long base = vector.counters[reference - 1];
            if (above <= 0 || above > MAX_COUNTER - base) {
                throw new MalformedDataException("invalid dot of " + node + ": " + above + " above " + base);
            }
            counter = base + above;
        }
        long timestamp = in.readVarLong();
        return decodedDot(node, counter, timestamp, "dot");
    }

    /** A dot read from bytes: refused as malformed (not as an invalid argument) when out of range. */
    private static Dot decodedDot(String node, long counter, long timestamp, String what) {
        if (node.isEmpty() || node.length() > MAX_NODE_ID_LENGTH || counter <= 0 || counter > MAX_COUNTER
                || timestamp < 0) {
            throw new MalformedDataException("invalid " + what + " (" + node + ")");
        }
        return new Dot(node, counter, timestamp);
    }

    public byte[] toBytes() {
        BytesOut out = new BytesOut(8 + size() * 16);
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
                && Arrays.equals(counters, that.counters) && Arrays.equals(timestamps, that.timestamps)
                && Arrays.equals(extras, that.extras) && Objects.equals(dot, that.dot);
    }

    @Override
    public int hashCode() {
        int hash = 31 * (31 * Arrays.hashCode(nodes) + Arrays.hashCode(counters)) + Arrays.hashCode(timestamps);
        return isPlain() ? hash : 31 * (31 * hash + Arrays.hashCode(extras)) + Objects.hashCode(dot);
    }

    @Override
    public String toString() {
        StringBuilder sb = new StringBuilder("{");
        for (int i = 0; i < nodes.length; i++) {
            sb.append(i == 0 ? "" : ", ").append(nodes[i]).append(':').append(counters[i]);
        }
        sb.append('}');
        if (extras.length > 0) {
            sb.append('+').append(Arrays.toString(extras));
        }
        if (dot != null) {
            sb.append("•").append(dot);
        }
        return sb.toString();
    }

    private static void checkEvent(String nodeId, long counter, long timestamp) {
        checkNodeId(nodeId);
        if (counter <= 0 || counter > MAX_COUNTER) {
            throw new InvalidArgumentException("counter of " + nodeId + " must be in [1, " + MAX_COUNTER + "]: " + counter);
        }
        if (timestamp < 0) {
            throw new InvalidArgumentException("timestamp of " + nodeId + " must not be negative: " + timestamp);
        }
    }

    private static void checkNodeId(String nodeId) {
        if (nodeId == null || nodeId.isEmpty() || nodeId.length() > MAX_NODE_ID_LENGTH) {
            throw new InvalidArgumentException("node id must have 1 to " + MAX_NODE_ID_LENGTH + " characters: " + nodeId);
        }
    }
}
