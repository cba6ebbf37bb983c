package io.dynamo.core.antientropy;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.dynamo.api.Bytes;
import io.dynamo.api.VectorClock;
import io.dynamo.api.Versioned;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

class ExchangeTest {
    private static final AntiEntropySettings SETTINGS = AntiEntropySettings.DEFAULT.withInterval(java.time.Duration.ZERO)
            .withMaxBytesPerSecond(0);

    private static Versioned version(String node, long counter, String value) {
        VectorClock clock = VectorClock.EMPTY;
        for (int i = 0; i < counter; i++) {
            clock = clock.increment(node, 1000 + i);
        }
        return Versioned.of(clock, Bytes.utf8(value));
    }

    @Test
    void oneDifferingKeyAmongAHundredThousandMovesThatKeyAndADepthsWorthOfTreeNodes() {
        int depth = 14;
        try (DirectReplicas replicas = new DirectReplicas(List.of("a", "b"), SETTINGS.withTreeDepth(depth))) {
            for (int i = 0; i < 100_000; i++) {
                List<Versioned> v = List.of(version("a", 1, "value-" + i));
                Bytes key = Bytes.utf8("key-" + i);
                // straight into the engines: the trees are built by a scan on first use, as after a restart
                replicas.replica("a").engine().update(0, key, stored -> v);
                replicas.replica("b").engine().update(0, key, stored -> v);
            }
            Bytes changed = Bytes.utf8("key-4242");
            replicas.write("b", changed, List.of(version("a", 2, "newer")));

            RoundReport report = replicas.repair("a");

            assertEquals(1, report.exchanges());
            assertEquals(1, report.keysDiffering());
            assertEquals(1, report.keysSent());
            assertEquals(1 + 2L * depth, report.treeNodesExchanged(), "the root, then both children of one node per level");
            assertTrue(report.keysCompared() < 100, "only the keys of one leaf are compared: " + report.keysCompared());
            assertTrue(report.bytesSent() < 4096, "bytes " + report.bytesSent());
            assertEquals(List.of(version("a", 2, "newer")), replicas.replica("a").store().read(0, changed));
            assertEquals(replicas.replica("a").trees().tree(0).root(), replicas.replica("b").trees().tree(0).root());
            System.out.println("1 differing key of 100,000, depth " + depth + ": " + report);

            RoundReport again = replicas.repair("a");
            assertEquals(0, again.keysDiffering());
            assertEquals(1, again.treeNodesExchanged(), "in sync: only the roots are compared");
        }
    }

    @Test
    void eachSideMergesByCausalityKeepingSiblingsAndDroppingDominatedVersions() {
        try (DirectReplicas replicas = new DirectReplicas(List.of("a", "b", "c"), SETTINGS.withTreeDepth(4))) {
            Bytes siblings = Bytes.utf8("cart");
            Versioned fromA = version("a", 1, "milk");
            Versioned fromB = version("b", 1, "eggs");
            replicas.write("a", siblings, List.of(fromA));
            replicas.write("b", siblings, List.of(fromB));
            Bytes stale = Bytes.utf8("doc");
            Versioned old = version("a", 1, "old");
            Versioned newer = version("a", 2, "new");
            replicas.write("a", stale, List.of(old));
            replicas.write("b", stale, List.of(newer));
            Bytes onlyC = Bytes.utf8("only-c");
            replicas.write("c", onlyC, List.of(version("c", 1, "c")));

            RoundReport report = replicas.repair("a");

            assertEquals(2, report.exchanges());
            for (String id : List.of("a", "b", "c")) {
                var store = replicas.replica(id).store();
                assertEquals(Set.of(fromA, fromB), Set.copyOf(store.read(0, siblings)), id);
                assertEquals(List.of(newer), store.read(0, stale), id);
            }
            assertEquals(List.of(version("c", 1, "c")), replicas.replica("a").store().read(0, onlyC));
            assertEquals(report.keysDiffering(), report.keysSent());
        }
    }

    @Test
    void aTreeThatCouldNotBeTrustedIsRebuiltAndStillFindsTheDifference() {
        try (DirectReplicas replicas = new DirectReplicas(List.of("a", "b"), SETTINGS.withTreeDepth(6))) {
            for (int i = 0; i < 500; i++) {
                replicas.write("a", Bytes.utf8("k" + i), List.of(version("a", 1, "v" + i)));
                replicas.write("b", Bytes.utf8("k" + i), List.of(version("a", 1, "v" + i)));
            }
            assertEquals(0, replicas.repair("a").keysDiffering());
            // b's engine changes behind its trees' back, as a restored backup would
            replicas.replica("b").engine().update(0, Bytes.utf8("k7"), v -> List.of(version("x", 1, "other")));
            assertEquals(0, replicas.repair("a").keysDiffering(), "the trees do not know");
            replicas.replica("b").trees().invalidate(0);
            RoundReport report = replicas.repair("a");
            assertEquals(1, report.keysDiffering());
            assertEquals(Set.of(version("a", 1, "v7"), version("x", 1, "other")),
                    Set.copyOf(replicas.replica("a").store().read(0, Bytes.utf8("k7"))));
        }
    }
}
