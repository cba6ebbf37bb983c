package io.dynamo.partitioner.md5;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.dynamo.spi.DynamoPlugin;
import io.dynamo.tck.DynamoPluginContractTest;
import java.util.List;
import org.junit.jupiter.api.Test;

class Md5PluginTest extends DynamoPluginContractTest {
    @Override
    protected Class<? extends DynamoPlugin> pluginClass() {
        return Md5Plugin.class;
    }

    @Test
    void contributesOnlyTheMd5Partitioner() {
        Md5Plugin plugin = new Md5Plugin();
        assertEquals(List.of("md5"), plugin.partitioners().stream().map(f -> f.name()).toList());
        assertEquals(List.of(), plugin.storageEngines());
        assertEquals(List.of(), plugin.transports());
        assertEquals(List.of(), plugin.conflictResolvers());
    }
}
