package io.dynamo.lab;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.dynamo.api.Bytes;
import io.dynamo.resolver.crdt.OrSet;
import io.dynamo.resolver.crdt.PnCounter;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The CRDT strategies on the lab's workloads: their values, and the results the literature predicts. */
class CrdtStrategiesTest {
    private static Map<String, RunResult> byStrategy(List<RunResult> results) {
        return results.stream().collect(Collectors.toMap(RunResult::strategy, r -> r));
    }

    private static List<RunResult> run(String experimentName, long seed) throws IOException {
        ExperimentFile file = KnownResultsTest.shipped(experimentName, Optional.of(seed));
        try (Lab lab = new Lab(Path.of("target", "no-plugins"))) {
            return lab.run(file.experiment(), "", Progress.SILENT);
        }
    }

    @Test
    void orSetResurrectsNoRemovalInTheCartUnderAPartitionWhereSetUnionResurrectsSome() throws IOException {
        Map<String, RunResult> results = byStrategy(run("or-set-vs-set-union", 1));
        RunResult orSet = results.get("or-set");
        RunResult setUnion = results.get("set-union");
        for (RunResult r : List.of(orSet, setUnion)) {
            assertTrue(r.measure("removals_acknowledged") > 50, r.strategy() + " acknowledged too few removals to tell");
            assertEquals(0, r.measure("updates_lost"), r.strategy() + " lost acknowledged adds: " + r.measures());
        }
        assertEquals(0, orSet.measure("removals_resurrected"), "or-set resurrected removals: " + orSet.measures());
        assertTrue(setUnion.measure("removals_resurrected") > 0, "set-union resurrected none: " + setUnion.measures());
    }

    @Test
    void pnCounterErrorIsZeroWhenEveryIncrementWasAcknowledgedWhereAMaxMergeLosesIncrements() throws IOException {
        // seed 2: every pn-counter write was acknowledged (no undetermined one to allow for)
        Map<String, RunResult> results = byStrategy(run("pn-counter-vs-max", 2));
        RunResult pn = results.get("pn-counter");
        assertEquals(0, pn.measure("info"), "the premise: no undetermined increment");
        assertTrue(pn.measure("updates_acknowledged") > 100, "too few increments to tell");
        assertEquals(0, pn.measure("counter_error"), "pn-counter error: " + pn.measures());
        assertEquals(0, pn.measure("updates_lost"));
        for (String maxMerged : List.of("vector-clock", "lww")) {
            assertTrue(results.get(maxMerged).measure("counter_error") > 0,
                    maxMerged + " lost no increment: " + results.get(maxMerged).measures());
        }
    }

    @Test
    void sameSeedGivesByteIdenticalCsvForTheCrdtStrategies(@TempDir Path dir) throws IOException {
        for (String workload : List.of("cart", "counter")) {
            String text = """
                    nodes = 4
                    strategies = or-set, pn-counter
                    clients = 4
                    keys = 2
                    operations = 200
                    network.drop = 0.02
                    fault.a = at 30% partition node-1 | rest for 30%
                    workload = """ + workload + "\n";
            for (String copy : List.of("a", "b")) {
                ExperimentFile file = ExperimentFile.parse(text, Optional.of(5L));
                try (Lab lab = new Lab(dir.resolve("no-plugins"))) {
                    Report.write(dir.resolve(workload + copy), file, lab.run(file, Progress.SILENT), List.of());
                }
            }
            assertArrayEquals(Files.readAllBytes(dir.resolve(workload + "a/runs.csv")),
                    Files.readAllBytes(dir.resolve(workload + "b/runs.csv")), workload);
        }
    }

    @Test
    void theCrdtStrategiesWriteCrdtValuesAndTheOthersTodaysEncodings() {
        Strategy orSet = new Strategy("or-set", "vector-clock", "or-set");
        Strategy vectorClock = new Strategy("vector-clock", "vector-clock", "vector-clock");

        ValueModel plain = ValueModel.of(vectorClock);
        Bytes plainCart = plain.cart("client-0", "key-0", List.of(Bytes.utf8("item-1")), "item-2", false);
        assertEquals("item-1\nitem-2", plainCart.asUtf8());
        assertEquals(Bytes.utf8("8"), plain.counter("client-0", "key-0", List.of(Bytes.utf8("7"), Bytes.utf8("5")), 1));

        ValueModel crdt = ValueModel.of(orSet);
        Bytes withMilk = crdt.cart("client-0", "key-0", List.of(), "milk", false);
        Bytes withMilkAndTea = crdt.cart("client-1", "key-0", List.of(withMilk), "tea", false);
        Bytes withoutMilk = crdt.cart("client-0", "key-0", List.of(withMilk), "milk", true);
        assertEquals(List.of("milk", "tea"), OrSet.decode(withMilkAndTea).elementsAsUtf8());
        // the removal saw every add of milk: merging it with a concurrent sibling still holding milk keeps it removed
        assertEquals(Set.of("tea"), crdt.items(List.of(withMilkAndTea, withoutMilk)));

        ValueModel counters = ValueModel.of(new Strategy("pn-counter", "vector-clock", "pn-counter"));
        Bytes one = counters.counter("client-0", "key-0", List.of(), 1);
        Bytes two = counters.counter("client-1", "key-0", List.of(one), 1);
        Bytes concurrent = counters.counter("client-2", "key-0", List.of(one), 1);
        assertEquals(2, PnCounter.decode(two).value());
        assertEquals(3, counters.count(List.of(two, concurrent)), "concurrent increments both count");
    }
}
