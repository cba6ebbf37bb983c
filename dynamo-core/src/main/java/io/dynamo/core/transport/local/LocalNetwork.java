package io.dynamo.core.transport.local;

import static java.util.Objects.requireNonNull;

import io.dynamo.api.InvalidArgumentException;
import io.dynamo.api.RequestTimeoutException;
import io.dynamo.core.coordination.Scheduler;
import io.dynamo.core.transport.local.NetworkEvent.Fate;
import io.dynamo.core.transport.local.NetworkEvent.Kind;
import io.dynamo.spi.transport.Endpoint;
import io.dynamo.spi.transport.RequestHandler;
import io.dynamo.spi.transport.Transport;
import io.dynamo.spi.transport.TransportException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.SplittableRandom;
import java.util.concurrent.CompletableFuture;
import java.util.function.BooleanSupplier;
import java.util.random.RandomGenerator;
import java.util.zip.CRC32;

/**
 * An in-process network for the {@code local} transport, with fault injection: it drops, delays,
 * duplicates and reorders messages ({@link Faults}), cuts the nodes into partition groups, and
 * crashes and restarts nodes. Every decision draws from one random generator seeded at
 * creation, and every message's fate is recorded in {@link #history()}.
 *
 * <p><b>Two modes.</b> A {@linkplain #simulated(long) simulated} network runs on virtual time:
 * deliveries, timeouts and every node's timers ({@link #scheduler(String)}) are events in one
 * queue, run one at a time by the thread that waits for a result ({@link #await},
 * {@link #runFor}). Handlers, coordinators and clients all run inside those events, so the same
 * seed and the same schedule give the same history, message for message. A
 * {@linkplain #realTime(long) real-time} network delivers on a small thread pool with real
 * delays; its fault decisions use the same seeded generator, but thread interleaving makes the
 * order of decisions vary, so its history is not reproducible. Tests that need replay use the
 * simulated mode; benchmarks and the transport contract test use real time.
 *
 * <p><b>Crashes.</b> {@link #crash(String)} makes a node unreachable (requests to it are
 * refused), loses the messages on their way to it, and silences its current incarnation: its
 * timers never fire again and the answers to its pending requests are discarded, as if its
 * process died. {@link #restart(String)} lets a new incarnation (a new transport and scheduler
 * for the same node id) bind again. The node's storage is not the network's business: an
 * in-process cluster keeps the engine and hands it to the new incarnation.
 *
 * <p><b>Stalled links.</b> {@link #hold} stalls the requests from one node to another, as a TCP
 * connection whose peer stopped reading holds them in its buffers; {@link #release} delivers
 * them, late, in order. The sender times out meanwhile, as it would on a real network.
 *
 * <p>No static state: every in-process cluster makes its own network. Thread-safe.
 */
public final class LocalNetwork implements AutoCloseable {
    private final EventLoop loop;
    private final boolean simulated;
    private final Object lock = new Object();
    private final RandomGenerator random; // guarded by lock
    private final Map<String, Binding> bindings = new HashMap<>(); // by address; guarded by lock
    private final Map<String, Integer> incarnations = new HashMap<>(); // guarded by lock
    private final Set<String> crashed = new HashSet<>(); // guarded by lock
    private final Map<String, Integer> partitionGroup = new HashMap<>(); // guarded by lock
    private final List<NetworkEvent> history = new ArrayList<>(); // guarded by lock
    private final Map<String, Long> clockSkewMicros = new HashMap<>(); // guarded by lock
    private final Set<Direction> cutDirections = new HashSet<>(); // guarded by lock
    private final Map<String, Long> pausedUntilMicros = new HashMap<>(); // guarded by lock
    private final boolean recordHistory;
    private Faults faults = Faults.NONE; // guarded by lock
    /** Requests held on stalled links, by "from->to"; guarded by lock. */
    private final Map<String, List<Runnable>> held = new HashMap<>();
    private int anonymousTransports; // guarded by lock

    private record Direction(String from, String to) {}

    private record Binding(String address, String nodeId, int incarnation, RequestHandler handler, LocalTransport transport) {}

