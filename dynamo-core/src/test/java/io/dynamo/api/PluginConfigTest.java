package io.dynamo.api;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.dynamo.spi.ConfigException;
import io.dynamo.spi.PluginConfig;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.BiConsumer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** {@link PluginConfig}, from {@code io.dynamo.spi}; kept with the other dynamo-api tests. */
class PluginConfigTest {
    private static PluginConfig config(String key, String value) {
        return new PluginConfig("chronicle", Map.of(key, value));
    }

    @Test
    void absentKeysGiveTheDefault() {
        PluginConfig empty = PluginConfig.empty("chronicle");
        assertEquals(Optional.empty(), empty.get("x"));
        assertEquals("d", empty.getString("x", "d"));
        assertEquals(7, empty.getInt("x", 7));
        assertEquals(8L, empty.getLong("x", 8L));
        assertEquals(0.5, empty.getDouble("x", 0.5));
        assertTrue(empty.getBoolean("x", true));
        assertEquals(Duration.ofSeconds(3), empty.getDuration("x", Duration.ofSeconds(3)));
        assertEquals(1024, empty.getSize("x", 1024));
        assertEquals(Path.of("/d"), empty.getPath("x", Path.of("/d")));
    }

    @Test
    void presentValuesAreParsedAndTrimmed() {
        assertEquals("v", config("k", "  v ").getString("k", "d"));
        assertEquals(-12, config("k", " -12 ").getInt("k", 0));
        assertEquals(1_000_000L, config("k", "1_000_000").getLong("k", 0));
        assertEquals(2.5, config("k", "2.5").getDouble("k", 0));
        assertEquals(Path.of("/var/lib/dynamo"), config("k", "/var/lib/dynamo").getPath("k", null));
        assertEquals("v", config("k", "v").require("k"));
    }

    @ParameterizedTest
    @CsvSource({"true,true", "YES,true", "on,true", "false,false", "No,false", "OFF,false"})
    void booleans(String raw, boolean expected) {
        assertEquals(expected, config("k", raw).getBoolean("k", !expected));
    }

    @ParameterizedTest
    @CsvSource({"250ms,250", "250,250", "5s,5000", "5 s,5000", "2m,120000", "1h,3600000", "1H,3600000"})
    void durations(String raw, long millis) {
        assertEquals(Duration.ofMillis(millis), config("k", raw).getDuration("k", Duration.ZERO));
    }

    @ParameterizedTest
    @CsvSource({"512,512", "64k,65536", "64KiB,65536", "16m,16777216", "16MiB,16777216", "2g,2147483648", "1t,1099511627776", "10b,10"})
    void sizes(String raw, long bytes) {
        assertEquals(bytes, config("k", raw).getSize("k", 0));
    }

    @Test
    void eachBadValueNamesTheFullKey() {
        List<BiConsumer<PluginConfig, String>> getters = List.of(
                (c, k) -> c.getInt(k, 0), (c, k) -> c.getLong(k, 0), (c, k) -> c.getDouble(k, 0),
                (c, k) -> c.getBoolean(k, false), (c, k) -> c.getDuration(k, Duration.ZERO), (c, k) -> c.getSize(k, 0));
        for (BiConsumer<PluginConfig, String> getter : getters) {
            ConfigException e = assertThrows(ConfigException.class, () -> getter.accept(config("entries", "lots"), "entries"));
            assertEquals("chronicle.entries", e.key());
            assertTrue(e.getMessage().startsWith("chronicle.entries: 'lots' is not "), e.getMessage());
        }
    }

    @Test
    void specificMessages() {
        assertEquals("chronicle.entries: '3000000000' is not an int",
                assertThrows(ConfigException.class, () -> config("entries", "3000000000").getInt("entries", 0)).getMessage());
        assertEquals("chronicle.ratio: 'NaN' is not a finite number",
                assertThrows(ConfigException.class, () -> config("ratio", "NaN").getDouble("ratio", 0)).getMessage());
        assertEquals("chronicle.size: '9000000t' is not a size below 8 EiB",
                assertThrows(ConfigException.class, () -> config("size", "9000000t").getSize("size", 0)).getMessage());
        assertEquals("chronicle.dir: is required",
                assertThrows(ConfigException.class, () -> PluginConfig.empty("chronicle").require("dir")).getMessage());
        assertEquals("chronicle.dir: 'a\0b' is not a file path",
                assertThrows(ConfigException.class, () -> config("dir", "a\0b").getPath("dir", null)).getMessage());
    }

    @Test
    void numbersTooLongForALongAreBadValuesNotCrashes() {
        String huge = "99999999999999999999";
        assertEquals("chronicle.t", assertThrows(ConfigException.class, () -> config("t", huge + "ms").getDuration("t", null)).key());
        assertEquals("chronicle.t", assertThrows(ConfigException.class, () -> config("t", huge + "h").getDuration("t", null)).key());
        assertEquals("chronicle.t", assertThrows(ConfigException.class, () -> config("t", "9223372036854775807h").getDuration("t", null)).key());
        assertEquals("chronicle.s", assertThrows(ConfigException.class, () -> config("s", huge + "k").getSize("s", 0)).key());
    }

    @Test
    void emptyNamespaceUsesTheBareKey() {
        assertEquals("port", assertThrows(ConfigException.class, () -> new PluginConfig("", Map.of("port", "x")).getInt("port", 0)).key());
    }

    @Test
    void withAddsAKeyToACopy() {
        PluginConfig base = config("a", "1");
        PluginConfig more = base.with("b", "2");
        assertEquals(Map.of("a", "1"), base.asMap());
        assertEquals(Map.of("a", "1", "b", "2"), more.asMap());
        assertEquals("chronicle", more.namespace());
        assertEquals("chronicle{a=1, b=2}", more.toString());
    }
}
