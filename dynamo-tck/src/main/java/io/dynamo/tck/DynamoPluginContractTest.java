package io.dynamo.tck;

import static org.junit.jupiter.api.Assertions.assertDoesNotThrow;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.dynamo.spi.DynamoPlugin;
import io.dynamo.spi.ExtensionFactory;
import java.lang.reflect.Modifier;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.ServiceLoader;
import java.util.Set;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * A smoke test of a plugin's entry point: found by {@link ServiceLoader}, constructible, and
 * contributing factories with valid, unique names. Subclass it once per plugin:
 *
 * <pre>{@code
 * class MyPluginTest extends DynamoPluginContractTest {
 *     protected Class<? extends DynamoPlugin> pluginClass() { return MyPlugin.class; }
 * }
 * }</pre>
 */
public abstract class DynamoPluginContractTest {
    private static final Pattern NAME = Pattern.compile("[a-z][a-z0-9-]*");

    protected abstract Class<? extends DynamoPlugin> pluginClass();

    @Test
    void serviceLoaderFindsThePlugin() {
        List<Class<?>> found = new ArrayList<>();
        ServiceLoader.load(DynamoPlugin.class, pluginClass().getClassLoader()).stream()
                .forEach(provider -> found.add(provider.type()));
        assertTrue(found.contains(pluginClass()), pluginClass().getName()
                + " is not listed in META-INF/services/" + DynamoPlugin.class.getName() + "; found " + found);
    }

    @Test
    void pluginIsAPublicClassWithAPublicNoArgumentConstructor() {
        int modifiers = pluginClass().getModifiers();
        assertTrue(Modifier.isPublic(modifiers) && !Modifier.isAbstract(modifiers), pluginClass() + " must be public and concrete");
        assertDoesNotThrow(() -> pluginClass().getConstructor().newInstance());
    }

    @Test
    void factoriesHaveValidUniqueNames() throws Exception {
        DynamoPlugin plugin = pluginClass().getConstructor().newInstance();
        List<List<? extends ExtensionFactory<?>>> points = List.of(
                plugin.partitioners(), plugin.conflictResolvers(), plugin.storageEngines(), plugin.transports());
        int total = 0;
        for (List<? extends ExtensionFactory<?>> factories : points) {
            assertNotNull(factories, "a factory list is null");
            Set<String> names = new HashSet<>();
            for (ExtensionFactory<?> factory : factories) {
                assertNotNull(factory, "a null factory");
                String name = factory.name();
                assertTrue(name != null && NAME.matcher(name).matches(),
                        "factory " + factory.getClass().getName() + " has name '" + name + "', not [a-z][a-z0-9-]*");
                assertTrue(names.add(name), "two factories of one kind are named '" + name + "'");
                total++;
            }
        }
        assertTrue(total > 0, pluginClass().getName() + " contributes no factory");
    }

    @Test
    void factoryListsAreStable() throws Exception {
        DynamoPlugin plugin = pluginClass().getConstructor().newInstance();
        assertEquals(names(plugin.storageEngines()), names(plugin.storageEngines()));
        assertEquals(names(plugin.conflictResolvers()), names(plugin.conflictResolvers()));
        assertEquals(names(plugin.partitioners()), names(plugin.partitioners()));
        assertEquals(names(plugin.transports()), names(plugin.transports()));
    }

    private static List<String> names(List<? extends ExtensionFactory<?>> factories) {
        List<String> names = new ArrayList<>();
        factories.forEach(f -> names.add(f.name()));
        return names;
    }
}
