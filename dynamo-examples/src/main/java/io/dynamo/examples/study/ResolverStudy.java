package io.dynamo.examples.study;

import io.dynamo.api.Bytes;
import io.dynamo.api.DynamoException;
import io.dynamo.api.DynamoStore;
import io.dynamo.api.ReadResult;
import io.dynamo.api.RequestOptions;
import io.dynamo.core.cluster.InProcessCluster;
import io.dynamo.core.config.NodePluginContext;
import io.dynamo.core.plugin.ExtensionPoint;
import io.dynamo.core.plugin.PluginRegistry;
import io.dynamo.core.transport.local.Faults;
import io.dynamo.spi.PluginConfig;
import io.dynamo.spi.resolution.ConflictResolver;
import java.io.PrintStream;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.SplittableRandom;
import java.util.TreeSet;

/**
 * A reproducible comparison of conflict-resolution strategies under faults: the paper's
 * shopping cart, played by several clients against a five-node in-process cluster on a
 * simulated network, once per resolver, with the same seed and so the same faults.
 *
 * <p>The workload: each client, on each turn, picks a cart; if it holds an earlier read of
 * that cart it acts on it — adds a new item (80%) or removes one it saw (20%) — and writes with
 * that read's context; otherwise it reads the cart and keeps the read. Other clients write in
 * between, so most writes are concurrent with some other write: exactly the situation resolvers
 * exist for. Meanwhile the network drops 2% of messages and delays and reorders others, splits
 * into two sides (each with its clients) for a while, and one node crashes and comes back.
 * When clients see siblings they merge them by union, as Amazon's cart did.
 *
 * <p>After the run the network heals, hints are handed off, and every cart is read at R=N.
 * Each acknowledged add that was never removed but is missing counts as a lost add; each
 * acknowledged removal whose item is present again counts as a resurrected removal.
 *
 * <p>Arguments: {@code [seed] [operations]}. The same seed prints the same table.
 */
public final class ResolverStudy {
    static final List<String> STRATEGIES = List.of("vector-clock", "lww", "set-union");
    private static final int NODES = 5;
    private static final int CARTS = 8;
    private static final List<String> CLIENTS = List.of("client-a", "client-b", "client-c", "client-d");

    private final long seed;
    private final int operations;

    public ResolverStudy(long seed, int operations) {
        this.seed = seed;
        this.operations = operations;
    }

    public static void main(String[] args) {
        long seed = args.length > 0 ? Long.parseLong(args[0]) : 42;
        int operations = args.length > 1 ? Integer.parseInt(args[1]) : 1000;
        new ResolverStudy(seed, operations).print(System.out);
    }

    void print(PrintStream out) {
        out.println("Shopping-cart study: " + NODES + " nodes, N=3 R=2 W=2, " + CLIENTS.size() + " clients, "
                + CARTS + " carts, " + operations + " operations, seed " + seed);
        out.println("faults: 2% drops, 1-20 ms delays, 5% reordered; a partition from 25% to 50% of the run;"
                + " node-2 down from 60% to 80%");
        out.println();
        out.println(StudyResult.header());
        for (StudyResult result : runAll()) {
            out.println(result.row());
        }
    }

    /** One run per strategy, each on a fresh cluster with the same seed. */
    public List<StudyResult> runAll() {
        try (PluginRegistry registry = PluginRegistry.load(Path.of("plugins"))) {
            List<StudyResult> results = new ArrayList<>();
            for (String strategy : STRATEGIES) {
                ConflictResolver resolver = registry.create(ExtensionPoint.CONFLICT_RESOLVER, strategy,
                        PluginConfig.empty(strategy), new NodePluginContext("study", Path.of(".")));
                results.add(run(strategy, resolver));
            }
            return results;
        }
    }

    StudyResult run(String strategy, ConflictResolver resolver) {
        Faults faults = Faults.delay(Duration.ofMillis(1), Duration.ofMillis(20)).withDropRate(0.02)
                .withReordering(0.05, Duration.ofMillis(30));
        try (InProcessCluster cluster = InProcessCluster.builder().nodes(NODES).replication(3, 2, 2).seed(seed)
                .resolver(resolver).faults(faults).timeout(Duration.ofMillis(500)).build()) {
            return new Run(strategy, cluster).execute();
        }
    }

