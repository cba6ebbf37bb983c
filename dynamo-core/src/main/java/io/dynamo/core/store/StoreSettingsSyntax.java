package io.dynamo.core.store;

import io.dynamo.api.InvalidArgumentException;
import io.dynamo.spi.ConfigException;
import io.dynamo.spi.PluginConfig;
import java.util.Map;
import java.util.List;
import java.util.Set;

/**
 * The checks of a store's settings that need no node: every key known ({@link StoreDefinition#KEYS},
 * the one list of them), numbers positive, {@code timeout} and {@code sync-interval} durations and
 * {@code max-value-size} a size (the forms of the node config), names well formed; any other key is
 * left to the definition parser. A node that opens
 * the catalog's stores checks with its definition parser instead ({@link StoreHooks#of}).
 */
public final class StoreSettingsSyntax implements StoreSettingsCheck {
    /** Keys whose value is a positive int. */
    public static final Set<String> POSITIVE_INTS = Set.of("n", "r", "w", "sibling-warn", "max-siblings",
            "max-clock-entries");
    /** Keys whose value names a plugin, a scheme or a policy. */
    public static final Set<String> NAMES = Set.of("resolver", "storage", "causality", "sync");
    /** Keys whose value is a positive duration. */
    public static final Set<String> DURATIONS = Set.of("timeout", "sync-interval");
    /** Every key a store reads: {@link StoreDefinition#KEYS}, in its order. */
    public static final List<String> KEYS = StoreDefinition.KEYS;

    private static final java.util.regex.Pattern PLUGIN_NAME = java.util.regex.Pattern.compile("[a-z][a-z0-9-]{0,62}");

    @Override
    public void check(String name, Map<String, String> settings) {
        CatalogEntry.checkName(name);
        String prefix = "store." + name + ".";
        PluginConfig config = new PluginConfig("store." + name, settings);
        for (Map.Entry<String, String> setting : new java.util.TreeMap<>(settings).entrySet()) {
            String key = setting.getKey();
            if (!KEYS.contains(key)) {
                throw new InvalidArgumentException("unknown store setting " + prefix + key + "; known: " + KEYS);
            }
            try {
                if (POSITIVE_INTS.contains(key)) {
                    positive(prefix + key, setting.getValue(), config.getLong(key, 1), Integer.MAX_VALUE);
                } else if (DURATIONS.contains(key)) {
                    positive(prefix + key, setting.getValue(), config.getDuration(key, java.time.Duration.ZERO).toMillis(),
                            Long.MAX_VALUE);
                } else if (key.equals("max-value-size")) {
                    positive(prefix + key, setting.getValue(), config.getSize(key, 1), Integer.MAX_VALUE);
                } else if (NAMES.contains(key) && !PLUGIN_NAME.matcher(setting.getValue()).matches()) {
                    throw new InvalidArgumentException(prefix + key + "=" + setting.getValue()
                            + ": a plugin name of a-z, 0-9 and '-', starting with a letter");
                }
            } catch (ConfigException e) {
                throw new InvalidArgumentException(e.getMessage());
            }
        }
    }

    private static void positive(String key, String raw, long value, long max) {
        if (value < 1 || value > max) {
            throw new InvalidArgumentException(key + "=" + raw + ": must be at least 1 and at most " + max);
        }
    }
}
