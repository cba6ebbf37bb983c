package io.dynamo.core.coordination;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.dynamo.api.Bytes;
import io.dynamo.api.VectorClock;
import io.dynamo.api.Versioned;
import java.util.ArrayList;
import java.util.List;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;

/**
 * The linear {@link Siblings#merge} keeps exactly what reducing the whole list again keeps
 * (the quadratic rule it replaced), for any reduced stored list and any incoming versions.
 */
class SiblingsMergeProperties {
    @Property(tries = 500)
    void mergeEqualsReducingEverything(@ForAll("versionLists") List<Versioned> stored,
            @ForAll("versionLists") List<Versioned> incoming) {
        List<Versioned> reducedStored = Siblings.reduce(stored);
        List<Versioned> all = new ArrayList<>(reducedStored);
        all.addAll(incoming);
        assertEquals(Siblings.reduce(all), Siblings.merge(reducedStored, incoming));
    }

    @Provide
    Arbitrary<List<Versioned>> versionLists() {
        Arbitrary<VectorClock.Entry> entry = Combinators.combine(Arbitraries.of("a", "b", "c", "d"),
                Arbitraries.longs().between(1, 3), Arbitraries.longs().between(0, 3)).as(VectorClock.Entry::new);
        Arbitrary<VectorClock> clock = entry.list().ofMaxSize(4).uniqueElements(VectorClock.Entry::nodeId)
                .map(VectorClock::of);
        Arbitrary<Versioned> version = Combinators.combine(clock, Arbitraries.of("x", "y", "z"))
                .as((c, value) -> Versioned.of(c, Bytes.utf8(value)));
        return version.list().ofMaxSize(6);
    }
}
