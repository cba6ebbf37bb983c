package io.dynamo.examples.quickstart;

import io.dynamo.api.Bytes;
import io.dynamo.api.Context;
import io.dynamo.api.DynamoStore;
import io.dynamo.api.ReadResult;
import io.dynamo.api.RequestOptions;
import io.dynamo.core.cluster.InProcessCluster;
import java.io.PrintStream;
import java.time.Duration;
import java.util.stream.Collectors;

/**
 * A three-node cluster in one process (N=3, R=2, W=2, on a simulated network): a put and a get,
 * two clients writing concurrently from the same context (siblings), their reconciliation, and
 * a write that survives a crashed replica through hinted handoff.
 */
public final class QuickstartDemo {
    private final PrintStream out;

    QuickstartDemo(PrintStream out) {
        this.out = out;
    }

    public static void main(String[] args) {
        new QuickstartDemo(System.out).run(args.length > 0 ? Long.parseLong(args[0]) : 1);
    }

    /** Runs the demo on a cluster seeded with {@code seed}; returns the final cart. */
    ReadResult run(long seed) {
        try (InProcessCluster cluster = InProcessCluster.builder().nodes(3).replication(3, 2, 2).seed(seed).build()) {
            Bytes cart = Bytes.utf8("cart:alice");
            DynamoStore alice = cluster.client("alice");
            DynamoStore bob = cluster.client("bob");
            out.println("3-node cluster, N=3 R=2 W=2; preference list of " + cart + ": "
                    + cluster.ring().preferenceList(cart, 3));

            step("put then get");
            alice.put(cart, Bytes.utf8("book"), Context.EMPTY);
            ReadResult read = bob.get(cart);
            show(read);

            step("alice and bob both write from that context: concurrent writes");
            alice.put(cart, Bytes.utf8("book\npen"), read.context());
            bob.put(cart, Bytes.utf8("book\nlamp"), read.context());
            ReadResult conflicted = alice.get(cart);
            show(conflicted);

            step("alice merges the siblings and writes with the merged context");
            String merged = conflicted.values().stream()
                    .flatMap(v -> v.asUtf8().lines()).distinct().sorted().collect(Collectors.joining("\n"));
            alice.put(cart, Bytes.utf8(merged), conflicted.context());
            show(bob.get(cart));

            step("node-3 crashes; writes go on with a hint for it (sloppy quorum)");
            cluster.crash("node-3");
            ReadResult beforeCrash = alice.get(cart);
            alice.put(cart, Bytes.utf8(merged + "\numbrella"), beforeCrash.context());
            out.println("  hints held in the cluster: " + cluster.hintCount());

            step("node-3 restarts; hinted handoff delivers; a read at R=3 agrees");
            cluster.restart("node-3");
            boolean delivered = cluster.awaitHandoff(Duration.ofSeconds(30));
            out.println("  hints delivered: " + delivered + ", left: " + cluster.hintCount());
            ReadResult all = alice.get(cart, RequestOptions.quorum(3));
            show(all);
            return all;
        }
    }

    private void step(String title) {
        out.println();
        out.println("== " + title);
    }

    private void show(ReadResult read) {
        out.println("  " + read.versions().size() + " version(s):");
        read.versions().forEach(v -> out.println("    " + (v.tombstone() ? "<deleted>" : v.value().asUtf8().replace('\n', ','))
                + "  clock " + v.clock()));
        out.println("  context " + read.context().encode());
    }
}
