package io.dynamo.core.membership;

import static java.util.Objects.requireNonNull;

import io.dynamo.api.InvalidArgumentException;
import io.dynamo.core.coordination.FailureDetector;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.Collections;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;
import java.util.SortedSet;
import java.util.TreeSet;
import java.util.function.LongSupplier;

/**
 * The phi-accrual failure detector (Hayashibara et al., as Cassandra uses it), fed by gossip
 * heartbeats: for every peer it keeps the last {@code window} intervals between arrivals of a
 * newer heartbeat, and computes {@code phi = log10(e) × (now − last arrival) / mean interval},
 * the suspicion level of an exponential model of arrivals. A peer is down while
 * {@code phi ≥ threshold}: with the mean interval {@code m}, after {@code threshold × ln(10) × m}
 * of silence (threshold 8, m = 1 s: about 18 s).
 *
 * <p>Intervals longer than {@code maxSampleInterval} (a node that was down, a long pause) are
 * not sampled, so an outage does not teach the detector to wait longer. The mean is never
 * below {@code expectedInterval} (the gossip interval), so bursts of state changes do not teach
 * it to suspect sooner either: the fastest detection is the one above. A peer never heard of is considered up, as are
 * the seeds a node starts with.
 *
 * <p>Direct evidence counts too: a failed request suspects the peer at once until a request to
 * it succeeds or a newer heartbeat arrives, so coordinators pick stand-ins without waiting for
 * phi to climb. Thread-safe.
 */
public final class PhiAccrualFailureDetector implements FailureDetector {
    private static final double LOG10_E = Math.log10(Math.E);

    private final LongSupplier clock;
    private final double threshold;
    private final int window;
    private final long expectedIntervalMillis;
    private final long maxSampleIntervalMillis;
    private final Map<String, History> histories = new HashMap<>(); // guarded by this
    private final Set<String> failedRequests = new HashSet<>(); // guarded by this

    /**
     * @param clock monotonic milliseconds (the node's {@code Scheduler.monotonicMillis}, virtual
     *     under simulation): a wall-clock jump must not make every peer look silent
     * @param threshold phi at and above which a peer is down, positive
     * @param window how many intervals are kept per peer
     * @param expectedInterval the mean before any sample: the gossip interval
     */
    public PhiAccrualFailureDetector(LongSupplier clock, double threshold, int window, Duration expectedInterval) {
        this.clock = requireNonNull(clock, "clock is null");
        if (!(threshold > 0) || window < 1 || expectedInterval.isZero() || expectedInterval.isNegative()) {
            throw new InvalidArgumentException("phi detector needs a positive threshold, window and interval: "
                    + threshold + ", " + window + ", " + expectedInterval);
        }
        this.threshold = threshold;
        this.window = window;
        this.expectedIntervalMillis = expectedInterval.toMillis();
        this.maxSampleIntervalMillis = 10 * expectedIntervalMillis;
    }

    /** A newer heartbeat of {@code nodeId} arrived now. */
    public synchronized void heartbeat(String nodeId) {
        long now = clock.getAsLong();
        History history = histories.computeIfAbsent(nodeId, id -> new History());
        if (history.last >= 0) {
            long interval = now - history.last;
            if (interval <= maxSampleIntervalMillis) {
                history.add(Math.max(interval, 1), window);
            }
        }
        history.last = now;
        failedRequests.remove(nodeId);
    }

    /** The suspicion level of {@code nodeId} now: 0 for a peer never heard of. */
    public synchronized double phi(String nodeId) {
        History history = histories.get(nodeId);
        if (history == null || history.last < 0) {
            return 0;
        }
        long silence = Math.max(0, clock.getAsLong() - history.last);
        return LOG10_E * silence / history.mean(expectedIntervalMillis);
    }

    /** The mean interval between heartbeats of {@code nodeId} (the expected interval before any). */
    public synchronized double meanIntervalMillis(String nodeId) {
        History history = histories.get(nodeId);
        return history == null ? expectedIntervalMillis : history.mean(expectedIntervalMillis);
    }

    /** When the newest heartbeat of {@code nodeId} arrived (ms), or -1 if none did. */
    public synchronized long lastHeartbeatMillis(String nodeId) {
        History history = histories.get(nodeId);
        return history == null ? -1 : history.last;
    }

    /** How long a silence of {@code nodeId} from now on takes to reach the threshold, at its current mean. */
    public synchronized long detectionMillis(String nodeId) {
        return (long) Math.ceil(threshold / LOG10_E * meanIntervalMillis(nodeId));
    }

    public double threshold() {
        return threshold;
    }

    @Override
    public synchronized boolean isAvailable(String nodeId) {
        return !failedRequests.contains(nodeId) && phi(nodeId) < threshold;
    }

    @Override
    public synchronized void reportFailure(String nodeId) {
        failedRequests.add(nodeId);
    }

    @Override
    public synchronized void reportSuccess(String nodeId) {
        failedRequests.remove(nodeId);
    }

    @Override
    public synchronized Set<String> suspects() {
        SortedSet<String> suspects = new TreeSet<>(failedRequests);
        for (String node : histories.keySet()) {
            if (phi(node) >= threshold) {
                suspects.add(node);
            }
        }
        return Collections.unmodifiableSortedSet(suspects);
    }

    @Override
    public String toString() {
        return "phi-accrual(threshold " + threshold + ", suspects " + suspects() + ")";
    }

    private static final class History {
        private final ArrayDeque<Long> intervals = new ArrayDeque<>();
        private long sum;
        private long last = -1;

        void add(long interval, int window) {
            intervals.addLast(interval);
            sum += interval;
            if (intervals.size() > window) {
                sum -= intervals.removeFirst();
            }
        }

        /**
         * The mean interval, never below {@code expected}: a peer's heartbeat advances once per
         * gossip round, but any newer state of it counts as an arrival, so a burst of changes
         * (a start, a partition move) samples intervals of milliseconds. A mean learnt from them
         * would suspect the peer after a few dozen milliseconds of ordinary silence.
         */
        double mean(long expected) {
            return intervals.isEmpty() ? expected : Math.max(expected, (double) sum / intervals.size());
        }
    }
}
