package io.dynamo.core.storage;

import static java.util.Objects.requireNonNull;

import io.dynamo.core.coordination.Scheduler;
import io.dynamo.spi.ConfigException;
import io.dynamo.spi.storage.StorageEngine;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Keeps a node's {@link SyncPolicy}: the one place that decides when the storage engine is asked
 * to {@link StorageEngine#sync} a partition.
 *
 * <p>Two kinds of writes: {@link #acknowledging} — a write about to be acknowledged as durable
 * (the coordinator's own copy and a replica's copy, both counting toward W; a hint accepted for
 * another node; a hint delivered to its owner, which the sender forgets once acknowledged) — and
 * {@link #written} — a background write (anti-entropy, read repair, tombstone collection,
 * streamed batches, a delivered hint's removal) that nothing acknowledges to a client and that
 * its replicas or sender would send again.
 *
 * <ul>
 *   <li>{@code none}: neither is synced.</li>
 *   <li>{@code interval}: both are noted, and a background task syncs every partition written
 *       since its last run, every {@code sync-interval}.</li>
 *   <li>{@code always}: an acknowledging write syncs its partition before it returns (the engine
 *       shares one force among concurrent callers); background writes are synced as under
 *       {@code interval}.</li>
 * </ul>
 *
 * The sync runs on the calling thread (for a replica write, the transport's thread answering the
 * request). Thread-safe.
 */
public final class Durability implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(Durability.class);

    private final String owner;
    private final StorageEngine engine;
    private final SyncSettings settings;
    private final Scheduler scheduler;
    private final Executor executor;
    /** Partitions written since the background task last synced them. */
    private final Set<Integer> unsynced = ConcurrentHashMap.newKeySet();
    private volatile boolean closed;
    private volatile Scheduler.Cancellable next;

    /**
     * Durability of {@code engine} under {@code settings}; background syncs are scheduled on
     * {@code scheduler} and run on {@code executor} (so a slow device never holds up the
     * scheduler's thread; a simulation passes {@code Runnable::run}). Refuses, with a
     * {@link ConfigException} naming the setting, a policy other than {@code none} over an engine
     * that {@linkplain StorageEngine#canSync cannot sync}.
     */
    public Durability(String owner, StorageEngine engine, SyncSettings settings, Scheduler scheduler, Executor executor) {
        this.owner = requireNonNull(owner, "owner is null");
        this.engine = requireNonNull(engine, "engine is null");
        this.settings = requireNonNull(settings, "settings is null");
        this.scheduler = requireNonNull(scheduler, "scheduler is null");
        this.executor = requireNonNull(executor, "executor is null");
        if (settings.policy() != SyncPolicy.NONE && !engine.canSync()) {
            throw new ConfigException(settings.key(), settings.policy().configName() + " needs a storage engine that can"
                    + " make writes durable against an OS crash, and " + engine.getClass().getName()
                    + " cannot (StorageEngine.canSync() is false: it keeps its data in memory, or predates SPI 4);"
                    + " use " + settings.key() + "=none or a persistent engine such as chronicle");
        }
    }

    /** Durability that never syncs, for a store used on its own. */
    public static Durability none(StorageEngine engine) {
        return new Durability("store", engine, SyncSettings.NONE, NoTimers.INSTANCE, Runnable::run);
    }

    public SyncSettings settings() {
        return settings;
    }

    /** Starts the background syncs (none under {@code none}). */
    public void start() {
        if (settings.policy() != SyncPolicy.NONE) {
            log.info("{}: durable writes {}={} (background sync every {} ms)", owner, settings.key(),
                    settings.policy().configName(), settings.interval().toMillis());
            scheduleNext();
        }
    }

    /**
     * A write to {@code partition} completed and is about to be acknowledged: under
     * {@code always}, returns once it is durable (throws, so that it is not acknowledged, when the
     * engine could not sync); otherwise notes it for the background task.
     */
    public void acknowledging(int partition) {
        if (settings.policy() == SyncPolicy.ALWAYS) {
            engine.sync(partition);
        } else {
            written(partition);
        }
    }

    /** A background write to {@code partition} completed: synced within a {@code sync-interval} (never under {@code none}). */
    public void written(int partition) {
        if (settings.policy() != SyncPolicy.NONE) {
            unsynced.add(partition);
        }
    }

    /**
     * Makes every completed write of {@code partition} durable now, unless the policy is
     * {@code none}: e.g. a partition that moved in, before this node says it holds it.
     */
    public void syncNow(int partition) {
        if (settings.policy() != SyncPolicy.NONE) {
            engine.sync(partition);
        }
    }

    /** Syncs every partition written since the last run; one that fails is kept for the next. Returns how many were synced. */
    int syncWritten() {
        int synced = 0;
        for (Integer partition : unsynced) {
            if (closed) {
                break;
            }
            unsynced.remove(partition); // before the sync: a write completing meanwhile notes it again
            try {
                engine.sync(partition);
                synced++;
            } catch (RuntimeException e) {
                unsynced.add(partition);
                log.warn("{}: syncing partition {} failed; retrying in {} ms: {}", owner, partition,
                        settings.interval().toMillis(), e.toString());
            }
        }
        return synced;
    }

    private void scheduleNext() {
        if (!closed) {
            next = scheduler.schedule(settings.interval(), () -> {
                try {
                    if (!closed) {
                        executor.execute(this::runOnce);
                    }
                } catch (RejectedExecutionException e) {
                    // the node is closing: its engine's close makes the rest durable
                }
            });
        }
    }

    private void runOnce() {
        try {
            syncWritten();
        } catch (RuntimeException e) {
            log.warn("{}: background sync failed", owner, e);
        } finally {
            scheduleNext(); // after this run, so runs never overlap
        }
    }

    /** Stops the background syncs (the engine's own close makes the rest durable). Idempotent. */
    @Override
    public void close() {
        closed = true;
        Scheduler.Cancellable pending = next;
        if (pending != null) {
            pending.cancel();
        }
    }

    /** The scheduler of a {@code none} durability, which schedules nothing. */
    private enum NoTimers implements Scheduler {
        INSTANCE;

        @Override
        public long currentTimeMillis() {
            return System.currentTimeMillis();
        }

        @Override
        public long monotonicMillis() {
            return System.nanoTime() / 1_000_000;
        }

        @Override
        public Cancellable schedule(java.time.Duration delay, Runnable task) {
            throw new IllegalStateException("a durability of sync=none schedules nothing");
        }

        @Override
        public <T> T await(java.util.concurrent.CompletableFuture<T> future, java.time.Duration timeout) {
            throw new IllegalStateException("a durability of sync=none waits for nothing");
        }
    }
}
