package io.dynamo.resolver.crdt;

import static java.util.Objects.requireNonNull;

import io.dynamo.api.Bytes;
import io.dynamo.api.InvalidArgumentException;
import io.dynamo.api.ReadResult;
import io.dynamo.api.Versioned;
import io.dynamo.api.codec.BytesIn;
import io.dynamo.api.codec.BytesOut;
import io.dynamo.api.codec.MalformedDataException;
import java.util.Collection;
import java.util.List;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * A counter that goes up and down, as an immutable value: the value of a key whose store uses
 * the {@code pn-counter} resolver. It is a pair of grow-only counters, each a count per actor:
 * what the actor added ({@link #increments()}) and what it subtracted ({@link #decrements()}).
 * {@link #merge} takes the per-actor maximum of each; {@link #value()} is the sum of the
 * increments minus the sum of the decrements.
 *
 * <p><b>Actors.</b> An actor's counts only grow, and only that actor changes them, so the
 * larger count of an actor is always the newer one. That holds only if each writer passes a
 * stable actor id unique to it and keeps building on its own last value: two writers sharing an
 * id, or one that forgets a write it made (one that timed out and was applied later), each
 * raise the same count from the same number, the merge keeps one of the two, and an increment
 * is lost.
 *
 * <p><b>Bounds</b> (part of the value format): at most {@value #MAX_ACTORS} actors and at most
 * {@value #MAX_COUNT} per actor and direction, so that {@link #value()} never overflows a
 * {@code long}; changes past them throw {@link CrdtLimitException}.
 *
 * @param increments per actor, the total it added
 * @param decrements per actor, the total it subtracted
 */
public record PnCounter(ActorCounts increments, ActorCounts decrements) {
    /** The format byte of version 1 of the encoding (type 2 in the high nibble, version 1 in the low). */
    public static final int FORMAT_V1 = 0x21;
    public static final int MAX_ACTORS = 1_024;
    /** 2^52: with {@link #MAX_ACTORS} actors each sum is at most 2^62, so {@link #value()} never overflows. */
    public static final long MAX_COUNT = 1L << 52;

    private static final PnCounter ZERO = new PnCounter(ActorCounts.EMPTY, ActorCounts.EMPTY);

    public PnCounter {
        requireNonNull(increments, "increments is null");
        requireNonNull(decrements, "decrements is null");
        TreeSet<String> actors = new TreeSet<>(increments.counts().keySet());
        actors.addAll(decrements.counts().keySet());
        if (actors.size() > MAX_ACTORS) {
            throw new CrdtLimitException("a PN-counter has at most " + MAX_ACTORS + " actors (PnCounter.MAX_ACTORS, fixed by"
                    + " format " + FORMAT_V1 + "), this one would have " + actors.size()
                    + ": give writers stable actor ids instead of new ones per write");
        }
        checkCounts(increments);
        checkCounts(decrements);
    }

    /** The counter at 0, with no actor: what a writer starts from when the key does not exist. */
    public static PnCounter zero() {
        return ZERO;
    }

    /** This counter with {@code amount} (at least 0) added by {@code actor}. */
    public PnCounter increment(String actor, long amount) {
        ActorCounts raised = raise(increments, actor, amount, "increment");
        return raised == increments ? this : new PnCounter(raised, decrements);
    }

    /** This counter with {@code amount} (at least 0) subtracted by {@code actor}. */
    public PnCounter decrement(String actor, long amount) {
        ActorCounts raised = raise(decrements, actor, amount, "decrement");
        return raised == decrements ? this : new PnCounter(increments, raised);
    }

    private static ActorCounts raise(ActorCounts counts, String actor, long amount, String what) {
        Actors.check(actor);
        if (amount < 0) {
            throw new InvalidArgumentException("a " + what + " must not be negative: " + amount);
        }
        if (amount == 0) {
            return counts;
        }
        long current = counts.get(actor);
        if (amount > MAX_COUNT - current) {
            throw new CrdtLimitException("actor " + actor + "'s " + what + "s would pass " + MAX_COUNT
                    + " (PnCounter.MAX_COUNT): use a new actor id");
        }
        return counts.with(actor, current + amount);
    }

    /** The sum of the increments minus the sum of the decrements. */
    public long value() {
        return increments.total() - decrements.total();
    }

    /** The per-actor maximum of each side: commutative, associative and idempotent. */
    public PnCounter merge(PnCounter other) {
        if (other.equals(this) || other.equals(ZERO)) {
            return this;
        }
        return new PnCounter(increments.max(other.increments), decrements.max(other.decrements));
    }

    /** The merge of all of {@code counters}; zero for none. */
    public static PnCounter mergeAll(Collection<PnCounter> counters) {
        PnCounter merged = ZERO;
        for (PnCounter counter : counters) {
            merged = merged.merge(counter);
        }
        return merged;
    }

    /**
     * The merge of every live sibling a read returned (tombstones add nothing), to change and
     * write back with the read's context; zero when the key has no live value. Throws
     * {@link MalformedDataException} naming the sibling when one is not a PN-counter value.
     */
    public static PnCounter fromRead(ReadResult read) {
        return fromVersions(read.versions());
    }

    /** As {@link #fromRead}, for a list of versions. */
    public static PnCounter fromVersions(List<Versioned> versions) {
        return LiveSiblings.merge(versions, ZERO, PnCounter::decode, PnCounter::merge, "a PN-counter value");
    }

    /**
     * Version 1 of the encoding: the format byte {@value #FORMAT_V1}, a varint actor count, then
     * per actor (strictly ascending) its id (varint length, UTF-8), its increments and its
     * decrements (varints, each at most {@value #MAX_COUNT}, not both 0). Each value has exactly
     * one encoding.
     */
    public Bytes encode() {
        TreeSet<String> actors = new TreeSet<>(increments.counts().keySet());
        actors.addAll(decrements.counts().keySet());
        BytesOut out = new BytesOut(8 + actors.size() * 16);
        out.writeByte(FORMAT_V1);
        out.writeVarInt(actors.size());
        for (String actor : actors) {
            Actors.write(actor, out);
            out.writeVarLong(increments.get(actor));
            out.writeVarLong(decrements.get(actor));
        }
        return Bytes.wrapOwned(out.toByteArray());
    }

    /**
     * Reads what {@link #encode} wrote. Throws {@link MalformedDataException} for another format
     * byte, bytes that do not follow the format (truncated, trailing, unsorted or repeated actors,
     * an actor with both counts 0, bad UTF-8) and counts past the bounds.
     */
    public static PnCounter decode(Bytes value) {
        requireNonNull(value, "value is null");
        BytesIn in = new BytesIn(value.toByteArray());
        int format = in.hasRemaining() ? in.readByte() : -1;
        if (format != FORMAT_V1) {
            throw new MalformedDataException(format < 0 ? "an empty value is not a PN-counter (zero encodes as 0x2100)"
                    : "unknown PN-counter format 0x" + Integer.toHexString(format) + " (this build reads 0x"
                            + Integer.toHexString(FORMAT_V1) + ")");
        }
        long count = in.readVarLong();
        if (count < 0 || count > MAX_ACTORS) {
            throw new MalformedDataException(count + " actors is more than the format's bound of " + MAX_ACTORS);
        }
        if (count > in.remaining() / 4) {
            throw new MalformedDataException(count + " actors cannot fit in the " + in.remaining() + " bytes left");
        }
        TreeMap<String, Long> increments = new TreeMap<>();
        TreeMap<String, Long> decrements = new TreeMap<>();
        String previous = null;
        for (int i = 0; i < count; i++) {
            String actor = Actors.read(in);
            long up = in.readVarLong();
            long down = in.readVarLong();
            if (previous != null && previous.compareTo(actor) >= 0) {
                throw new MalformedDataException("actor " + i + " is out of order or repeated");
            }
            if (up < 0 || up > MAX_COUNT || down < 0 || down > MAX_COUNT || (up == 0 && down == 0)) {
                throw new MalformedDataException("counts of actor " + i + " outside [0, " + MAX_COUNT + "] or both 0");
            }
            previous = actor;
            if (up > 0) {
                increments.put(actor, up);
            }
            if (down > 0) {
                decrements.put(actor, down);
            }
        }
        in.requireEnd();
        return new PnCounter(new ActorCounts(increments), new ActorCounts(decrements));
    }

    private static void checkCounts(ActorCounts counts) {
        counts.counts().forEach((actor, count) -> {
            if (count > MAX_COUNT) {
                throw new CrdtLimitException("count of " + actor + " is over " + MAX_COUNT + " (PnCounter.MAX_COUNT): " + count);
            }
        });
    }

    @Override
    public String toString() {
        return "PnCounter(" + value() + ": +" + increments + " -" + decrements + ")";
    }
}
