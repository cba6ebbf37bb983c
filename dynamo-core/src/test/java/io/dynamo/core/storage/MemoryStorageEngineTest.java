package io.dynamo.core.storage;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.dynamo.api.Bytes;
import io.dynamo.api.InvalidArgumentException;
import io.dynamo.spi.PluginConfig;
import io.dynamo.spi.PluginContext;
import io.dynamo.spi.storage.StorageEngine;
import io.dynamo.tck.StorageEngineContractTest;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class MemoryStorageEngineTest extends StorageEngineContractTest {
    @Override
    protected StorageEngine createEngine(Path directory) {
        return new MemoryStorageEngine();
    }

    @Override
    protected Optional<String> engineName() {
        return Optional.of("memory");
    }

    @Test
    void negativePartitionIsRefused() {
        InvalidArgumentException e = assertThrows(InvalidArgumentException.class, () -> engine().get(-1, Bytes.EMPTY));
        assertEquals("partition must not be negative: -1", e.getMessage());
    }

    @Test
    void nothingSurvivesClose() {
        StorageEngine first = new MemoryStorageEngine();
        first.update(0, key("k"), current -> List.of(version("a", 1, "v")));
        first.close();
        assertEquals(List.of(), new MemoryStorageEngine().get(0, key("k")));
    }

    @Test
    void factoryIsNamedMemoryAndMakesIndependentEngines() {
        MemoryStorageEngineFactory factory = new MemoryStorageEngineFactory();
        PluginContext context = new PluginContext() {
            @Override
            public String nodeId() {
                return "node-1";
            }

            @Override
            public Path dataDirectory() {
                return directory();
            }
        };
        assertEquals("memory", factory.name());
        try (StorageEngine a = factory.create(PluginConfig.empty("memory"), context);
                StorageEngine b = factory.create(PluginConfig.empty("memory"), context)) {
            a.update(0, key("k"), current -> List.of(version("a", 1, "only in a")));
            assertEquals(List.of(), b.get(0, key("k")));
        }
    }
}
