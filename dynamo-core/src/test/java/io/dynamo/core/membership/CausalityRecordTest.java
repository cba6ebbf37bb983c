package io.dynamo.core.membership;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.dynamo.api.Bytes;
import io.dynamo.api.VectorClock;
import io.dynamo.api.Versioned;
import io.dynamo.core.storage.MemoryStorageEngine;
import io.dynamo.spi.ConfigException;
import java.util.List;
import org.junit.jupiter.api.Test;

class CausalityRecordTest {
    @Test
    void aNewDirectoryRecordsItsSchemeAndKeepsIt() {
        MemoryStorageEngine engine = new MemoryStorageEngine();
        assertNull(CausalityRecord.recorded(engine));
        CausalityRecord.checkOrRecord(engine, "dvv", "data/n1");
        assertEquals("dvv", CausalityRecord.recorded(engine));
        CausalityRecord.checkOrRecord(engine, "dvv", "data/n1"); // the same scheme again: fine
    }

    @Test
    void anotherSchemeOverTheSameDataIsRefusedNamingTheSettingAndTheDirectory() {
        MemoryStorageEngine engine = new MemoryStorageEngine();
        CausalityRecord.checkOrRecord(engine, "vector-clock", "data/n1");
        ConfigException e = assertThrows(ConfigException.class,
                () -> CausalityRecord.checkOrRecord(engine, "dvv", "data/n1"));
        assertEquals("causality", e.key());
        assertEquals("causality: is dvv, but the data in data/n1 was written with causality=vector-clock: start this node"
                + " with causality=vector-clock, or give it an empty data directory (there is no migration between"
                + " causality schemes)", e.getMessage());
    }

    @Test
    void aStoresRecordNamesTheStoresSetting() {
        MemoryStorageEngine engine = new MemoryStorageEngine();
        CausalityRecord.checkOrRecord(engine, "dvv", "data/n1/stores/carts", "store.carts.causality");
        ConfigException e = assertThrows(ConfigException.class, () -> CausalityRecord.checkOrRecord(engine,
                "vector-clock", "data/n1/stores/carts", "store.carts.causality"));
        assertEquals("store.carts.causality", e.key());
        assertEquals("store.carts.causality: is vector-clock, but the data in data/n1/stores/carts was written with"
                + " store.carts.causality=dvv: start this node with store.carts.causality=dvv, or give it an empty data"
                + " directory (there is no migration between causality schemes)", e.getMessage());
    }

    @Test
    void dataFromBeforeTheRecordWasWrittenWithVectorClocks() {
        MemoryStorageEngine engine = new MemoryStorageEngine();
        engine.update(3, Bytes.utf8("k"), current -> List.of(Versioned.of(VectorClock.EMPTY.increment("n1", 1),
                Bytes.utf8("v"))));
        assertEquals("vector-clock", CausalityRecord.recorded(engine));
        assertThrows(ConfigException.class, () -> CausalityRecord.checkOrRecord(engine, "dvv", "data/n1"));
        CausalityRecord.checkOrRecord(engine, "vector-clock", "data/n1");
        assertEquals("vector-clock", CausalityRecord.recorded(engine));
    }
}
