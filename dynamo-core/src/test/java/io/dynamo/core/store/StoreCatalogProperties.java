package io.dynamo.core.store;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;

/** The catalog merge is a join: commutative, associative, idempotent; per name the greatest entry wins. */
class StoreCatalogProperties {
    @Property(tries = 500)
    void mergeIsCommutative(@ForAll("catalogs") StoreCatalog a, @ForAll("catalogs") StoreCatalog b) {
        assertEquals(a.merge(b), b.merge(a));
    }

    @Property(tries = 500)
    void mergeIsAssociative(@ForAll("catalogs") StoreCatalog a, @ForAll("catalogs") StoreCatalog b,
            @ForAll("catalogs") StoreCatalog c) {
        assertEquals(a.merge(b).merge(c), a.merge(b.merge(c)));
    }

    @Property(tries = 300)
    void mergeIsIdempotent(@ForAll("catalogs") StoreCatalog a, @ForAll("catalogs") StoreCatalog b) {
        assertEquals(a, a.merge(a));
        assertEquals(a.merge(b), a.merge(b).merge(b));
    }

    @Property(tries = 300)
    void everyNameKeepsItsGreatestEntry(@ForAll("catalogs") StoreCatalog a, @ForAll("catalogs") StoreCatalog b) {
        StoreCatalog merged = a.merge(b);
        List<CatalogEntry> all = new ArrayList<>(a.entries().values());
        all.addAll(b.entries().values());
        for (CatalogEntry entry : all) {
            CatalogEntry kept = merged.entry(entry.name()).orElseThrow();
            assertTrue(kept.equals(entry) || kept.winsOver(entry), kept + " kept over " + entry);
        }
        assertEquals(merged.entries().keySet().size(), all.stream().map(CatalogEntry::name).distinct().count());
    }

    @Property(tries = 300)
    void aDropWinsOverTheCreateItFollowsWhateverTheOrder(@ForAll("catalogs") StoreCatalog seen,
            @ForAll("names") String name, @ForAll("settings") Map<String, String> settings) {
        StoreCatalog created = seen.entry(name).filter(entry -> !entry.dropped()).isPresent()
                ? seen : seen.create(name, settings, "node-1");
        StoreCatalog dropped = created.drop(name, "node-2");
        assertTrue(created.merge(dropped).entry(name).orElseThrow().dropped());
        assertTrue(dropped.merge(created).entry(name).orElseThrow().dropped());
        // and the store made again after the drop wins over both
        StoreCatalog again = dropped.create(name, settings, "node-3");
        assertEquals(again.entry(name), created.merge(again).merge(dropped).entry(name));
    }

    @Provide
    Arbitrary<String> names() {
        return Arbitraries.of("carts", "sessions", "counters", "a-1");
    }

    @Provide
    Arbitrary<Map<String, String>> settings() {
        return Arbitraries.maps(Arbitraries.of("n", "r", "w", "resolver"), Arbitraries.of("1", "2", "3", "lww"))
                .ofMaxSize(3);
    }

    @Provide
    Arbitrary<StoreCatalog> catalogs() {
        Arbitrary<CatalogEntry> entries = Combinators.combine(names(), settings(), Arbitraries.longs().between(1, 4),
                Arbitraries.of("node-1", "node-2", "node-3"), Arbitraries.of(true, false))
                .as((name, settings, version, origin, dropped) -> dropped
                        ? new CatalogEntry(name, new java.util.TreeMap<>(), version, origin, true)
                        : CatalogEntry.live(name, settings, version, origin));
        return entries.list().ofMaxSize(4).uniqueElements(CatalogEntry::name).map(StoreCatalog::of);
    }
}