    private LocalNetwork(EventLoop loop, boolean simulated, long seed, boolean recordHistory) {
        this.loop = loop;
        this.simulated = simulated;
        this.random = new SplittableRandom(seed);
        this.recordHistory = recordHistory;
    }

    /** A network on virtual time, run by the thread that waits on it; records its history. */
    public static LocalNetwork simulated(long seed) {
        return new LocalNetwork(new SimulatedEventLoop(), true, seed, true);
    }

    /** A network on real time with two delivery threads; keeps no history (it would grow without bound). */
    public static LocalNetwork realTime(long seed) {
        return realTime(seed, 2, false);
    }

    /** A network on real time with {@code threads} delivery threads. */
    public static LocalNetwork realTime(long seed, int threads, boolean recordHistory) {
        if (threads < 1) {
            throw new InvalidArgumentException("threads must be at least 1: " + threads);
        }
        return new LocalNetwork(new RealTimeEventLoop(threads), false, seed, recordHistory);
    }

    public boolean isSimulated() {
        return simulated;
    }

    /** A transport for {@code nodeId}'s current incarnation. Binding makes it reachable at its endpoint. */
    public Transport transport(String nodeId) {
        requireNonNull(nodeId, "nodeId is null");
        synchronized (lock) {
            return new LocalTransport(this, nodeId, incarnations.getOrDefault(nodeId, 0));
        }
    }

    /** A transport with a generated name, for clients that do not care to be named. */
    public Transport transport() {
        synchronized (lock) {
            return transport("transport-" + ++anonymousTransports);
        }
    }

    /** The timers of {@code nodeId}'s current incarnation: they stop when it crashes. */
    public Scheduler scheduler(String nodeId) {
        requireNonNull(nodeId, "nodeId is null");
        synchronized (lock) {
            return new NodeScheduler(nodeId, incarnations.getOrDefault(nodeId, 0));
        }
    }

    /** From now on, mistreat messages as {@code faults} says. */
    public void setFaults(Faults faults) {
        requireNonNull(faults, "faults is null");
        synchronized (lock) {
            this.faults = faults;
        }
    }

    /**
     * Cuts the network: nodes of different groups cannot reach each other (their messages are
     * silently lost, so requests time out). Nodes in no group (clients) reach everyone.
     * Replaces any earlier partition.
     */
    public void partition(Collection<? extends Collection<String>> groups) {
        synchronized (lock) {
            partitionGroup.clear();
            int index = 0;
            for (Collection<String> group : groups) {
                for (String node : group) {
                    if (partitionGroup.put(node, index) != null) {
                        throw new InvalidArgumentException("node " + node + " is in two partition groups");
                    }
                }
                index++;
            }
        }
    }

    /**
     * From now on, holds the requests {@code from} sends to {@code to} (the node ids), as a stalled
     * connection does, until {@link #release}. Answers and other links are not affected.
     */
    public void hold(String from, String to) {
        synchronized (lock) {
            held.putIfAbsent(from + "->" + to, new ArrayList<>());
        }
    }

    /** Delivers the requests held from {@code from} to {@code to}, in the order they were sent, and holds no more. */
    public void release(String from, String to) {
        List<Runnable> deliveries;
        synchronized (lock) {
            deliveries = held.remove(from + "->" + to);
        }
        if (deliveries != null) {
            deliveries.forEach(Runnable::run);
        }
    }

    /**
     * Cuts one direction only: messages from any node of {@code from} to any node of
     * {@code to} are lost, while the other direction still works (a one-way partition, as a
     * misconfigured firewall makes). Adds to any earlier cut; {@link #heal()} ends them all.
     */
    public void cutOneWay(Collection<String> from, Collection<String> to) {
        synchronized (lock) {
            for (String source : from) {
                for (String target : to) {
                    cutDirections.add(new Direction(source, target));
                }
            }
        }
    }

    /** Ends any partition, symmetric or one-way. */
    public void heal() {
        synchronized (lock) {
            partitionGroup.clear();
            cutDirections.clear();
        }
    }