    /** The state of one strategy's run. */
    private final class Run {
        private final String strategy;
        private final InProcessCluster cluster;
        private final SplittableRandom random = new SplittableRandom(seed);
        private final Map<String, DynamoStore> clients = new HashMap<>();
        private final Map<String, ReadResult> pendingReads = new HashMap<>();
        private final Map<String, Set<String>> added = new HashMap<>();
        private final Map<String, Set<String>> removed = new HashMap<>();
        private int failed;
        private int reads;
        private int readsWithSiblings;
        private int maxSiblings;
        private int nextItem;

        Run(String strategy, InProcessCluster cluster) {
            this.strategy = strategy;
            this.cluster = cluster;
            CLIENTS.forEach(name -> clients.put(name, cluster.client(name)));
        }

        StudyResult execute() {
            for (int op = 0; op < operations; op++) {
                applySchedule(op);
                String client = CLIENTS.get(random.nextInt(CLIENTS.size()));
                String cart = "cart-" + random.nextInt(CARTS);
                try {
                    step(client, cart);
                } catch (DynamoException e) {
                    failed++;
                }
            }
            settle();
            return score();
        }

        /** The fault schedule, by position in the run. */
        private void applySchedule(int op) {
            if (op == operations / 4) {
                cluster.network().partition(List.of(
                        List.of("node-1", "node-2", "client-a", "client-b"),
                        List.of("node-3", "node-4", "node-5", "client-c", "client-d")));
            } else if (op == operations / 2) {
                cluster.network().heal();
            } else if (op == operations * 6 / 10) {
                cluster.crash("node-2");
            } else if (op == operations * 8 / 10) {
                cluster.restart("node-2");
            }
        }

        private void step(String client, String cart) {
            String slot = client + "/" + cart;
            ReadResult read = pendingReads.remove(slot);
            DynamoStore store = clients.get(client);
            if (read == null) {
                pendingReads.put(slot, read(store, cart, RequestOptions.DEFAULT));
                return;
            }
            Set<String> items = items(read);
            boolean remove = !items.isEmpty() && random.nextInt(100) < 20;
            String item;
            if (remove) {
                List<String> choices = new ArrayList<>(items);
                item = choices.get(random.nextInt(choices.size()));
                items.remove(item);
            } else {
                item = "item-" + nextItem++;
                items.add(item);
            }
            store.put(Bytes.utf8(cart), Bytes.utf8(String.join("\n", items)), read.context());
            (remove ? removed : added).computeIfAbsent(cart, c -> new HashSet<>()).add(item);
        }

        private ReadResult read(DynamoStore store, String cart, RequestOptions options) {
            ReadResult read = store.get(Bytes.utf8(cart), options);
            reads++;
            if (read.versions().size() > 1) {
                readsWithSiblings++;
            }
            maxSiblings = Math.max(maxSiblings, read.versions().size());
            return read;
        }

        /** Heals everything and lets hints drain, so the final reads see the settled state. */
        private void settle() {
            cluster.network().heal();
            cluster.network().setFaults(Faults.NONE);
            cluster.nodeIds().stream().filter(id -> !cluster.isUp(id)).forEach(cluster::restart);
            cluster.awaitHandoff(Duration.ofMinutes(5));
        }

        private StudyResult score() {
            DynamoStore auditor = cluster.client("auditor");
            int addsAcknowledged = 0;
            int lostAdds = 0;
            int removesAcknowledged = 0;
            int resurrected = 0;
            for (int c = 0; c < CARTS; c++) {
                String cart = "cart-" + c;
                Set<String> finalItems = items(read(auditor, cart, RequestOptions.quorum(3)));
                Set<String> adds = added.getOrDefault(cart, Set.of());
                Set<String> removes = removed.getOrDefault(cart, Set.of());
                addsAcknowledged += adds.size();
                removesAcknowledged += removes.size();
                for (String item : adds) {
                    if (!removes.contains(item) && !finalItems.contains(item)) {
                        lostAdds++;
                    }
                }
                for (String item : removes) {
                    if (finalItems.contains(item)) {
                        resurrected++;
                    }
                }
            }
            return new StudyResult(strategy, operations, failed, addsAcknowledged, lostAdds, removesAcknowledged,
                    resurrected, reads, readsWithSiblings, maxSiblings);
        }
    }

    /** The client's view of a cart: the union of the items of every live sibling. */
    static Set<String> items(ReadResult read) {
        Set<String> items = new TreeSet<>();
        for (Bytes value : read.values()) {
            value.asUtf8().lines().filter(line -> !line.isEmpty()).forEach(items::add);
        }
        return items;
    }
}
