package io.dynamo.api;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.dynamo.spi.ConfigException;
import io.dynamo.spi.PluginConfig;
import java.time.Duration;
import java.util.Map;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.PropertyDefaults;
import net.jqwik.api.Provide;

/** Whatever the value, a typed getter returns or throws {@link ConfigException} naming the full key; nothing else. */
@PropertyDefaults(tries = 300)
class PluginConfigProperties {
    @Provide
    Arbitrary<String> values() {
        return Arbitraries.oneOf(
                Arbitraries.strings().ofMaxLength(30),
                Arbitraries.strings().withChars("0123456789_ -.kmgtbiKMGTBIsmhSMHeE").ofMaxLength(30),
                // long digit runs with a unit: numbers that overflow a long
                Arbitraries.strings().numeric().ofMinLength(15).ofMaxLength(25)
                        .flatMap(digits -> Arbitraries.of("", "ms", "s", "m", "h", "k", "g", "t", "KiB").map(unit -> digits + unit)));
    }

    @Property(seed = "11", tries = 600)
    void typedGettersReturnOrNameTheKey(@ForAll("values") String raw) {
        PluginConfig config = new PluginConfig("tcp", Map.of("value", raw));
        check(() -> config.getInt("value", 0));
        check(() -> config.getLong("value", 0));
        check(() -> config.getDouble("value", 0));
        check(() -> config.getBoolean("value", false));
        check(() -> config.getDuration("value", Duration.ZERO));
        check(() -> config.getSize("value", 0));
        check(() -> config.getPath("value", null));
    }

    private static void check(Runnable getter) {
        try {
            getter.run();
        } catch (ConfigException e) {
            assertEquals("tcp.value", e.key());
        }
    }
}
