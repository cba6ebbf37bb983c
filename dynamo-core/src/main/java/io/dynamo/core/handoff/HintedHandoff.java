package io.dynamo.core.handoff;

import static java.util.Objects.requireNonNull;

import io.dynamo.core.coordination.FailureDetector;
import io.dynamo.core.coordination.ReplicaClient;
import io.dynamo.core.coordination.Scheduler;
import io.dynamo.core.messages.Message;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Hands hinted writes back to their owners. Every interval it pings the nodes the failure
 * detector suspects (a successful ping clears the suspicion and starts delivery to that node at
 * once) and sends each hint whose owner is not suspected, as a {@link Message.HintDelivery}.
 * A hint is removed only after the owner acknowledged it, and only the versions delivered
 * (see {@link HintStore#removeDelivered}); a failed delivery suspects the owner and is retried
 * after a later successful ping.
 *
 * <p>Hints are read from the storage engine on every round, so hints held before a restart are
 * delivered by the new incarnation. Runs on the node's {@link Scheduler}; never blocks.
 */
public final class HintedHandoff implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(HintedHandoff.class);
    /** At most this many deliveries in flight, so a long outage does not flood the owner on its return. */
    static final int MAX_IN_FLIGHT = 64;

    private final String self;
    private final HintStore hints;
    private final ReplicaClient peers;
    private final FailureDetector detector;
    private final Scheduler scheduler;
    private final Duration interval;
    private final Duration timeout;
    private final Set<HintKey> inFlight = new HashSet<>(); // guarded by this
    private Scheduler.Cancellable next; // guarded by this
    private boolean closed; // guarded by this

    private record HintKey(String owner, io.dynamo.api.Bytes key) {}

    public HintedHandoff(String self, HintStore hints, ReplicaClient peers, FailureDetector detector, Scheduler scheduler,
            Duration interval, Duration timeout) {
        this.self = requireNonNull(self, "self is null");
        this.hints = requireNonNull(hints, "hints is null");
        this.peers = requireNonNull(peers, "peers is null");
        this.detector = requireNonNull(detector, "detector is null");
        this.scheduler = requireNonNull(scheduler, "scheduler is null");
        this.interval = requireNonNull(interval, "interval is null");
        this.timeout = requireNonNull(timeout, "timeout is null");
        if (interval.isZero() || interval.isNegative()) {
            throw new io.dynamo.api.InvalidArgumentException("handoff interval must be positive: " + interval);
        }
    }

    /** Starts the periodic rounds. */
    public synchronized void start() {
        if (!closed && next == null) {
            next = scheduler.schedule(interval, this::tick);
        }
    }

    private void tick() {
        try {
            runOnce();
        } catch (RuntimeException e) {
            log.warn("{}: hinted handoff round failed, retrying in {}", self, interval, e);
        }
        synchronized (this) {
            if (!closed) {
                next = scheduler.schedule(interval, this::tick);
            }
        }
    }

    /** One round: ping the suspects, deliver what can be delivered. */
    public void runOnce() {
        List<HintStore.Hint> held = hints.all();
        hints.metrics().hintsPending(held.stream().collect(
                java.util.stream.Collectors.groupingBy(HintStore.Hint::owner, java.util.stream.Collectors.counting())));
        Set<String> suspects = new TreeSet<>(detector.suspects());
        for (String suspect : suspects) {
            peers.send(suspect, new Message.Ping(self), timeout).whenComplete((answer, failure) -> {
                if (failure == null) {
                    log.info("{}: {} answers again, handing off its hints", self, suspect);
                    deliver(hints.all(), suspect);
                }
            });
        }
        deliver(held, null);
    }

    /**
     * Delivers the hints of {@code onlyOwner}, or of every owner not suspected when null; once
     * every delivery of this call has ended, one INFO line per owner that received some.
     */
    private void deliver(List<HintStore.Hint> held, String onlyOwner) {
        Map<String, AtomicInteger> delivered = new ConcurrentHashMap<>();
        Map<String, AtomicInteger> failed = new ConcurrentHashMap<>();
        List<CompletableFuture<?>> sent = new ArrayList<>();
        for (HintStore.Hint hint : held) {
            if (onlyOwner != null ? !hint.owner().equals(onlyOwner) : !detector.isAvailable(hint.owner())) {
                continue;
            }
            HintKey id = new HintKey(hint.owner(), hint.key());
            synchronized (this) {
                if (closed || inFlight.size() >= MAX_IN_FLIGHT || !inFlight.add(id)) {
                    continue;
                }
            }
            sent.add(peers.send(hint.owner(), new Message.HintDelivery(hint.key(), hint.versions(), self), timeout)
                    .whenComplete((answer, failure) -> {
                        (failure == null ? delivered : failed)
                                .computeIfAbsent(hint.owner(), o -> new AtomicInteger())
                                .incrementAndGet();
                        if (failure == null) {
                            hints.removeDelivered(hint.owner(), hint.key(), hint.versions());
                            hints.metrics().hintDelivered(hint.owner());
                        } else {
                            log.debug("{}: hint of {} for {} not delivered: {}", self, hint.key(), hint.owner(),
                                    failure.getMessage());
                        }
                        synchronized (this) {
                            inFlight.remove(id);
                        }
                    }));
        }
        if (!sent.isEmpty()) {
            CompletableFuture.allOf(sent.toArray(CompletableFuture[]::new))
                    .whenComplete((ignored, failure) -> delivered.forEach((owner, count) -> log.info(
                            "{}: handed off {} hints to {}{}", self, count.get(), owner,
                            failed.containsKey(owner) ? " (" + failed.get(owner).get() + " failed, retried later)" : "")));
        }
    }

    @Override
    public synchronized void close() {
        closed = true;
        if (next != null) {
            next.cancel();
        }
    }
}
