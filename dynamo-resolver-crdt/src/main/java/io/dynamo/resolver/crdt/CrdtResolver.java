package io.dynamo.resolver.crdt;

import static java.util.Objects.requireNonNull;

import io.dynamo.api.Bytes;
import io.dynamo.api.Causality;
import io.dynamo.api.InvalidArgumentException;
import io.dynamo.api.VectorClock;
import io.dynamo.api.Versioned;
import io.dynamo.api.codec.MalformedDataException;
import io.dynamo.spi.resolution.ConflictResolver;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.function.BinaryOperator;
import java.util.function.Function;

/**
 * Resolves siblings by the merge of a CRDT: the live siblings' states merge into one version
 * under the merge of the clocks of every sibling it replaces, so writing it back supersedes them.
 *
 * <p>Tombstones add nothing to the state (a delete of the key carries no observed elements); when
 * every sibling is a tombstone the result is one tombstone under the merged clock.
 *
 * <p>A sibling whose value is not a state of this type (another format byte, malformed bytes, a
 * bound passed) is kept untouched: the {@link ConflictResolver} contract does not say what to do
 * with values a resolver cannot read, and dropping one would lose a write. The readable ones
 * still merge, unless the merged clock would be at or after an unreadable sibling's (writing it
 * back would then supersede that sibling): then, as when the merged state would pass a bound,
 * every sibling is returned as it is, and the client sees them all.
 *
 * @param <S> the state type
 */
final class CrdtResolver<S> implements ConflictResolver {
    /** A total order every node computes alike: by encoded clock, then tombstone, then value. */
    private static final Comparator<Versioned> CANONICAL = Comparator
            .comparing((Versioned v) -> v.clock().toBytes(), Arrays::compareUnsigned)
            .thenComparing(Versioned::tombstone)
            .thenComparing(Versioned::value);

    private final String name;
    private final Function<Bytes, S> decoder;
    private final BinaryOperator<S> merger;
    private final Function<S, Bytes> encoder;

    CrdtResolver(String name, Function<Bytes, S> decoder, BinaryOperator<S> merger, Function<S, Bytes> encoder) {
        this.name = requireNonNull(name, "name is null");
        this.decoder = requireNonNull(decoder, "decoder is null");
        this.merger = requireNonNull(merger, "merger is null");
        this.encoder = requireNonNull(encoder, "encoder is null");
    }

    @Override
    public List<Versioned> resolve(Bytes key, List<Versioned> versions) {
        if (versions == null || versions.isEmpty()) {
            throw new IllegalArgumentException("a resolver needs at least one version");
        }
        List<Versioned> siblings = concurrentSiblings(versions);
        if (siblings.size() == 1) {
            return List.of(siblings.get(0));
        }
        List<Versioned> readable = new ArrayList<>(siblings.size());
        List<Versioned> unreadable = new ArrayList<>();
        S merged = null;
        for (Versioned v : siblings) {
            if (v.tombstone()) {
                readable.add(v);
                continue;
            }
            S state;
            try {
                state = decoder.apply(v.value());
            } catch (MalformedDataException | InvalidArgumentException e) {
                unreadable.add(v);
                continue;
            }
            readable.add(v);
            try {
                merged = merged == null ? state : merger.apply(merged, state);
            } catch (CrdtLimitException e) {
                return siblings; // the union passes a bound: no one value can stand for them all
            }
        }
        if (readable.size() < 2) {
            return siblings;
        }
        VectorClock clock = VectorClock.EMPTY;
        for (Versioned v : readable) {
            clock = clock.merge(v.clock());
        }
        for (Versioned v : unreadable) {
            Causality c = clock.compare(v.clock());
            if (c == Causality.AFTER || c == Causality.EQUAL) {
                return siblings;
            }
        }
        Versioned result = merged == null ? Versioned.tombstone(clock) : Versioned.of(clock, encoder.apply(merged));
        List<Versioned> out = new ArrayList<>(1 + unreadable.size());
        out.add(result);
        out.addAll(unreadable);
        return List.copyOf(out);
    }

    /** The versions no other dominates, without duplicates, in canonical order. */
    private static List<Versioned> concurrentSiblings(List<Versioned> versions) {
        List<Versioned> distinct = new ArrayList<>(new LinkedHashSet<>(versions));
        List<Versioned> kept = new ArrayList<>(distinct.size());
        for (Versioned candidate : distinct) {
            boolean dominated = false;
            for (Versioned other : distinct) {
                if (other.clock().compare(candidate.clock()) == Causality.AFTER) {
                    dominated = true;
                    break;
                }
            }
            if (!dominated) {
                kept.add(candidate);
            }
        }
        kept.sort(CANONICAL);
        return List.copyOf(kept);
    }

    @Override
    public String toString() {
        return name;
    }
}
