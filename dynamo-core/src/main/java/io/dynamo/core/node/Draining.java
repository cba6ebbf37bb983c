package io.dynamo.core.node;

import static java.util.Objects.requireNonNull;

import io.dynamo.core.coordination.Scheduler;
import io.dynamo.core.handoff.HintStore;
import io.dynamo.core.handoff.HintedHandoff;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicBoolean;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A node's drain: once begun, client requests are refused as unavailable (clients fail over to
 * another node), and hinted handoff runs round after round until no hint is left or the limit
 * has passed; then the drain is {@link #finished()} and whoever runs the node stops it. A node
 * drains once; a second request waits for the same end.
 */
final class Draining {
    private static final Logger log = LoggerFactory.getLogger(Draining.class);
    /** Pause between handoff rounds while draining. */
    private static final Duration ROUND_PAUSE = Duration.ofMillis(200);

    private final String self;
    private final HintStore hints;
    private final HintedHandoff handoff;
    private final Scheduler scheduler;
    private final AtomicBoolean active = new AtomicBoolean();
    private final CompletableFuture<Map<String, Long>> finished = new CompletableFuture<>();

    Draining(String self, HintStore hints, HintedHandoff handoff, Scheduler scheduler) {
        this.self = requireNonNull(self, "self is null");
        this.hints = requireNonNull(hints, "hints is null");
        this.handoff = requireNonNull(handoff, "handoff is null");
        this.scheduler = requireNonNull(scheduler, "scheduler is null");
    }

    /** True once the drain began: client requests are refused. */
    boolean active() {
        return active.get();
    }

    /** Begins the drain (once); completes with the hints still held when handoff ended. */
    CompletableFuture<Map<String, Long>> begin(Duration handoffLimit) {
        if (active.compareAndSet(false, true)) {
            log.info("{}: draining: client requests are refused from now on; handing off {} hints (for at most {})", self,
                    hints.size(), handoffLimit);
            long deadline = scheduler.monotonicMillis() + handoffLimit.toMillis();
            scheduler.schedule(Duration.ZERO, () -> round(deadline));
        }
        return finished;
    }

    /** Completes when the drain has ended: what the node still holds is in the map. */
    CompletableFuture<Map<String, Long>> finished() {
        return finished;
    }

    private void round(long deadline) {
        try {
            if (hints.size() > 0 && scheduler.monotonicMillis() < deadline) {
                handoff.runOnce();
                scheduler.schedule(ROUND_PAUSE, () -> round(deadline));
                return;
            }
            Map<String, Long> left = hints.countsByOwner();
            if (left.isEmpty()) {
                log.info("{}: drained: every hint handed off; the node may stop", self);
            } else {
                log.warn("{}: drained with hints left (per target node: {}): their owners did not take them in time; the"
                        + " node may stop, and hands them off when it starts again", self, left);
            }
            finished.complete(left);
        } catch (RuntimeException e) {
            finished.completeExceptionally(e);
        }
    }
}
