package io.dynamo.storage.chronicle;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.dynamo.spi.DynamoPlugin;
import io.dynamo.tck.DynamoPluginContractTest;
import org.junit.jupiter.api.Test;

class ChroniclePluginTest extends DynamoPluginContractTest {
    @Override
    protected Class<? extends DynamoPlugin> pluginClass() {
        return ChroniclePlugin.class;
    }

    @Test
    void contributesTheChronicleStorageEngine() {
        assertEquals("chronicle", new ChroniclePlugin().storageEngines().get(0).name());
    }
}
