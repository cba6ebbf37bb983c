package io.dynamo.resolver.crdt;

import static java.util.Objects.requireNonNull;

import io.dynamo.api.Bytes;
import io.dynamo.api.InvalidArgumentException;
import io.dynamo.api.ReadResult;
import io.dynamo.api.Versioned;
import io.dynamo.api.codec.BytesIn;
import io.dynamo.api.codec.BytesOut;
import io.dynamo.api.codec.MalformedDataException;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.SortedMap;
import java.util.SortedSet;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * An observed-remove set of byte strings with add-wins semantics, as an immutable value: the
 * value of a key whose store uses the {@code or-set} resolver.
 *
 * <p>This is the optimized OR-set without tombstones (Bieniusa et al., 2012; Riak's ORSWOT;
 * Almeida et al.'s add-wins set over a causal context). Every add is an event {@code (actor, n)},
 * a <em>dot</em>, with {@code n} one above the actor's newest event the value has seen. The
 * {@linkplain #context() context} records, per actor, the newest event seen; each element keeps
 * the dots of the adds that put it there and that no remove has observed ({@link #entries()}).
 * A remove drops the element's dots and keeps the context, so the value remembers that it saw
 * them. {@link #merge} keeps a dot both sides have, and a dot one side has that the other has
 * not seen; it drops a dot one side has seen and no longer has (it was removed there). So:
 * <ul>
 *   <li>a removed element never comes back from a state that only holds adds the remover saw;</li>
 *   <li>an add concurrent with a remove of the same element wins (its dot is new to the remover).</li>
 * </ul>
 *
 * <p><b>Actors.</b> Each writer passes a stable actor id unique to it, and keeps building on its
 * own last value (merge every read into it): a new dot is one above the actor's newest event
 * <em>in this value</em>, so two writers sharing an id, or one writer that forgets a write it
 * made (one that timed out and was applied later), can give two different adds the same dot,
 * and a remove of one then removes the other.
 *
 * <p><b>Bounds</b> (part of the value format, so every node and client agrees): at most
 * {@value #MAX_ELEMENTS} elements of at most {@value #MAX_ELEMENT_BYTES} bytes, at most
 * {@value #MAX_ACTORS} actors, event counters up to {@value #MAX_COUNTER}. Operations and
 * merges that would pass them throw {@link CrdtLimitException}. Every change copies the value
 * (O(elements)), which suits the sets one key holds.
 *
 * @param context per actor, the newest event this value has seen
 * @param entries each element, sorted by unsigned bytes, with the dots (at most one per actor) that keep it
 */
public record OrSet(ActorCounts context, SortedMap<Bytes, ActorCounts> entries) {
    /** The format byte of version 1 of the encoding (type 1 in the high nibble, version 1 in the low). */
    public static final int FORMAT_V1 = 0x11;
    public static final int MAX_ELEMENTS = 65_536;
    public static final int MAX_ELEMENT_BYTES = 65_536;
    public static final int MAX_ACTORS = 1_024;
    /** 2^62, as vector clock counters: an actor adding a million elements a second reaches it in 146,000 years. */
    public static final long MAX_COUNTER = 1L << 62;

    private static final OrSet EMPTY = new OrSet(ActorCounts.EMPTY, new TreeMap<>());

    public OrSet {
        requireNonNull(context, "context is null");
        requireNonNull(entries, "entries is null");
        if (context.size() > MAX_ACTORS) {
            throw new CrdtLimitException("an OR-set has at most " + MAX_ACTORS + " actors (OrSet.MAX_ACTORS, fixed by format "
                    + FORMAT_V1 + "), this one would have " + context.size()
                    + ": give writers stable actor ids instead of new ones per write, or spread the set over several keys");
        }
        if (entries.size() > MAX_ELEMENTS) {
            throw new CrdtLimitException("an OR-set holds at most " + MAX_ELEMENTS + " elements (OrSet.MAX_ELEMENTS, fixed by"
                    + " format " + FORMAT_V1 + "), this one would hold " + entries.size()
                    + ": remove elements or spread the set over several keys");
        }
        for (long counter : context.counts().values()) {
            if (counter > MAX_COUNTER) {
                throw new CrdtLimitException("an OR-set's event counters stop at " + MAX_COUNTER + " (OrSet.MAX_COUNTER): " + counter);
            }
        }
        TreeMap<Bytes, ActorCounts> copy = new TreeMap<>();
        for (Map.Entry<Bytes, ActorCounts> e : entries.entrySet()) {
            Bytes element = requireNonNull(e.getKey(), "an element is null");
            ActorCounts dots = requireNonNull(e.getValue(), "the dots of " + element + " are null");
            checkElement(element);
            if (dots.isEmpty()) {
                throw new InvalidArgumentException("element " + element + " has no dots: an element is present only through an add");
            }
            dots.counts().forEach((actor, counter) -> {
                if (counter > context.get(actor)) {
                    throw new InvalidArgumentException("element " + element + " has dot " + actor + ":" + counter
                            + " that its context " + context + " has not seen");
                }
            });
            copy.put(element, dots);
        }
        entries = Collections.unmodifiableSortedMap(copy);
    }

    /** The empty set with an empty context: what a writer starts from when the key does not exist. */
    public static OrSet empty() {
        return EMPTY;
    }

    /**
     * This set with {@code element} added by {@code actor}: the element's dots become the single
     * new dot {@code (actor, newest + 1)}, which supersedes the adds of it this value has seen.
     */
    public OrSet add(Bytes element, String actor) {
        checkElement(requireNonNull(element, "element is null"));
        Actors.check(actor);
        long next = context.get(actor) + 1;
        if (next > MAX_COUNTER) {
            throw new CrdtLimitException("actor " + actor + " has used every event counter up to " + MAX_COUNTER
                    + " (OrSet.MAX_COUNTER): use a new actor id");
        }
        TreeMap<Bytes, ActorCounts> copy = new TreeMap<>(entries);
        copy.put(element, ActorCounts.of(actor, next));
        return new OrSet(context.with(actor, next), copy);
    }

    /**
     * This set without {@code element}: the adds of it this value has seen are removed, and stay
     * removed whatever state it is merged with later; an add this value has not seen survives
     * the merge (add wins). No actor is needed: a remove makes no event.
     */
    public OrSet remove(Bytes element) {
        requireNonNull(element, "element is null");
        if (!entries.containsKey(element)) {
            return this;
        }
        TreeMap<Bytes, ActorCounts> copy = new TreeMap<>(entries);
        copy.remove(element);
        return new OrSet(context, copy);
    }

    /** Removes every element this value holds (not a delete of the key: see the module README). */
    public OrSet clear() {
        return entries.isEmpty() ? this : new OrSet(context, new TreeMap<>());
    }

    public boolean contains(Bytes element) {
        return entries.containsKey(element);
    }

    /** The elements, sorted by unsigned bytes. */
    public SortedSet<Bytes> elements() {
        return Collections.unmodifiableSortedSet(new TreeSet<>(entries.keySet()));
    }

    /** The elements as UTF-8 text, in the order of {@link #elements()}. */
    public List<String> elementsAsUtf8() {
        List<String> texts = new ArrayList<>(entries.size());
        entries.keySet().forEach(e -> texts.add(e.asUtf8()));
        return List.copyOf(texts);
    }

    public int size() {
        return entries.size();
    }

    public boolean isEmpty() {
        return entries.isEmpty();
    }

    /**
     * The join of both sets: commutative, associative and idempotent. Throws
     * {@link CrdtLimitException} when the union passes a bound.
     */
    public OrSet merge(OrSet other) {
        if (other.equals(this) || other.equals(EMPTY)) {
            return this;
        }
        if (this.equals(EMPTY)) {
            return other;
        }
        TreeMap<Bytes, ActorCounts> merged = new TreeMap<>();
        TreeSet<Bytes> elements = new TreeSet<>(entries.keySet());
        elements.addAll(other.entries.keySet());
        for (Bytes element : elements) {
            ActorCounts mine = entries.getOrDefault(element, ActorCounts.EMPTY);
            ActorCounts theirs = other.entries.getOrDefault(element, ActorCounts.EMPTY);
            TreeMap<String, Long> kept = new TreeMap<>();
            keepSurvivors(mine, theirs, other.context, kept);
            keepSurvivors(theirs, mine, context, kept);
            if (!kept.isEmpty()) {
                merged.put(element, new ActorCounts(kept));
            }
        }
        return new OrSet(context.max(other.context), merged);
    }

    /** A dot of {@code dots} survives when the other side has it too, or has not seen it. */
    private static void keepSurvivors(ActorCounts dots, ActorCounts otherDots, ActorCounts otherContext,
            TreeMap<String, Long> kept) {
        dots.counts().forEach((actor, counter) -> {
            if (otherDots.get(actor) == counter || counter > otherContext.get(actor)) {
                kept.merge(actor, counter, Math::max);
            }
        });
    }

    /** The merge of all of {@code sets}; the empty set for none. */
    public static OrSet mergeAll(Collection<OrSet> sets) {
        OrSet merged = EMPTY;
        for (OrSet set : sets) {
            merged = merged.merge(set);
        }
        return merged;
    }

    /**
     * The merge of every live sibling a read returned (tombstones add nothing), to change and
     * write back with the read's context; the empty set when the key has no live value. Throws
     * {@link MalformedDataException} naming the sibling when one is not an OR-set value.
     */
    public static OrSet fromRead(ReadResult read) {
        return fromVersions(read.versions());
    }

    /** As {@link #fromRead}, for a list of versions. */
    public static OrSet fromVersions(List<Versioned> versions) {
        return LiveSiblings.merge(versions, EMPTY, OrSet::decode, OrSet::merge, "an OR-set value");
    }

    /**
     * Version 1 of the encoding: the format byte {@value #FORMAT_V1}; the context as a varint
     * actor count, then per actor (strictly ascending) its id (varint length, UTF-8) and counter
     * (varint); the elements as a varint count, then per element (strictly ascending by unsigned
     * bytes) its bytes (varint length, bytes), a varint dot count, and per dot (strictly ascending
     * by actor) the actor's index in the context and the dot's counter (varints, counter at most
     * the context's). Each value has exactly one encoding.
     */
    public Bytes encode() {
        BytesOut out = new BytesOut(16 + entries.size() * 16 + context.size() * 16);
        out.writeByte(FORMAT_V1);
        List<String> actors = new ArrayList<>(context.counts().keySet());
        out.writeVarInt(actors.size());
        context.counts().forEach((actor, counter) -> {
            Actors.write(actor, out);
            out.writeVarLong(counter);
        });
        out.writeVarInt(entries.size());
        entries.forEach((element, dots) -> {
            out.writeBytes(element);
            out.writeVarInt(dots.size());
            dots.counts().forEach((actor, counter) -> {
                out.writeVarInt(Collections.binarySearch(actors, actor));
                out.writeVarLong(counter);
            });
        });
        return Bytes.wrapOwned(out.toByteArray());
    }

    /**
     * Reads what {@link #encode} wrote. Throws {@link MalformedDataException} for another format
     * byte, bytes that do not follow the format (truncated, trailing, unsorted, repeated, a
     * zero or dot counter above the context's, bad UTF-8) and counts past the bounds, checked
     * before anything is allocated for them.
     */
    public static OrSet decode(Bytes value) {
        requireNonNull(value, "value is null");
        BytesIn in = new BytesIn(value.toByteArray());
        int format = in.hasRemaining() ? in.readByte() : -1;
        if (format != FORMAT_V1) {
            throw new MalformedDataException(format < 0 ? "an empty value is not an OR-set (the empty set encodes as 0x110000)"
                    : "unknown OR-set format 0x" + Integer.toHexString(format) + " (this build reads 0x"
                            + Integer.toHexString(FORMAT_V1) + ")");
        }
        int actorCount = readCount(in, MAX_ACTORS, "actors", 3);
        String[] actors = new String[actorCount];
        TreeMap<String, Long> context = new TreeMap<>();
        for (int i = 0; i < actorCount; i++) {
            actors[i] = Actors.read(in);
            long counter = in.readVarLong();
            if (counter <= 0 || counter > MAX_COUNTER) {
                throw new MalformedDataException("counter of actor " + i + " outside [1, " + MAX_COUNTER + "]");
            }
            if (i > 0 && actors[i - 1].compareTo(actors[i]) >= 0) {
                throw new MalformedDataException("actor " + i + " is out of order or repeated");
            }
            context.put(actors[i], counter);
        }
        int elementCount = readCount(in, MAX_ELEMENTS, "elements", 4);
        TreeMap<Bytes, ActorCounts> entries = new TreeMap<>();
        Bytes previous = null;
        for (int i = 0; i < elementCount; i++) {
            int length = in.readLength(Math.min(MAX_ELEMENT_BYTES, in.remaining()));
            Bytes element = Bytes.wrapOwned(in.readRaw(length));
            if (previous != null && previous.compareTo(element) >= 0) {
                throw new MalformedDataException("element " + i + " is out of order or repeated");
            }
            previous = element;
            int dotCount = in.readLength(actorCount);
            if (dotCount == 0) {
                throw new MalformedDataException("element " + i + " has no dots");
            }
            TreeMap<String, Long> dots = new TreeMap<>();
            int lastActor = -1;
            for (int d = 0; d < dotCount; d++) {
                int actor = in.readLength(actorCount - 1);
                long counter = in.readVarLong();
                if (actor <= lastActor) {
                    throw new MalformedDataException("dots of element " + i + " are out of order or repeated");
                }
                if (counter <= 0 || counter > context.get(actors[actor])) {
                    throw new MalformedDataException("dot " + d + " of element " + i + " is outside [1, its actor's context counter]");
                }
                lastActor = actor;
                dots.put(actors[actor], counter);
            }
            entries.put(element, new ActorCounts(dots));
        }
        in.requireEnd();
        return new OrSet(new ActorCounts(context), entries);
    }

    private static int readCount(BytesIn in, int bound, String what, int minBytesEach) {
        long count = in.readVarLong();
        if (count < 0 || count > bound) {
            throw new MalformedDataException(count + " " + what + " is more than the format's bound of " + bound);
        }
        if (count > in.remaining() / minBytesEach) {
            throw new MalformedDataException(count + " " + what + " cannot fit in the " + in.remaining() + " bytes left");
        }
        return (int) count;
    }

    private static void checkElement(Bytes element) {
        if (element.length() > MAX_ELEMENT_BYTES) {
            throw new CrdtLimitException("an OR-set element has at most " + MAX_ELEMENT_BYTES + " bytes (OrSet.MAX_ELEMENT_BYTES): "
                    + element.length());
        }
    }

    @Override
    public String toString() {
        return "OrSet" + entries.keySet() + context;
    }
}
