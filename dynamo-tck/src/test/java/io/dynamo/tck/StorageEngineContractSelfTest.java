package io.dynamo.tck;

import io.dynamo.api.Bytes;
import io.dynamo.api.Versioned;
import io.dynamo.api.codec.BytesIn;
import io.dynamo.api.codec.BytesOut;
import io.dynamo.api.codec.VersionedCodec;
import io.dynamo.spi.storage.StorageEngine;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
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

    /** Named after its factory in this module's test {@code META-INF/services} (SelfTestPlugin). */
    static class CorrectThroughItsFactory extends StorageEngineContractTest {
        @Override
        protected Optional<String> engineName() {
            return Optional.of(SelfTestPlugin.SIMPLE);
        }
    }

    static class FactoryHandsOutOneEngine extends StorageEngineContractTest {
        @Override
        protected Optional<String> engineName() {
            return Optional.of(SelfTestPlugin.SINGLETON);
        }
    }

    /** A lock-free read-modify-write that retries on conflict: its update function runs more than once. */
    static class RetriesTheFunction extends StorageEngineContractTest {
        @Override
        protected StorageEngine createEngine(Path directory) {
            return new SimpleEngine() {
                final ConcurrentHashMap<Bytes, List<Versioned>> cas = new ConcurrentHashMap<>();

                @Override
                public List<Versioned> update(int partition, Bytes key, UnaryOperator<List<Versioned>> update) {
                    if (partition != 0) {
                        return super.update(partition, key, update);
                    }
                    while (true) {
                        List<Versioned> current = cas.getOrDefault(key, List.of());
                        List<Versioned> next = List.copyOf(update.apply(current));
                        boolean applied = current.isEmpty() ? next.isEmpty() || cas.putIfAbsent(key, next) == null
                                : next.isEmpty() ? cas.remove(key, current) : cas.replace(key, current, next);
                        if (applied) {
                            synchronized (this) {
                                store(0, key, next);
                            }
                            return next;
                        }
                    }
                }
            };
        }
    }

    /** Reads, applies and writes without any lock: concurrent updates of one key are lost. */
    static class NoPerKeyAtomicity extends StorageEngineContractTest {
        @Override
        protected StorageEngine createEngine(Path directory) {
            return new SimpleEngine() {
                @Override
                public List<Versioned> update(int partition, Bytes key, UnaryOperator<List<Versioned>> update) {
                    List<Versioned> next = List.copyOf(update.apply(get(partition, key)));
                    synchronized (this) {
                        store(partition, key, next);
                    }
                    return next;
                }
            };
        }
    }

    /** Rewrites a key's list in place under its lock while readers copy it without: torn reads. */
    static class UpdatesInPlace extends StorageEngineContractTest {
        @Override
        protected StorageEngine createEngine(Path directory) {
            return new SimpleEngine() {
                final Map<Bytes, List<Versioned>> lists = new ConcurrentHashMap<>();

                @Override
                public List<Versioned> get(int partition, Bytes key) {
                    if (partition != 0) {
                        return super.get(partition, key);
                    }
                    List<Versioned> list = lists.get(key);
                    return list == null ? List.of() : new ArrayList<>(list);
                }

                @Override
                public synchronized List<Versioned> update(int partition, Bytes key, UnaryOperator<List<Versioned>> update) {
                    if (partition != 0) {
                        return super.update(partition, key, update);
                    }
                    List<Versioned> next = List.copyOf(update.apply(get(partition, key)));
                    List<Versioned> list = lists.computeIfAbsent(key, k -> new CopyOnWriteArrayList<>());
                    list.clear();
                    for (Versioned v : next) {
                        list.add(v);
                        Thread.yield(); // widen the window in which the list is half written
                    }
                    store(0, key, next);
                    return next;
                }
            };
        }
    }

    /** forEach walks a copy of the partition taken when its key count last changed. */
    static class StaleScanSnapshot extends StorageEngineContractTest {
        @Override
        protected StorageEngine createEngine(Path directory) {
            return new SimpleEngine() {
                final Map<Integer, Map<Bytes, List<Versioned>>> snapshots = new HashMap<>();

                @Override
                public synchronized void forEach(int partition, BiConsumer<Bytes, List<Versioned>> action) {
                    checkOpen();
                    Map<Bytes, List<Versioned>> live = data.getOrDefault(partition, Map.of());
                    Map<Bytes, List<Versioned>> snapshot = snapshots.get(partition);
                    if (snapshot == null || snapshot.size() != live.size()) {
                        snapshot = new HashMap<>(live);
                        snapshots.put(partition, snapshot);
                    }
                    snapshot.forEach(action);
                }
            };
        }
    }

    /** get hands out the stored list itself. */
    static class HandsOutItsOwnList extends StorageEngineContractTest {
        @Override
        protected StorageEngine createEngine(Path directory) {
            return new SimpleEngine() {
                @Override
                void store(int partition, Bytes key, List<Versioned> next) {
                    Map<Bytes, List<Versioned>> map = data.computeIfAbsent(partition, p -> new HashMap<>());
                    if (next.isEmpty()) {
                        map.remove(key);
                    } else {
                        map.put(key, new ArrayList<>(next));
                    }
                }
            };
        }
    }

    /** Persistent, but writes its file only on close: passes close-and-reopen, loses everything in a crash. */
    static class WritesOnlyOnClose extends StorageEngineContractTest {
        @Override
        protected StorageEngine createEngine(Path directory) {
            return new FileOnCloseEngine(directory.resolve("data.bin"));
        }

        @Override
        protected boolean persistent() {
            return true;
        }
    }

    static class FileOnCloseEngine extends SimpleEngine {
        final Path file;

        FileOnCloseEngine(Path file) {
            this.file = file;
            try {
                if (Files.exists(file)) {
                    BytesIn in = new BytesIn(Files.readAllBytes(file));
                    while (in.hasRemaining()) {
                        int partition = in.readVarInt();
                        Bytes key = in.readByteString();
                        store(partition, key, VersionedCodec.decode(in.readBytes()));
                    }
                }
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }

        @Override
        public synchronized void close() {
            if (closed) {
                return;
            }
            save();
            super.close();
        }

        synchronized void save() {
            BytesOut out = new BytesOut();
            data.forEach((partition, map) -> map.forEach((key, versions) ->
                    out.writeVarInt(partition).writeBytes(key).writeBytes(VersionedCodec.encode(versions))));
            try {
                Files.write(file, out.toByteArray());
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
    }

    /** Claims to sync, but keeps its data in memory only. */
    static class ClaimsToSyncWithoutFiles extends StorageEngineContractTest {
        @Override
        protected StorageEngine createEngine(Path directory) {
            return new SimpleEngine() {
                @Override
                public boolean canSync() {
                    return true;
                }
            };
        }
    }

    /** Durable only once synced, and its sync writes nothing: what it synced is lost in a crash. */
    static class SyncThatDoesNothing extends StorageEngineContractTest {
        @Override
        protected StorageEngine createEngine(Path directory) {
            return new FileOnCloseEngine(directory.resolve("data.bin")) {
                @Override
                public boolean canSync() {
                    return true;
                }

                @Override
                public void sync(int partition) {
                    checkOpen();
                }
            };
        }

        @Override
        protected boolean persistent() {
            return true;
        }

        @Override
        protected boolean survivesCrash() {
            return false;
        }
    }

    /** Correct: durable only once synced, and its sync writes its file (a whole-file engine may sync every partition at once). */
    static class DurableOnceSynced extends StorageEngineContractTest {
        @Override
        protected StorageEngine createEngine(Path directory) {
            return new FileOnCloseEngine(directory.resolve("data.bin")) {
                @Override
                public boolean canSync() {
                    return true;
                }

                @Override
                public synchronized void sync(int partition) {
                    checkOpen();
                    save();
                }
            };
        }

        @Override
        protected boolean persistent() {
            return true;
        }

        @Override
        protected boolean survivesCrash() {
            return false;
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

    @Test
    void theFactoryIsFoundByNameAndPasses() {
        ContractRun.of(CorrectThroughItsFactory.class).assertAllPassed();
    }

    @Test
    void aFactoryThatHandsOutOneEngineIsCaught() {
        ContractRun.of(FactoryHandsOutOneEngine.class).assertFailed("theFactoryMakesWorkingIndependentEnginesFromItsDocumentedSettings");
    }

    @Test
    void anUpdateFunctionRunTwiceIsCaught() {
        ContractRun.of(RetriesTheFunction.class).assertFailed("eachUpdateRunsItsFunctionOnceAndNoUpdateIsLost");
    }

    @Test
    void updatesWithoutPerKeyAtomicityAreCaught() {
        ContractRun.of(NoPerKeyAtomicity.class).assertFailed("eachUpdateRunsItsFunctionOnceAndNoUpdateIsLost");
    }

    @Test
    void tornReadsAreCaught() {
        ContractRun.of(UpdatesInPlace.class).assertFailed("readersNeverSeeAHalfWrittenUpdate");
    }

    @Test
    void aStaleScanIsCaught() {
        ContractRun.of(StaleScanSnapshot.class).assertFailed("forEachSeesEveryCompletedWriteAndEachKeyOnce");
    }

    @Test
    void handingOutTheStoredListIsCaught() {
        ContractRun.of(HandsOutItsOwnList.class).assertFailed("collectionsHandedOutAreNotTheEnginesOwn");
    }

    @Test
    void anEngineDurableOnceSyncedPasses() {
        ContractRun.of(DurableOnceSynced.class).assertAllPassed();
    }

    @Test
    void anInMemoryEngineClaimingToSyncIsCaught() {
        ContractRun.of(ClaimsToSyncWithoutFiles.class).assertFailed("anEngineWithoutFilesCannotSync");
    }

    @Test
    void aSyncThatWritesNothingIsCaught() {
        ContractRun run = ContractRun.of(SyncThatDoesNothing.class);
        run.assertFailed("syncedWritesSurviveAnEngineAbandonedWithoutClose", "concurrentWritersSyncingOnePartitionLoseNothing");
        run.assertPassed("syncAcceptsEveryPartitionAndChangesNothing");
    }

    @Test
    void losingWritesInACrashIsCaught() {
        ContractRun run = ContractRun.of(WritesOnlyOnClose.class);
        run.assertFailed("writesSurviveAnEngineAbandonedWithoutClose");
        run.assertPassed("dataSurvivesCloseAndReopen");
    }
}
