package io.dynamo.core.causality;

import io.dynamo.spi.PluginConfig;
import io.dynamo.spi.PluginContext;
import io.dynamo.spi.causality.CausalityScheme;
import io.dynamo.spi.causality.CausalitySchemeFactory;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.function.Supplier;

/** The causality schemes dynamo-core contributes: {@code vector-clock}, {@code dvv} and {@code plain-vector-clock}. */
public final class BuiltinSchemes {
    private BuiltinSchemes() {}

    public static List<CausalitySchemeFactory> factories() {
        return List.of(new Factory(WriterSlots.NAME, WriterSlots::new),
                new Factory(DottedVersionVectors.NAME, DottedVersionVectors::new),
                new Factory(PlainVectorClocks.NAME, PlainVectorClocks::new));
    }

    /** A factory of a scheme without settings. */
    private record Factory(String name, Supplier<CausalityScheme> scheme) implements CausalitySchemeFactory {
        @Override
        public Optional<Set<String>> settingKeys() {
            return Optional.of(Set.of());
        }

        @Override
        public CausalityScheme create(PluginConfig config, PluginContext context) {
            return scheme.get();
        }
    }
}
