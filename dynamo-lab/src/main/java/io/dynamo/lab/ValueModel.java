package io.dynamo.lab;

import io.dynamo.api.Bytes;
import io.dynamo.resolver.crdt.OrSet;
import io.dynamo.resolver.crdt.PnCounter;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/**
 * How a strategy's values hold a cart and a counter: how a client reads a read's siblings (its
 * merge) and builds the value it writes next. The workloads decide what to add, remove or
 * increment; the model decides the bytes. {@link #of} picks the CRDT encodings for the
 * {@code or-set} and {@code pn-counter} resolvers, the plain ones (items one per line, a decimal
 * number) for every other strategy.
 */
interface ValueModel {
    /** The cart's items a read of {@code values} shows, after the client merges its siblings. */
    Set<String> items(List<Bytes> values);

    /** The cart {@code actor} writes after reading {@code values}: with {@code item} added, or removed. */
    Bytes cart(String actor, String key, List<Bytes> values, String item, boolean removal);

    /** The counter a read of {@code values} shows, after the client merges its siblings. */
    long count(List<Bytes> values);

    /** The counter {@code actor} writes after reading {@code values}, changed by {@code delta}. */
    Bytes counter(String actor, String key, List<Bytes> values, long delta);

    static ValueModel of(Strategy strategy) {
        return switch (strategy.resolver()) {
            case "or-set", "pn-counter" -> new Crdt();
            default -> new Plain();
        };
    }

    /** Items one per line, merged by union; a decimal counter, merged by max (so concurrent increments vanish). */
    final class Plain implements ValueModel {
        @Override
        public Set<String> items(List<Bytes> values) {
            return Workload.lines(values);
        }

        @Override
        public Bytes cart(String actor, String key, List<Bytes> values, String item, boolean removal) {
            Set<String> items = items(values);
            if (removal) {
                items.remove(item);
            } else {
                items.add(item);
            }
            return Bytes.utf8(String.join("\n", items));
        }

        @Override
        public long count(List<Bytes> values) {
            long max = 0;
            for (Bytes value : values) {
                try {
                    max = Math.max(max, Long.parseLong(value.asUtf8().trim()));
                } catch (NumberFormatException e) {
                    // a value this model did not write (another resolver's encoding): counts as 0
                }
            }
            return max;
        }

        @Override
        public Bytes counter(String actor, String key, List<Bytes> values, long delta) {
            return Bytes.utf8(Long.toString(count(values) + delta));
        }
    }

    /**
     * {@link OrSet} carts and {@link PnCounter} counters, each client its own actor. As the CRDT
     * module asks of a writer, a client keeps its own value of each key, merges every read into
     * it and writes it: a write that timed out but was applied is then carried by the next one,
     * and an actor's events are never numbered twice.
     */
    final class Crdt implements ValueModel {
        private final Map<String, OrSet> carts = new HashMap<>(); // actor + key -> the client's own value
        private final Map<String, PnCounter> counters = new HashMap<>();

        private static OrSet set(List<Bytes> values) {
            List<OrSet> sets = new ArrayList<>(values.size());
            values.forEach(v -> sets.add(OrSet.decode(v)));
            return OrSet.mergeAll(sets);
        }

        private static PnCounter pn(List<Bytes> values) {
            List<PnCounter> counts = new ArrayList<>(values.size());
            values.forEach(v -> counts.add(PnCounter.decode(v)));
            return PnCounter.mergeAll(counts);
        }

        @Override
        public Set<String> items(List<Bytes> values) {
            return new TreeSet<>(set(values).elementsAsUtf8());
        }

        @Override
        public Bytes cart(String actor, String key, List<Bytes> values, String item, boolean removal) {
            OrSet mine = carts.getOrDefault(actor + '\n' + key, OrSet.empty()).merge(set(values));
            mine = removal ? mine.remove(Bytes.utf8(item)) : mine.add(Bytes.utf8(item), actor);
            carts.put(actor + '\n' + key, mine);
            return mine.encode();
        }

        @Override
        public long count(List<Bytes> values) {
            return pn(values).value();
        }

        @Override
        public Bytes counter(String actor, String key, List<Bytes> values, long delta) {
            PnCounter mine = counters.getOrDefault(actor + '\n' + key, PnCounter.zero()).merge(pn(values));
            mine = delta >= 0 ? mine.increment(actor, delta) : mine.decrement(actor, -delta);
            counters.put(actor + '\n' + key, mine);
            return mine.encode();
        }
    }
}