    /**
     * Sets how far {@code nodeId}'s wall clock ({@link Scheduler#currentTimeMillis}, what
     * write timestamps are read from) is off the network's; its monotonic clock stays true.
     * Zero removes the skew.
     */
    public void setClockSkew(String nodeId, Duration skew) {
        requireNonNull(nodeId, "nodeId is null");
        requireNonNull(skew, "skew is null");
        synchronized (lock) {
            if (skew.isZero()) {
                clockSkewMicros.remove(nodeId);
            } else {
                clockSkewMicros.put(nodeId, skew.toNanos() / 1000);
            }
        }
    }

    /**
     * Freezes {@code nodeId} for {@code length}, as a long garbage-collection pause or a
     * stopped VM: messages to it, answers to its requests and its timers wait until it wakes,
     * then run in order. Unlike a crash it keeps every in-flight request and its state.
     */
    public void pause(String nodeId, Duration length) {
        requireNonNull(nodeId, "nodeId is null");
        if (length.isNegative()) {
            throw new InvalidArgumentException("a pause cannot be negative: " + length);
        }
        synchronized (lock) {
            pausedUntilMicros.merge(nodeId, loop.nowMicros() + length.toNanos() / 1000, Math::max);
        }
    }

    /** Kills {@code nodeId}'s current incarnation (see the class comment). */
    public void crash(String nodeId) {
        synchronized (lock) {
            crashed.add(nodeId);
            incarnations.merge(nodeId, 1, Integer::sum);
            bindings.values().removeIf(b -> b.nodeId().equals(nodeId));
        }
    }

    /** Lets {@code nodeId} come back: transports made from now on may bind. */
    public void restart(String nodeId) {
        synchronized (lock) {
            crashed.remove(nodeId);
        }
    }

    public boolean isUp(String nodeId) {
        synchronized (lock) {
            return !crashed.contains(nodeId);
        }
    }

    /** Every message's fate so far, in order. */
    public List<NetworkEvent> history() {
        synchronized (lock) {
            return List.copyOf(history);
        }
    }

    /** The network's clock: virtual in simulated mode. */
    public long currentTimeMillis() {
        return loop.nowMicros() / 1000;
    }

    /** The network's monotonic clock (see {@link Scheduler#monotonicMillis}): virtual in simulated mode. */
    public long monotonicMillis() {
        return loop.monotonicMicros() / 1000;
    }

    /** Waits for {@code future}; a simulated network runs its events meanwhile on this thread. */
    public <T> T await(CompletableFuture<T> future, Duration timeout) {
        return loop.await(future, timeout);
    }

    /** Runs a simulated network for {@code duration} of virtual time; sleeps on a real-time one. */
    public void runFor(Duration duration) {
        runUntil(() -> false, duration);
    }

    /**
     * Runs until {@code condition} holds (checked between events) or {@code limit} passes;
     * returns whether it holds.
     */
    public boolean runUntil(BooleanSupplier condition, Duration limit) {
        if (loop instanceof SimulatedEventLoop sim) {
            sim.runUntil(condition, sim.nowMicros() + limit.toNanos() / 1000);
            return condition.getAsBoolean();
        }
        long deadline = System.nanoTime() + limit.toNanos();
        while (!condition.getAsBoolean() && System.nanoTime() < deadline) {
            try {
                Thread.sleep(5);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return condition.getAsBoolean();
            }
        }
        return condition.getAsBoolean();
    }

    /** Stops every delivery and timer. Transports made by this network stop working. */
    @Override
    public void close() {
        loop.close();
    }

    // ---- what LocalTransport calls ----

    Endpoint bind(LocalTransport transport, Endpoint local, RequestHandler handler) {
        synchronized (lock) {
            if (!isCurrent(transport.nodeId(), transport.incarnation())) {
                throw new TransportException("node " + transport.nodeId() + " crashed; make a new transport after restart");
            }
            Binding existing = bindings.get(local.address());
            if (existing != null) {
                throw new TransportException("address " + local.address() + " is in use by " + existing.nodeId());
            }
            bindings.put(local.address(), new Binding(local.address(), transport.nodeId(), transport.incarnation(), handler, transport));
            return local;
        }
    }

