package io.dynamo.lab;

import static java.util.Objects.requireNonNull;

import io.dynamo.core.transport.local.Faults;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * Everything one experiment fixes: the cluster (nodes, N/R/W, Q, timeout, clock truncation),
 * the strategies compared, the workload and its clients, the network and the fault schedule,
 * anti-entropy, the seeds and the length. Every strategy and seed replays the same workload
 * and faults: runs differ only in what the strategy does with them. Made by {@link #builder()}
 * or from a file ({@link ExperimentFile}); the builder refuses impossible settings with a
 * {@link LabException}.
 */
public record Experiment(String name, String description, int nodes, int n, int r, int w, int partitions,
        Duration timeout, int maxClockEntries, List<String> strategies, WorkloadKind workload, int clients, int keys,
        Popularity popularity, double readShare, Duration thinkTime, int robots, int hotKeys, Duration robotThinkTime,
        Faults network, List<ScheduledFault> faults, boolean antiEntropy, Duration antiEntropyInterval, List<Long> seeds,
        int operations, double warmup, Duration settleLimit, boolean gossip) {
    public static final int MIN_NODES = 3;
    public static final int MAX_NODES = 64;

    public Experiment {
        strategies = List.copyOf(strategies);
        faults = List.copyOf(faults);
        seeds = List.copyOf(seeds);
    }

    public static Builder builder() {
        return new Builder();
    }

    /** A builder holding this experiment's settings, to change some. */
    public Builder toBuilder() {
        Builder b = new Builder();
        b.name = name;
        b.description = description;
        b.nodes = nodes;
        b.n = n;
        b.r = r;
        b.w = w;
        b.partitions = partitions;
        b.timeout = timeout;
        b.maxClockEntries = maxClockEntries;
        b.strategies = new ArrayList<>(strategies);
        b.workload = workload;
        b.clients = clients;
        b.keys = keys;
        b.popularity = popularity;
        b.readShare = readShare;
        b.thinkTime = thinkTime;
        b.robots = robots;
        b.hotKeys = hotKeys;
        b.robotThinkTime = robotThinkTime;
        b.network = network;
        b.faults = new ArrayList<>(faults);
        b.antiEntropy = antiEntropy;
        b.antiEntropyInterval = antiEntropyInterval;
        b.seeds = new ArrayList<>(seeds);
        b.operations = operations;
        b.warmup = warmup;
        b.settleLimit = settleLimit;
        b.gossip = gossip;
        return b;
    }

    /** The node ids of the cluster: {@code node-1} … {@code node-S}. */
    public List<String> nodeIds() {
        List<String> ids = new ArrayList<>();
        for (int i = 1; i <= nodes; i++) {
            ids.add("node-" + i);
        }
        return ids;
    }

    /** Settings of an {@link Experiment}, with the defaults documented in the module README. */
    public static final class Builder {
        private String name = "experiment";
        private String description = "";
        private int nodes = 5;
        private int n = 3;
        private int r = 2;
        private int w = 2;
        private int partitions = 64;
        private Duration timeout = Duration.ofMillis(500);
        private int maxClockEntries = 50;
        private List<String> strategies = new ArrayList<>(List.of("vector-clock", "dvv", "lww"));
        private WorkloadKind workload = WorkloadKind.CART;
        private int clients = 4;
        private int keys = 8;
        private Popularity popularity = new Popularity.Uniform();
        private double readShare = 0.5;
        private Duration thinkTime = Duration.ofMillis(10);
        private int robots = 0;
        private int hotKeys = 1;
        private Duration robotThinkTime = Duration.ofMillis(1);
        private Faults network = Faults.delay(Duration.ofMillis(1), Duration.ofMillis(5));
        private List<ScheduledFault> faults = new ArrayList<>();
        private boolean antiEntropy = false;
        private Duration antiEntropyInterval = Duration.ofSeconds(1);
        private List<Long> seeds = new ArrayList<>(List.of(1L));
        private int operations = 1000;
        private double warmup = 0;
        private Duration settleLimit = Duration.ofMinutes(10);
        private boolean gossip = false;

        private Builder() {}

        public Builder name(String name) {
            this.name = requireNonNull(name, "name is null");
            return this;
        }

        public Builder description(String description) {
            this.description = requireNonNull(description, "description is null");
            return this;
        }

        public Builder nodes(int nodes) {
            this.nodes = nodes;
            return this;
        }

        public Builder replication(int n, int r, int w) {
            this.n = n;
            this.r = r;
            this.w = w;
            return this;
        }

        public Builder partitions(int partitions) {
            this.partitions = partitions;
            return this;
        }

        public Builder timeout(Duration timeout) {
            this.timeout = requireNonNull(timeout, "timeout is null");
            return this;
        }

        public Builder maxClockEntries(int max) {
            this.maxClockEntries = max;
            return this;
        }

        public Builder strategies(List<String> strategies) {
            this.strategies = new ArrayList<>(strategies);
            return this;
        }

        public Builder workload(WorkloadKind workload) {
            this.workload = requireNonNull(workload, "workload is null");
            return this;
        }

        public Builder clients(int clients) {
            this.clients = clients;
            return this;
        }

        public Builder keys(int keys) {
            this.keys = keys;
            return this;
        }

        public Builder popularity(Popularity popularity) {
            this.popularity = requireNonNull(popularity, "popularity is null");
            return this;
        }

        /** The share of operations that are reads; the rest write (after a read where the workload needs one). */
        public Builder readShare(double share) {
            this.readShare = share;
            return this;
        }

        /** A client waits a uniform time in {@code [0, 2 × think]} between operations. */
        public Builder thinkTime(Duration thinkTime) {
            this.thinkTime = requireNonNull(thinkTime, "thinkTime is null");
            return this;
        }

        /** Busy robots (workload {@code robots}): how many, on how many hot keys, how fast. */
        public Builder robots(int robots, int hotKeys, Duration thinkTime) {
            this.robots = robots;
            this.hotKeys = hotKeys;
            this.robotThinkTime = requireNonNull(thinkTime, "thinkTime is null");
            return this;
        }

        public Builder network(Faults network) {
            this.network = requireNonNull(network, "network is null");
            return this;
        }

        public Builder fault(ScheduledFault fault) {
            this.faults.add(requireNonNull(fault, "fault is null"));
            return this;
        }

        public Builder faults(List<ScheduledFault> faults) {
            this.faults = new ArrayList<>(faults);
            return this;
        }

        public Builder antiEntropy(boolean on, Duration interval) {
            this.antiEntropy = on;
            this.antiEntropyInterval = requireNonNull(interval, "interval is null");
            return this;
        }

        public Builder seeds(List<Long> seeds) {
            this.seeds = new ArrayList<>(seeds);
            return this;
        }

        public Builder operations(int operations) {
            this.operations = operations;
            return this;
        }

        /** The share of the run at its start left out of the read and latency measures. */
        public Builder warmup(double warmup) {
            this.warmup = warmup;
            return this;
        }

        /** How long, in virtual time, the replicas may take to converge after the run. */
        public Builder settleLimit(Duration limit) {
            this.settleLimit = requireNonNull(limit, "limit is null");
            return this;
        }

        /**
         * Nodes learn the ring by gossip and detect failures with phi accrual, so that nodes can
         * join and leave mid-run (default: a static ring).
         */
        public Builder gossip(boolean gossip) {
            this.gossip = gossip;
            return this;
        }

        public Experiment build() {
            if (nodes < MIN_NODES || nodes > MAX_NODES) {
                throw new LabException("nodes=" + nodes + " is outside " + MIN_NODES + ".." + MAX_NODES);
            }
            if (n < 1 || n > nodes) {
                throw new LabException("N=" + n + " must be between 1 and nodes=" + nodes);
            }
            if (r < 1 || r > n) {
                throw new LabException("R=" + r + " must be between 1 and N=" + n);
            }
            if (w < 1 || w > n) {
                throw new LabException("W=" + w + " must be between 1 and N=" + n);
            }
            if (partitions < nodes || partitions > 4096) {
                throw new LabException("partitions=" + partitions + " must be between nodes=" + nodes + " and 4096");
            }
            if (maxClockEntries < 1) {
                throw new LabException("max-clock-entries=" + maxClockEntries + " must be at least 1");
            }
            if (strategies.isEmpty()) {
                throw new LabException("strategies: name at least one strategy");
            }
            if (new HashSet<>(strategies).size() != strategies.size()) {
                throw new LabException("strategies: a strategy is named twice: " + strategies);
            }
            if (clients < 1 || clients > 10_000) {
                throw new LabException("clients=" + clients + " must be between 1 and 10000");
            }
            if (keys < 1 || keys > 10_000_000) {
                throw new LabException("keys=" + keys + " must be between 1 and 10000000");
            }
            if (!(readShare >= 0 && readShare < 1)) {
                throw new LabException("reads=" + readShare + " must be in [0, 1): a workload needs writes");
            }
            if (robots < 0 || robots > 10_000 || hotKeys < 1) {
                throw new LabException("robots=" + robots + " must be in 0..10000 and hot-keys=" + hotKeys + " at least 1");
            }
            if (workload == WorkloadKind.ROBOTS && robots == 0) {
                throw new LabException("workload=robots needs robots > 0");
            }
            if (thinkTime.isNegative() || robotThinkTime.isNegative() || timeout.isNegative() || timeout.isZero()) {
                throw new LabException("think times must not be negative and the timeout must be positive");
            }
            if (antiEntropy && (antiEntropyInterval.isNegative() || antiEntropyInterval.isZero())) {
                throw new LabException("anti-entropy.interval must be positive when anti-entropy is on");
            }
            if (seeds.isEmpty()) {
                throw new LabException("seeds: name at least one seed");
            }
            if (operations < 1 || operations > 10_000_000) {
                throw new LabException("operations=" + operations + " must be between 1 and 10000000");
            }
            if (!(warmup >= 0 && warmup < 1)) {
                throw new LabException("warmup=" + warmup + " must be in [0, 1)");
            }
            checkFaults();
            return new Experiment(name, description, nodes, n, r, w, partitions, timeout, maxClockEntries, strategies,
                    workload, clients, keys, popularity, readShare, thinkTime, robots, hotKeys, robotThinkTime, network,
                    faults, antiEntropy, antiEntropyInterval, seeds, operations, warmup, settleLimit, gossip);
        }

        private void checkFaults() {
            Set<String> known = new HashSet<>();
            for (int i = 1; i <= nodes; i++) {
                known.add("node-" + i);
            }
            Set<String> crashed = new HashSet<>();
            for (ScheduledFault scheduled : faults) {
                Fault fault = scheduled.fault();
                List<String> named = List.of();
                if (fault instanceof Fault.Partition p) {
                    named = p.groups().stream().flatMap(List::stream).toList();
                } else if (fault instanceof Fault.OneWay o) {
                    named = concat(o.from(), o.to());
                } else if (fault instanceof Fault.Crash c) {
                    crashed.add(c.node());
                    named = List.of(c.node());
                } else if (fault instanceof Fault.Pause p) {
                    named = List.of(p.node());
                } else if (fault instanceof Fault.Join j) {
                    if (!gossip) {
                        throw new LabException("join " + j.node() + " needs membership = gossip");
                    }
                    if (known.contains(j.node()) || !j.node().matches("node-[0-9]+")) {
                        throw new LabException("join names " + j.node() + ": a new node is node-N with N above " + nodes);
                    }
                    known.add(j.node());
                } else if (fault instanceof Fault.Leave l) {
                    if (!gossip) {
                        throw new LabException("leave " + l.node() + " needs membership = gossip");
                    }
                    crashed.add(l.node());
                    named = List.of(l.node());
                } else if (fault instanceof Fault.Skew s) {
                    if (s.skew().abs().compareTo(Duration.ofMinutes(5)) > 0) {
                        throw new LabException("skew " + s.skew() + " of " + s.node() + " is beyond the 5 min the nodes"
                                + " accept (replication.max-clock-skew): their writes would be refused");
                    }
                    named = List.of(s.node());
                }
                for (String node : named) {
                    if (!known.contains(node) && !node.equals(Fault.Partition.REST)) {
                        throw new LabException("fault names " + node + ", but the cluster has node-1..node-" + nodes);
                    }
                }
            }
            if (crashed.size() >= nodes) {
                throw new LabException("the faults crash " + crashed.size() + " nodes of " + nodes + ": at least one must stay");
            }
        }

        private static List<String> concat(List<String> a, List<String> b) {
            List<String> all = new ArrayList<>(a);
            all.addAll(b);
            return all;
        }
    }
}
