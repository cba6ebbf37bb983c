package io.dynamo.core.store;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.dynamo.api.InvalidArgumentException;
import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;

/** What the catalog and its entries refuse, and the versions create and drop give. */
class StoreCatalogTest {
    private final StoreSettingsSyntax syntax = new StoreSettingsSyntax();

    @Test
    void createAndDropGiveTheNextVersion() {
        StoreCatalog catalog = StoreCatalog.EMPTY.create("carts", Map.of("n", "2"), "node-1");
        assertEquals(1, catalog.entry("carts").orElseThrow().version());
        StoreCatalog dropped = catalog.drop("carts", "node-2");
        CatalogEntry tombstone = dropped.entry("carts").orElseThrow();
        assertTrue(tombstone.dropped());
        assertEquals(2, tombstone.version());
        assertEquals("node-2", tombstone.origin());
        assertEquals(Map.of(), tombstone.settings());
        CatalogEntry again = dropped.create("carts", Map.of("n", "3"), "node-3").entry("carts").orElseThrow();
        assertEquals(3, again.version());
        assertEquals(Map.of("n", "3"), again.settings());
        assertEquals(java.util.List.of("default"), dropped.names());
    }

    @Test
    void createRefusesALiveNameTheDefaultStoreAndTooManyStores() {
        StoreCatalog catalog = StoreCatalog.EMPTY.create("carts", Map.of(), "node-1");
        assertEquals("store carts exists (version 1, made by node-1); drop it first to create it anew",
                assertThrows(InvalidArgumentException.class, () -> catalog.create("carts", Map.of(), "node-2")).getMessage());
        assertTrue(assertThrows(InvalidArgumentException.class, () -> catalog.create("default", Map.of(), "node-1"))
                .getMessage().startsWith("store default exists on every node"));
        StoreCatalog full = StoreCatalog.EMPTY;
        for (int i = 0; i < StoreCatalog.MAX_STORES; i++) {
            full = full.create("store-" + i, Map.of(), "node-1");
        }
        StoreCatalog fullCatalog = full;
        assertEquals("the cluster has 64 stores, the most it may have (64); drop one first",
                assertThrows(InvalidArgumentException.class, () -> fullCatalog.create("one-more", Map.of(), "node-1"))
                        .getMessage());
        // a dropped store frees its place
        assertTrue(full.drop("store-0", "node-1").create("one-more", Map.of(), "node-1").entry("one-more").isPresent());
    }

    @Test
    void dropRefusesTheDefaultStoreAndUnknownNames() {
        StoreCatalog catalog = StoreCatalog.EMPTY.create("carts", Map.of(), "node-1");
        assertEquals("store default cannot be dropped: it comes from every node's config",
                assertThrows(InvalidArgumentException.class, () -> catalog.drop("default", "node-1")).getMessage());
        assertEquals("no store carts2; stores: [default, carts]",
                assertThrows(InvalidArgumentException.class, () -> catalog.drop("carts2", "node-1")).getMessage());
        StoreCatalog dropped = catalog.drop("carts", "node-1");
        assertEquals("no store carts (it was dropped); stores: [default]",
                assertThrows(InvalidArgumentException.class, () -> dropped.drop("carts", "node-1")).getMessage());
    }

    @Test
    void theCatalogIsBoundedAndNeverHoldsTheDefaultStore() {
        TreeMap<String, CatalogEntry> many = new TreeMap<>();
        for (int i = 0; i <= StoreCatalog.MAX_ENTRIES; i++) {
            many.put("s" + i, CatalogEntry.live("s" + i, Map.of(), 1, "node-1"));
        }
        assertTrue(assertThrows(InvalidArgumentException.class, () -> new StoreCatalog(many)).getMessage()
                .startsWith("a store catalog of 257 entries, at most 256"));
        assertThrows(InvalidArgumentException.class,
                () -> StoreCatalog.of(java.util.List.of(CatalogEntry.live("default", Map.of(), 1, "node-1"))));
        TreeMap<String, CatalogEntry> misfiled = new TreeMap<>(Map.of("a", CatalogEntry.live("b", Map.of(), 1, "n")));
        assertThrows(InvalidArgumentException.class, () -> new StoreCatalog(misfiled));
    }