    void unbind(LocalTransport transport) {
        synchronized (lock) {
            bindings.values().removeIf(b -> b.transport() == transport);
        }
    }

    CompletableFuture<byte[]> send(LocalTransport sender, Endpoint peer, byte[] payload, Duration timeout) {
        CompletableFuture<byte[]> response = new CompletableFuture<>();
        String from = sender.nodeId();
        int fromIncarnation = sender.incarnation();
        byte[] request = payload.clone();
        synchronized (lock) {
            if (!isCurrent(from, fromIncarnation)) {
                response.completeExceptionally(new TransportException("node " + from + " has crashed"));
                return response;
            }
            Runnable cancelTimeout = loop.schedule(timeout.toNanos() / 1000, guarded(from, fromIncarnation,
                    whenAwake(from, () -> response.completeExceptionally(new RequestTimeoutException("no answer from "
                            + peer + " within " + timeout.toMillis() + " ms")))));
            response.whenComplete((r, f) -> cancelTimeout.run());
            Binding target = bindings.get(peer.address());
            String to = target == null ? peer.address() : target.nodeId();
            Decision decision = decide(from, to, target != null);
            record(Kind.REQUEST, from, to, decision.fate(), decision.delay(), request);
            switch (decision.fate()) {
                case REFUSED -> loop.schedule(decision.delay(), guarded(from, fromIncarnation,
                        () -> response.completeExceptionally(new TransportException("connection refused: nobody listens at "
                                + peer.address()))));
                case SENT -> {
                    List<Runnable> stalled = held.get(from + "->" + to);
                    if (stalled != null) {
                        record(Kind.REQUEST, from, to, Fate.HELD, 0, request);
                        stalled.add(() -> deliverLater(target, 0, request, from, fromIncarnation, response));
                        break;
                    }
                    deliverLater(target, decision.delay(), request, from, fromIncarnation, response);
                    if (decision.duplicateDelay() >= 0) {
                        record(Kind.REQUEST, from, to, Fate.DUPLICATED, decision.duplicateDelay(), request);
                        deliverLater(target, decision.duplicateDelay(), request, from, fromIncarnation, response);
                    }
                }
                default -> { } // dropped or partitioned: the requester times out
            }
        }
        return response;
    }

    private void deliverLater(Binding target, long delay, byte[] request, String from, int fromIncarnation,
            CompletableFuture<byte[]> response) {
        loop.schedule(delay, whenAwake(target.nodeId(), () -> {
            synchronized (lock) {
                if (!isCurrent(target.nodeId(), target.incarnation()) || bindings.get(target.address()) != target) {
                    record(Kind.REQUEST, from, target.nodeId(), Fate.LOST, 0, request);
                    return;
                }
            }
            CompletableFuture<byte[]> answer;
            try {
                answer = target.handler().handle(request.clone());
                if (answer == null) {
                    answer = CompletableFuture.failedFuture(new IllegalStateException("the handler returned no future"));
                }
            } catch (RuntimeException e) {
                answer = CompletableFuture.failedFuture(e);
            }
            answer.whenComplete((bytes, failure) -> respond(target, from, fromIncarnation, bytes, failure, response));
        }));
    }

    private void respond(Binding target, String to, int toIncarnation, byte[] bytes, Throwable failure,
            CompletableFuture<byte[]> response) {
        byte[] payload = bytes == null ? new byte[0] : bytes.clone();
        synchronized (lock) {
            if (!isCurrent(target.nodeId(), target.incarnation())) {
                return; // the server died before it could answer
            }
            Decision decision = decide(target.nodeId(), to, true);
            record(Kind.RESPONSE, target.nodeId(), to, decision.fate(), decision.delay(), payload);
            if (decision.fate() != Fate.SENT) {
                return; // the requester times out
            }
            loop.schedule(decision.delay(), guarded(to, toIncarnation, whenAwake(to, () -> {
                if (failure != null) {
                    response.completeExceptionally(new TransportException("the peer failed the request: " + failure, failure));
                } else {
                    response.complete(payload);
                }
            })));
        }
    }

