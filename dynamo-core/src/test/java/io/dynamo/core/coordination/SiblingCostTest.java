package io.dynamo.core.coordination;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.dynamo.api.Bytes;
import io.dynamo.api.VectorClock;
import io.dynamo.api.Versioned;
import io.dynamo.core.storage.MemoryStorageEngine;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * What one more write costs a key that already has many siblings, measured and logged (never
 * asserted: speed is for benchmarks) against the quadratic rule the write path used before —
 * reducing every stored version against every other, and trying writer slots one by one — and
 * the rate-limited warning.
 */
class SiblingCostTest {
    @Test
    void measuresAPutAt300And3000Siblings() {
        for (int siblings : new int[] {300, 3000}) {
            MemoryStorageEngine engine = new MemoryStorageEngine();
            ReplicaStore store = new ReplicaStore(engine);
            Bytes key = Bytes.utf8("hot");
            for (int i = 0; i < siblings; i++) { // blind writes through one coordinator: one writer slot each
                store.write(0, key, Bytes.utf8("v" + i), false, VectorClock.EMPTY, "n1", i, 50);
            }
            List<Versioned> stored = engine.get(0, key);
            assertEquals(siblings, stored.size());

            int rounds = siblings == 300 ? 50 : 5;
            long start = System.nanoTime();
            for (int i = 0; i < rounds; i++) {
                store.write(0, key, Bytes.utf8("more"), false, VectorClock.EMPTY, "n1", siblings + i, 50);
            }
            double perPut = (System.nanoTime() - start) / 1e6 / rounds;

            Versioned next = Versioned.of(VectorClock.of(new VectorClock.Entry("n2", 1, 1)), Bytes.utf8("x"));
            long mergeStart = System.nanoTime();
            for (int i = 0; i < rounds; i++) {
                Siblings.merge(stored, List.of(next));
            }
            double merge = (System.nanoTime() - mergeStart) / 1e6 / rounds;
            long oldStart = System.nanoTime();
            for (int i = 0; i < rounds; i++) {
                List<Versioned> all = new ArrayList<>(stored);
                all.add(next);
                Siblings.reduce(all); // the rule merge used before
                oldSlotSearch(stored);
            }
            double old = (System.nanoTime() - oldStart) / 1e6 / rounds;
            System.out.printf("%,d siblings: a put (stamp, merge, encode into the memory engine) %.3f ms; the merge alone"
                    + " %.3f ms; the former quadratic merge and slot search %.3f ms%n", siblings, perPut, merge, old);
        }
    }

    /** The writer-slot search as it was: one scan of every stored version per slot tried. */
    private static String oldSlotSearch(List<Versioned> stored) {
        String actor = "n1";
        for (int slot = 2; taken(actor, stored); slot++) {
            actor = "n1~" + slot;
        }
        return actor;
    }

    private static boolean taken(String actor, List<Versioned> stored) {
        for (Versioned v : stored) {
            if (v.clock().counter(actor) > 0) {
                return true;
            }
        }
        return false;
    }

    @Test
    void theSiblingWarningIsLoggedOncePerKeyPerInterval() {
        SiblingWarnings warnings = new SiblingWarnings("n1", new VersionLimits(25, 100, VersionLimits.DEFAULT_MAX_CLOCK_SKEW));
        Bytes key = Bytes.utf8("k");
        assertFalse(warnings.check(key, 24, 0), "below the threshold");
        assertTrue(warnings.check(key, 25, 0));
        assertFalse(warnings.check(key, 26, 1_000), "once per key per interval, not per write");
        assertTrue(warnings.check(Bytes.utf8("other"), 30, 1_000), "each key has its own");
        assertTrue(warnings.check(key, 27, SiblingWarnings.INTERVAL_MILLIS + 1));
    }
}