    @Test
    void anEntryHasABoundedShape() {
        assertThrows(InvalidArgumentException.class, () -> CatalogEntry.live("Carts", Map.of(), 1, "node-1"));
        assertThrows(InvalidArgumentException.class, () -> CatalogEntry.live("-carts", Map.of(), 1, "node-1"));
        assertThrows(InvalidArgumentException.class, () -> CatalogEntry.live("c".repeat(64), Map.of(), 1, "node-1"));
        CatalogEntry.live("c".repeat(63), Map.of(), 1, "node-1");
        assertThrows(InvalidArgumentException.class, () -> CatalogEntry.live("carts", Map.of(), -1, "node-1"));
        assertThrows(InvalidArgumentException.class, () -> CatalogEntry.live("carts", Map.of(), 1, ""));
        assertThrows(InvalidArgumentException.class, () -> CatalogEntry.live("carts", Map.of("N", "2"), 1, "node-1"));
        assertThrows(InvalidArgumentException.class, () -> CatalogEntry.live("carts", Map.of("n", ""), 1, "node-1"));
        assertThrows(InvalidArgumentException.class,
                () -> CatalogEntry.live("carts", Map.of("n", "x".repeat(CatalogEntry.MAX_VALUE_LENGTH + 1)), 1, "node-1"));
        assertThrows(InvalidArgumentException.class, () -> CatalogEntry.live("carts", Map.of("n", "2\n"), 1, "node-1"));
        Map<String, String> tooMany = new TreeMap<>();
        for (int i = 0; i <= CatalogEntry.MAX_SETTINGS; i++) {
            tooMany.put("k" + i, "v");
        }
        assertThrows(InvalidArgumentException.class, () -> CatalogEntry.live("carts", tooMany, 1, "node-1"));
        assertThrows(InvalidArgumentException.class,
                () -> new CatalogEntry("carts", new TreeMap<>(Map.of("n", "2")), 2, "node-1", true));
    }

    @Test
    void theSyntaxCheckNamesTheKey() {
        syntax.check("carts", Map.ofEntries(Map.entry("n", "3"), Map.entry("r", "2"), Map.entry("w", "2"),
                Map.entry("timeout", "2s"), Map.entry("resolver", "set-union"), Map.entry("storage", "chronicle"),
                Map.entry("causality", "dvv"), Map.entry("sibling-warn", "10"), Map.entry("max-siblings", "100"),
                Map.entry("max-value-size", "1m"), Map.entry("max-clock-entries", "50")));
        assertEquals(StoreSettingsSyntax.KEYS, io.dynamo.core.store.StoreDefinition.KEYS);
        assertTrue(message(Map.of("color", "red")).startsWith("unknown store setting store.carts.color; known: ["));
        assertTrue(message(Map.of("n", "0")).contains("store.carts.n=0: must be at least 1"), message(Map.of("n", "0")));
        assertTrue(message(Map.of("r", "two")).contains("store.carts.r"), message(Map.of("r", "two")));
        assertTrue(message(Map.of("w", "99999999999")).contains("store.carts.w"));
        assertTrue(message(Map.of("timeout", "soon")).contains("store.carts.timeout"));
        assertTrue(message(Map.of("timeout", "0s")).contains("store.carts.timeout=0s"));
        assertTrue(message(Map.of("max-value-size", "lots")).contains("store.carts.max-value-size"));
        assertTrue(message(Map.of("resolver", "Set Union")).contains("store.carts.resolver=Set Union"));
        assertThrows(InvalidArgumentException.class, () -> syntax.check("Bad Name", Map.of()));
    }

    private String message(Map<String, String> settings) {
        return assertThrows(InvalidArgumentException.class, () -> syntax.check("carts", settings)).getMessage();
    }
}
