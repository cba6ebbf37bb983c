package io.dynamo.tck;

import io.dynamo.api.Bytes;
import io.dynamo.api.Versioned;
import io.dynamo.spi.storage.StorageEngine;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.BiConsumer;
import java.util.function.UnaryOperator;
import org.junit.jupiter.api.Test;

/** The storage contract passes a simple correct engine and catches each planted fault. */
class StorageEngineContractSelfTest {
    /** Correct and simple: one lock around nested hash maps. Subclasses plant one fault each. */
    static class SimpleEngine implements StorageEngine {
        final Map<Integer, Map<Bytes, List<Versioned>>> data = new HashMap<>();
        boolean closed;

        int partitionOf(int partition) {
            return partition;
        }

        synchronized void checkOpen() {
            if (closed) {
                throw new IllegalStateException("closed");
            }
        }

        @Override
        public synchronized List<Versioned> get(int partition, Bytes key) {
            checkOpen();
            return data.getOrDefault(partitionOf(partition), Map.of()).getOrDefault(key, List.of());
        }

        @Override
        public synchronized List<Versioned> update(int partition, Bytes key, UnaryOperator<List<Versioned>> update) {
            checkOpen();
            List<Versioned> next = List.copyOf(update.apply(get(partition, key)));
            store(partitionOf(partition), key, next);
            return next;
        }

        void store(int partition, Bytes key, List<Versioned> next) {
            Map<Bytes, List<Versioned>> map = data.computeIfAbsent(partition, p -> new HashMap<>());
            if (next.isEmpty()) {
                map.remove(key);
            } else {
                map.put(key, next);
            }
        }

        @Override
        public synchronized void forEach(int partition, BiConsumer<Bytes, List<Versioned>> action) {
            checkOpen();
            data.getOrDefault(partitionOf(partition), Map.of()).forEach(action);
        }

        @Override
        public synchronized Set<Integer> partitions() {
            checkOpen();
            Set<Integer> nonEmpty = new TreeSet<>();
            data.forEach((p, map) -> {
                if (!map.isEmpty()) {
                    nonEmpty.add(p);
                }
            });
            return nonEmpty;
        }

        @Override
        public synchronized long size(int partition) {
            checkOpen();
            return data.getOrDefault(partitionOf(partition), Map.of()).size();
        }

        @Override
        public synchronized void dropPartition(int partition) {
            checkOpen();
            data.remove(partitionOf(partition));
        }

        @Override
        public synchronized void close() {
            closed = true;
        }
    }

    static class Correct extends StorageEngineContractTest {
        @Override
        protected StorageEngine createEngine(Path directory) {
            return new SimpleEngine();
        }
    }

    static class SharesOnePartition extends StorageEngineContractTest {
        @Override
        protected StorageEngine createEngine(Path directory) {
            return new SimpleEngine() {
                @Override
                int partitionOf(int partition) {
                    return 0;
                }
            };
        }
    }

    static class UpdatesWithoutTheLock extends StorageEngineContractTest {
        @Override
        protected StorageEngine createEngine(Path directory) {
            return new SimpleEngine() {
                @Override
                public List<Versioned> update(int partition, Bytes key, UnaryOperator<List<Versioned>> update) {
                    List<Versioned> next = List.copyOf(update.apply(get(partition, key)));
                    try {
                        Thread.sleep(1); // widen the read-modify-write race
                    } catch (InterruptedException e) {
                        Thread.currentThread().interrupt();
                    }
                    synchronized (this) {
                        store(partition, key, next);
                    }
                    return next;
                }
            };
        }
    }

    static class WorksAfterClose extends StorageEngineContractTest {
        @Override
        protected StorageEngine createEngine(Path directory) {
            return new SimpleEngine() {
                @Override
                synchronized void checkOpen() {}
            };
        }
    }

    static class KeepsRemovedKeys extends StorageEngineContractTest {
        @Override
        protected StorageEngine createEngine(Path directory) {
            return new SimpleEngine() {
                @Override
                void store(int partition, Bytes key, List<Versioned> next) {
                    data.computeIfAbsent(partition, p -> new HashMap<>()).put(key, next);
                }
            };
        }
    }

    static class ClaimsPersistenceButForgets extends StorageEngineContractTest {
        @Override
        protected StorageEngine createEngine(Path directory) {
            return new SimpleEngine();
        }

        @Override
        protected boolean persistent() {
            return true;
        }
    }

    @Test
    void aCorrectEnginePasses() {
        ContractRun.of(Correct.class).assertAllPassed();
    }

    @Test
    void sharedPartitionsAreCaught() {
        ContractRun.of(SharesOnePartition.class).assertFailed("partitionsAreKeptApart", "dropPartitionRemovesOnlyThatPartition");
    }

    @Test
    void lostUpdatesAreCaught() {
        ContractRun.of(UpdatesWithoutTheLock.class).assertFailed("concurrentUpdatesOfOneKeyNeverLoseAVersion");
    }

    @Test
    void useAfterCloseIsCaught() {
        ContractRun.of(WorksAfterClose.class).assertFailed("everyOperationFailsAfterClose");
    }

    @Test
    void keysThatAreNeverRemovedAreCaught() {
        ContractRun.of(KeepsRemovedKeys.class).assertFailed("updateReturningNothingRemovesTheKey");
    }

    @Test
    void forgottenDataIsCaught() {
        ContractRun.of(ClaimsPersistenceButForgets.class)
                .assertFailed("dataSurvivesCloseAndReopen", "reopenedEngineTakesNewWrites");
    }
}
