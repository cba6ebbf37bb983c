package io.dynamo.core.store;

import static java.util.Objects.requireNonNull;

import io.dynamo.api.InvalidArgumentException;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.SortedMap;
import java.util.TreeMap;

/**
 * The stores a cluster made at run time, as one node knows them: an entry per name, live or
 * dropped (a tombstone). Immutable; gossiped in full with the membership state.
 *
 * <p>{@link #merge} keeps, per name, the entry that wins by {@link CatalogEntry#ORDER}: it is
 * commutative, associative and idempotent, so nodes that heard the same entries hold the same
 * catalog whatever the order they heard them in. A tombstone is kept until its name is created
 * again (the new entry has the next version), so a node that missed a drop cannot bring the store
 * back: its older live entry loses to the tombstone.
 *
 * <p>Bounded: at most {@link #MAX_ENTRIES} entries, live and dropped, and {@link #MAX_STORES}
 * live stores made through {@link #create} (stores created at once on different nodes may
 * together go past it; {@link #MAX_ENTRIES} still holds). The {@code default} store, which
 * every node has from its config, is never in the catalog.
 */
public record StoreCatalog(SortedMap<String, CatalogEntry> entries) {
    /** The most live stores a cluster may create. */
    public static final int MAX_STORES = 64;
    /** The most entries a catalog holds, tombstones included; a catalog that would hold more is refused. */
    public static final int MAX_ENTRIES = 256;
    /** The store every node has from its config: neither created nor dropped at run time. */
    public static final String DEFAULT = "default";

    public static final StoreCatalog EMPTY = new StoreCatalog(new TreeMap<>());

    public StoreCatalog {
        requireNonNull(entries, "entries is null");
        if (entries.size() > MAX_ENTRIES) {
            throw new InvalidArgumentException("a store catalog of " + entries.size() + " entries, at most " + MAX_ENTRIES
                    + " (live and dropped stores; create a store under a dropped name to reuse its entry)");
        }
        entries.forEach((name, entry) -> {
            if (!name.equals(entry.name())) {
                throw new InvalidArgumentException("entry of store " + entry.name() + " filed under " + name);
            }
            if (name.equals(DEFAULT)) {
                throw new InvalidArgumentException("the " + DEFAULT + " store comes from each node's config; it is not"
                        + " in the catalog");
            }
        });
        entries = Collections.unmodifiableSortedMap(new TreeMap<>(entries));
    }

    /** A catalog of these entries, whose names must differ. */
    public static StoreCatalog of(List<CatalogEntry> entries) {
        SortedMap<String, CatalogEntry> byName = new TreeMap<>();
        for (CatalogEntry entry : entries) {
            if (byName.put(entry.name(), entry) != null) {
                throw new InvalidArgumentException("store " + entry.name() + " appears twice");
            }
        }
        return new StoreCatalog(byName);
    }

    public Optional<CatalogEntry> entry(String name) {
        return Optional.ofNullable(entries.get(name));
    }

    /** The live entries, by name. */
    public List<CatalogEntry> live() {
        return entries.values().stream().filter(entry -> !entry.dropped()).toList();
    }

    /** This catalog merged with {@code other}: per name, the winning entry. Throws when the result would exceed {@link #MAX_ENTRIES}. */
    public StoreCatalog merge(StoreCatalog other) {
        if (other.entries.isEmpty() || other.equals(this)) {
            return this;
        }
        SortedMap<String, CatalogEntry> merged = new TreeMap<>(entries);
        other.entries.forEach((name, theirs) -> merged.merge(name, theirs,
                (mine, incoming) -> incoming.winsOver(mine) ? incoming : mine));
        return new StoreCatalog(merged);
    }

    /**
     * The catalog with store {@code name} created by {@code origin}: version 1, or the one after
     * its tombstone. Refused for {@code default}, a live name and beyond {@link #MAX_STORES}.
     * The settings must have been checked by a {@link StoreSettingsCheck}.
     */
    public StoreCatalog create(String name, Map<String, String> settings, String origin) {
        CatalogEntry.checkName(name);
        if (name.equals(DEFAULT)) {
            throw new InvalidArgumentException("store " + DEFAULT + " exists on every node (its settings are the node"
                    + " config's); create a store of another name");
        }
        CatalogEntry existing = entries.get(name);
        if (existing != null && !existing.dropped()) {
            throw new InvalidArgumentException("store " + name + " exists (version " + existing.version() + ", made by "
                    + existing.origin() + "); drop it first to create it anew");
        }
        if (live().size() >= MAX_STORES) {
            throw new InvalidArgumentException("the cluster has " + live().size() + " stores, the most it may have ("
                    + MAX_STORES + "); drop one first");
        }
        SortedMap<String, CatalogEntry> next = new TreeMap<>(entries);
        next.put(name, CatalogEntry.live(name, settings, existing == null ? 1 : existing.version() + 1, origin));
        return new StoreCatalog(next);
    }

    /** The catalog with live store {@code name} dropped by {@code origin}. Refused for {@code default} and unknown names. */
    public StoreCatalog drop(String name, String origin) {
        if (DEFAULT.equals(name)) {
            throw new InvalidArgumentException("store " + DEFAULT + " cannot be dropped: it comes from every node's config");
        }
        CatalogEntry existing = entries.get(name);
        if (existing == null || existing.dropped()) {
            throw new InvalidArgumentException("no store " + name + (existing == null ? "" : " (it was dropped)")
                    + "; stores: " + names());
        }
        SortedMap<String, CatalogEntry> next = new TreeMap<>(entries);
        next.put(name, existing.drop(origin));
        return new StoreCatalog(next);
    }

    /** The names of the live stores, {@code default} first. */
    public List<String> names() {
        List<String> names = new ArrayList<>();
        names.add(DEFAULT);
        live().forEach(entry -> names.add(entry.name()));
        return names;
    }
}