    private record Decision(Fate fate, long delay, long duplicateDelay) {}

    /** One message's fate. Always draws the same four numbers, so one decision never shifts the next. */
    private Decision decide(String from, String to, boolean reachable) {
        double drop = random.nextDouble();
        double duplicate = random.nextDouble();
        double reorder = random.nextDouble();
        long delay = delayMicros();
        long extra = faults.reorderDelay().toNanos() / 1000;
        if (reorder < faults.reorderRate() && extra > 0) {
            delay += random.nextLong(extra + 1);
        }
        if (!reachable || crashed.contains(to)) {
            return new Decision(Fate.REFUSED, delay, -1);
        }
        Integer fromGroup = partitionGroup.get(from);
        Integer toGroup = partitionGroup.get(to);
        if (fromGroup != null && toGroup != null && !fromGroup.equals(toGroup)
                || cutDirections.contains(new Direction(from, to))) {
            return new Decision(Fate.PARTITIONED, 0, -1);
        }
        if (drop < faults.dropRate()) {
            return new Decision(Fate.DROPPED, 0, -1);
        }
        long duplicateDelay = duplicate < faults.duplicateRate() ? delayMicros() : -1;
        return new Decision(Fate.SENT, delay, duplicateDelay);
    }

    private long delayMicros() {
        long min = faults.minDelay().toNanos() / 1000;
        long max = faults.maxDelay().toNanos() / 1000;
        return min == max ? min : min + random.nextLong(max - min + 1);
    }

    private void record(Kind kind, String from, String to, Fate fate, long delay, byte[] payload) {
        if (!recordHistory) {
            return;
        }
        CRC32 crc = new CRC32();
        crc.update(payload);
        history.add(new NetworkEvent(loop.nowMicros(), from, to, kind, fate, delay, payload.length, (int) crc.getValue()));
    }

    private boolean isCurrent(String nodeId, int incarnation) {
        return !crashed.contains(nodeId) && incarnations.getOrDefault(nodeId, 0) == incarnation;
    }

    /** {@code task}, run when {@code nodeId} is not paused: at once, or again when it wakes. */
    private Runnable whenAwake(String nodeId, Runnable task) {
        return new Runnable() {
            @Override
            public void run() {
                long wake;
                synchronized (lock) {
                    wake = pausedUntilMicros.getOrDefault(nodeId, Long.MIN_VALUE);
                    if (wake <= loop.nowMicros()) {
                        pausedUntilMicros.remove(nodeId);
                    }
                }
                long now = loop.nowMicros();
                if (wake > now) {
                    loop.schedule(wake - now, this);
                } else {
                    task.run();
                }
            }
        };
    }

    /** {@code task}, skipped when the incarnation it belongs to has crashed since. */
    private Runnable guarded(String nodeId, int incarnation, Runnable task) {
        return () -> {
            boolean alive;
            synchronized (lock) {
                alive = isCurrent(nodeId, incarnation);
            }
            if (alive) {
                task.run();
            }
        };
    }

    /** A node incarnation's timers on the network's clock. */
    private final class NodeScheduler implements Scheduler {
        private final String nodeId;
        private final int incarnation;

        NodeScheduler(String nodeId, int incarnation) {
            this.nodeId = nodeId;
            this.incarnation = incarnation;
        }

        @Override
        public long currentTimeMillis() {
            long skew;
            synchronized (lock) {
                skew = clockSkewMicros.getOrDefault(nodeId, 0L);
            }
            return (loop.nowMicros() + skew) / 1000;
        }

        @Override
        public long monotonicMillis() {
            return loop.monotonicMicros() / 1000;
        }

        @Override
        public Cancellable schedule(Duration delay, Runnable task) {
            Runnable cancel = loop.schedule(delay.toNanos() / 1000, guarded(nodeId, incarnation, whenAwake(nodeId, task)));
            return cancel::run;
        }

        @Override
        public <T> T await(CompletableFuture<T> future, Duration timeout) {
            return loop.await(future, timeout);
        }
    }
}
