package io.dynamo.core;

import static org.junit.jupiter.api.Assertions.assertTrue;

import io.dynamo.spi.DynamoPlugin;
import io.dynamo.spi.ExtensionFactory;
import io.dynamo.tck.DynamoPluginContractTest;
import java.util.List;
import org.junit.jupiter.api.Test;

class BuiltinPluginTest extends DynamoPluginContractTest {
    @Override
    protected Class<? extends DynamoPlugin> pluginClass() {
        return BuiltinPlugin.class;
    }

    @Test
    void contributesMemoryStorageAndTheThreeResolvers() {
        BuiltinPlugin plugin = new BuiltinPlugin();
        assertTrue(names(plugin.storageEngines()).contains("memory"));
        assertTrue(names(plugin.conflictResolvers()).containsAll(List.of("vector-clock", "lww", "set-union")),
                names(plugin.conflictResolvers()).toString());
    }

    private static List<String> names(List<? extends ExtensionFactory<?>> factories) {
        return factories.stream().map(ExtensionFactory::name).toList();
    }
}
