package io.dynamo.resolver.crdt;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.dynamo.api.Bytes;
import io.dynamo.api.VectorClock;
import io.dynamo.api.Versioned;
import io.dynamo.core.config.NodePluginContext;
import io.dynamo.core.plugin.ExtensionPoint;
import io.dynamo.core.plugin.PluginRegistry;
import io.dynamo.spi.DynamoPlugin;
import io.dynamo.spi.PluginConfig;
import io.dynamo.spi.resolution.ConflictResolver;
import io.dynamo.tck.DynamoPluginContractTest;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class CrdtPluginTest extends DynamoPluginContractTest {
    @TempDir
    Path directory;

    @Override
    protected Class<? extends DynamoPlugin> pluginClass() {
        return CrdtPlugin.class;
    }

    @Test
    void contributesTheOrSetAndPnCounterResolversOnly() {
        CrdtPlugin plugin = new CrdtPlugin();
        assertEquals(List.of("or-set", "pn-counter"), plugin.conflictResolvers().stream().map(f -> f.name()).toList());
        assertEquals(List.of(), plugin.partitioners());
        assertEquals(List.of(), plugin.storageEngines());
        assertEquals(List.of(), plugin.transports());
        assertEquals(List.of(), plugin.causalitySchemes());
    }

    /** What a node does with {@code resolver=or-set}: discovery by ServiceLoader, selection by name. */
    @Test
    void aNodeSelectsEachResolverByName() {
        try (PluginRegistry registry = PluginRegistry.load(directory.resolve("plugins"))) {
            NodePluginContext context = new NodePluginContext("node-1", directory);
            ConflictResolver orSet = registry.create(ExtensionPoint.CONFLICT_RESOLVER, "or-set", PluginConfig.empty("or-set"), context);
            ConflictResolver counter = registry.create(ExtensionPoint.CONFLICT_RESOLVER, "pn-counter",
                    PluginConfig.empty("pn-counter"), context);
            Versioned a = Versioned.of(VectorClock.EMPTY.increment("node-1", 1), PnCounter.zero().increment("a", 2).encode());
            Versioned b = Versioned.of(VectorClock.EMPTY.increment("node-2", 1), PnCounter.zero().increment("b", 3).encode());
            assertEquals(5, PnCounter.decode(counter.resolve(Bytes.utf8("k"), List.of(a, b)).get(0).value()).value());
            assertEquals(2, orSet.resolve(Bytes.utf8("k"), List.of(a, b)).size(), "counters are not OR-set values");
            assertTrue(registry.factories(ExtensionPoint.CONFLICT_RESOLVER).stream().anyMatch(f -> f.factory().name().equals("or-set")));
        }
    }
}
