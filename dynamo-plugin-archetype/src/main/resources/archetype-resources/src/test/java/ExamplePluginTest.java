package ${package};

import io.dynamo.spi.DynamoPlugin;
import io.dynamo.tck.DynamoPluginContractTest;

/** The plugin is listed in META-INF/services, can be made, and names its factories well. */
class ExamplePluginTest extends DynamoPluginContractTest {
    @Override
    protected Class<? extends DynamoPlugin> pluginClass() {
        return ExamplePlugin.class;
    }
}
