package io.dynamo.examples.plugin;

import io.dynamo.spi.DynamoPlugin;
import io.dynamo.tck.DynamoPluginContractTest;

/** The plugin is found by ServiceLoader and names its factory validly. */
class MaxRegisterPluginTest extends DynamoPluginContractTest {
    @Override
    protected Class<? extends DynamoPlugin> pluginClass() {
        return MaxRegisterPlugin.class;
    }
}
