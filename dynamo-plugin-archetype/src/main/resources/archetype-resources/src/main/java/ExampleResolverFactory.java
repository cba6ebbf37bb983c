package ${package};

import io.dynamo.spi.PluginConfig;
import io.dynamo.spi.PluginContext;
import io.dynamo.spi.resolution.ConflictResolver;
import io.dynamo.spi.resolution.ConflictResolverFactory;
import java.util.Optional;
import java.util.Set;

/** Makes {@link ExampleResolver}s; selected by {@code resolver=example-max}. */
final class ExampleResolverFactory implements ConflictResolverFactory {
    static final String NAME = "example-max";

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public Optional<Set<String>> settingKeys() {
        return Optional.of(Set.of());
    }

    @Override
    public ConflictResolver create(PluginConfig config, PluginContext context) {
        return new ExampleResolver();
    }
}
