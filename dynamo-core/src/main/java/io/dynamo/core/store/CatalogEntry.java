package io.dynamo.core.store;

import static java.util.Objects.requireNonNull;

import io.dynamo.api.InvalidArgumentException;
import io.dynamo.api.VectorClock;
import java.util.Comparator;
import java.util.Map;
import java.util.SortedMap;
import java.util.TreeMap;
import java.util.regex.Pattern;

/**
 * One store of the {@link StoreCatalog}: its name, its settings (short keys such as {@code n} or
 * {@code resolver} to their text, see {@link StoreSettingsSyntax#KEYS}), the version of this
 * entry, the node that made the change ({@code origin}), and whether the store was dropped (a
 * tombstone, which keeps no settings).
 *
 * <p>This record checks the shape every entry must have wherever it comes from (a name of
 * {@link #NAME_PATTERN}, at most {@link #MAX_SETTINGS} settings, keys and values of bounded
 * length); whether the settings make a store is for a {@link StoreSettingsCheck} to say.
 *
 * <p>Of two entries of one name, the higher (version, origin) wins ({@link #ORDER}); a drop has
 * the version after the create it ends, so it wins over it. Entries equal in both but different
 * otherwise (which only a faulty or hostile node makes) are ordered by the drop flag, then by
 * their settings, so that every node picks the same one.
 */
public record CatalogEntry(String name, SortedMap<String, String> settings, long version, String origin, boolean dropped) {
    /** A store name: lowercase letters, digits, '_' and '-', starting with a letter or digit, at most 63 characters. */
    public static final Pattern NAME_PATTERN = Pattern.compile("[a-z0-9][a-z0-9_-]{0,62}");
    /** A setting key: lowercase letters, digits and '-', at most 32 characters. */
    public static final Pattern KEY_PATTERN = Pattern.compile("[a-z][a-z0-9-]{0,31}");
    /** The most settings one store may have; more than the keys a store reads. */
    public static final int MAX_SETTINGS = 32;
    /** The longest setting value, in characters. */
    public static final int MAX_VALUE_LENGTH = 256;

    /** Which of two entries of one name wins: the greater. */
    public static final Comparator<CatalogEntry> ORDER = Comparator.comparingLong(CatalogEntry::version)
            .thenComparing(CatalogEntry::origin)
            .thenComparing(CatalogEntry::dropped)
            .thenComparing(entry -> entry.settings().toString());

    public CatalogEntry {
        checkName(name);
        requireNonNull(settings, "settings is null");
        requireNonNull(origin, "origin is null");
        if (version < 0) {
            throw new InvalidArgumentException("store " + name + ": version " + version + " is negative");
        }
        if (origin.isEmpty() || origin.length() > VectorClock.MAX_NODE_ID_LENGTH) {
            throw new InvalidArgumentException("store " + name + ": origin node id must have 1 to "
                    + VectorClock.MAX_NODE_ID_LENGTH + " characters");
        }
        if (settings.size() > MAX_SETTINGS) {
            throw new InvalidArgumentException("store " + name + " has " + settings.size() + " settings, at most "
                    + MAX_SETTINGS);
        }
        if (dropped && !settings.isEmpty()) {
            throw new InvalidArgumentException("store " + name + ": a dropped store keeps no settings");
        }
        settings.forEach((key, value) -> checkSetting(name, key, value));
        settings = java.util.Collections.unmodifiableSortedMap(new TreeMap<>(settings));
    }

    /** A live entry; {@code settings} is copied and sorted. */
    public static CatalogEntry live(String name, Map<String, String> settings, long version, String origin) {
        return new CatalogEntry(name, new TreeMap<>(requireNonNull(settings, "settings is null")), version, origin, false);
    }

    /** The tombstone that ends this entry, made by {@code origin}: the next version, no settings. */
    public CatalogEntry drop(String byNode) {
        return new CatalogEntry(name, new TreeMap<>(), version + 1, byNode, true);
    }

    /** Whether this entry wins over {@code other}, an entry of the same name. */
    public boolean winsOver(CatalogEntry other) {
        return ORDER.compare(this, other) > 0;
    }

    /** Throws {@link InvalidArgumentException} unless {@code name} is a store name. */
    public static void checkName(String name) {
        if (name == null || !NAME_PATTERN.matcher(name).matches()) {
            throw new InvalidArgumentException("bad store name " + (name == null ? null : quoted(name))
                    + ": a store name has 1 to 63 characters of a-z, 0-9, '_' and '-', starting with a letter or digit");
        }
    }

    private static void checkSetting(String name, String key, String value) {
        if (key == null || !KEY_PATTERN.matcher(key).matches()) {
            throw new InvalidArgumentException("store " + name + ": bad setting key " + (key == null ? null : quoted(key))
                    + " (a key has 1 to 32 characters of a-z, 0-9 and '-', starting with a letter)");
        }
        if (value == null || value.isEmpty() || value.length() > MAX_VALUE_LENGTH) {
            throw new InvalidArgumentException("store " + name + ": setting " + key + " must have 1 to "
                    + MAX_VALUE_LENGTH + " characters");
        }
        for (int i = 0; i < value.length(); i++) {
            if (Character.isISOControl(value.charAt(i))) {
                throw new InvalidArgumentException("store " + name + ": setting " + key + " holds a control character");
            }
        }
    }

    private static String quoted(String text) {
        String shown = text.length() > 70 ? text.substring(0, 70) + "..." : text;
        return "'" + shown.replaceAll("\\p{Cntrl}", "?") + "'";
    }
}
