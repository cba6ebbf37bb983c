package io.dynamo.core.membership;

import io.dynamo.api.Bytes;
import io.dynamo.api.Versioned;
import io.dynamo.core.coordination.FailureDetector;
import io.dynamo.core.coordination.Scheduler;
import io.dynamo.core.messages.Message;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Pulls into this node, one partition after the other, the partitions a ring change gives it:
 * batches of keys in key order from one of the partition's current replicas, each merged by
 * causality into the local store, the last key of each batch recorded in the {@link MoveLog}
 * so that a crash of either side resumes the stream where it stopped. A batch is followed by a
 * pause that keeps the stream under the configured bytes per second. A failed batch is retried
 * after a gossip interval from the next source.
 */
final class PartitionMover {
    private static final Logger log = LoggerFactory.getLogger(PartitionMover.class);

    /** A partition of a store to receive and the nodes that have it now, in preference order. */
    record Pull(Membership.StoreReplicas store, int partition, List<String> sources) {
        Pull {
            sources = List.copyOf(sources);
        }

        MoveLog.Progress progress(MoveLog moveLog, long ringVersion) {
            return moveLog.progress(store.name(), ringVersion, partition);
        }

        @Override
        public String toString() {
            return store.name().equals("default") ? "partition " + partition : "partition " + partition + " of store "
                    + store.name();
        }
    }

    private final String self;
    private final long ringVersion;
    private final List<Pull> pulls;
    private final MoveLog moveLog;
    private final Scheduler scheduler;
    private final MembershipSettings settings;
    private final FailureDetector detector;
    private final Consumer<MoveProgress> onProgress;
    private int done; // guarded by this
    private long keys; // guarded by this
    private int attempts; // guarded by this
    private boolean cancelled; // guarded by this
    private final boolean[] finished;

    PartitionMover(String self, long ringVersion, List<Pull> pulls, MoveLog moveLog, Scheduler scheduler, MembershipSettings settings, FailureDetector detector,
            Consumer<MoveProgress> onProgress) {
        this.self = self;
        this.ringVersion = ringVersion;
        this.pulls = List.copyOf(pulls);
        this.moveLog = moveLog;
        this.scheduler = scheduler;
        this.settings = settings;
        this.detector = detector;
        this.onProgress = onProgress;
        this.finished = new boolean[pulls.size()];
    }

    long ringVersion() {
        return ringVersion;
    }

    /** Picks up what the log says was done, reports it, and starts streaming. */
    void start() {
        synchronized (this) {
            for (int i = 0; i < pulls.size(); i++) {
                MoveLog.Progress progress = pulls.get(i).progress(moveLog, ringVersion);
                finished[i] = progress.done();
                done += progress.done() ? 1 : 0;
                keys += progress.keys();
            }
        }
        log.info("{}: receiving {} partitions for ring version {} ({} already done)", self, pulls.size(), ringVersion, done);
        onProgress.accept(progress());
        step();
    }

    synchronized MoveProgress progress() {
        return new MoveProgress(ringVersion, pulls.size(), done, keys);
    }

    synchronized void cancel() {
        cancelled = true;
    }

    private void step() {
        int index;
        String source;
        MoveLog.Progress progress;
        synchronized (this) {
            if (cancelled) {
                return;
            }
            index = 0;
            while (index < pulls.size() && finished[index]) {
                index++;
            }
            if (index == pulls.size()) {
                return;
            }
            progress = pulls.get(index).progress(moveLog, ringVersion);
            source = pickSource(pulls.get(index).sources());
        }
        Pull pull = pulls.get(index);
        if (source == null) {
            retryLater("no source of " + pull + " is available");
            return;
        }
        int at = index;
        pull.store().peers().send(source, new Message.StreamPartition(pull.partition(), progress.lastKey(), settings.streamBatchKeys()),
                settings.timeout()).whenComplete((answer, failure) -> {
                    if (failure != null || !(answer instanceof Message.StreamBatch batch)) {
                        retryLater("streaming " + pull + " from " + source + " failed: "
                                + (failure == null ? answer : failure.getMessage()));
                        return;
                    }
                    try {
                        received(at, progress, batch);
                    } catch (RuntimeException e) {
                        retryLater("storing " + pull + " failed: " + e);
                    }
                });
    }

    private void received(int index, MoveLog.Progress before, Message.StreamBatch batch) {
        Pull pull = pulls.get(index);
        int partition = pull.partition();
        long bytes = 0;
        Optional<Bytes> last = before.lastKey();
        for (Message.KeyVersions key : batch.keys()) {
            pull.store().store().merge(partition, key.key(), key.versions());
            bytes += key.key().length();
            for (Versioned version : key.versions()) {
                bytes += version.value().length() + 16L * version.clock().size();
            }
            last = Optional.of(key.key());
        }
        if (batch.last()) {
            pull.store().store().syncNow(partition); // durable before this node reports holding it and the old owner drops its copy
        }
        MoveLog.Progress after = new MoveLog.Progress(batch.last(), before.keys() + batch.keys().size(), last);
        moveLog.saveProgress(pull.store().name(), ringVersion, partition, after);
        int doneNow;
        synchronized (this) {
            attempts = 0;
            keys += batch.keys().size();
            if (batch.last()) {
                finished[index] = true;
                done++;
            }
            doneNow = done;
        }
        if (batch.last()) {
            log.info("{}: {} moved in for ring version {}: {} keys ({}/{} partitions received)", self, pull,
                    ringVersion, after.keys(), doneNow, pulls.size());
        }
        onProgress.accept(progress());
        long rate = settings.streamMaxBytesPerSecond();
        Duration pause = rate == 0 ? Duration.ZERO : Duration.ofMillis(bytes * 1000 / rate);
        scheduler.schedule(pause, this::step);
    }

    private void retryLater(String why) {
        synchronized (this) {
            attempts++;
        }
        log.debug("{}: {}; retrying in {}", self, why, settings.gossipInterval());
        scheduler.schedule(settings.gossipInterval(), this::step);
    }

    /** The next available source, rotating on every failed attempt; null when none is available. */
    private String pickSource(List<String> sources) {
        List<String> available = new ArrayList<>();
        for (String node : sources) {
            if (!node.equals(self) && detector.isAvailable(node)) {
                available.add(node);
            }
        }
        return available.isEmpty() ? null : available.get(attempts % available.size());
    }
}
