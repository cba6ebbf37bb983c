package io.dynamo.lab;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** The experiment file: what it accepts, and the one-line errors that name what exists. */
class ExperimentFileTest {
    private static String error(String text) {
        return assertThrows(LabException.class, () -> ExperimentFile.parse(text, Optional.empty())).getMessage();
    }

    @Test
    void readsEverySetting() {
        ExperimentFile file = ExperimentFile.parse("""
                nodes = 7
                n = 3
                r = 1
                w = 1
                workload = robots
                robots = 5
                hot-keys = 2
                popularity = zipfian:1.2
                seeds = 3..5
                fault.p = at 10% partition node-1,node-2 | rest for 2s
                fault.c = at 50% crash-wipe node-3 for 10%
                fault.o = at 20% one-way node-4 -> node-5,node-6 for 5%
                fault.z = at 30% pause node-7 for 3s
                fault.n = at 40% network drop=0.5 delay=1ms-2ms for 10%
                """, Optional.empty());
        Experiment e = file.experiment();
        assertEquals(7, e.nodes());
        assertEquals(List.of(3L, 4L, 5L), e.seeds());
        assertEquals(WorkloadKind.ROBOTS, e.workload());
        assertEquals(5, e.faults().size());
        ScheduledFault crash = e.faults().get(0);
        assertEquals(new Fault.Crash("node-3", true), crash.fault());
        assertEquals(Optional.of(0.6), crash.endFraction().map(x -> Math.round(x * 100) / 100.0));
        Fault.Partition partition = (Fault.Partition) e.faults().get(3).fault();
        assertEquals(List.of(List.of("node-1", "node-2"), List.of("node-3", "node-4", "node-5", "node-6", "node-7")),
                partition.resolve(e.nodeIds()));
        assertEquals(Optional.of(Duration.ofSeconds(2)), e.faults().get(3).endAfter());
        assertEquals(List.of(9L), ExperimentFile.parse("seeds = 1,2", Optional.of(9L)).experiment().seeds());
    }

    @Test
    void unknownNamesAreRefusedListingWhatExists() {
        assertTrue(error("nodez = 3").contains("Known keys: anti-entropy"), error("nodez = 3"));
        assertTrue(error("workload = carts").contains("Available: cart, counter, register, robots"));
        assertTrue(error("fault.x = at 5% meteor node-1").contains("Available: partition, one-way, crash"), error("fault.x = at 5% meteor node-1"));
        try (Lab lab = new Lab(Path.of("target", "no-plugins"))) {
            String message = assertThrows(LabException.class, () -> lab.strategies().strategy("crdt")).getMessage();
            assertTrue(message.contains("Available: dvv, lww, or-set, plain-vector-clock, pn-counter, set-union, vector-clock"), message);
            assertTrue(lab.strategies().strategy("dvv+lww").resolver().equals("lww"));
        }
    }

    @Test
    void impossibleSettingsGiveOneLine() {
        assertTrue(error("r = 4").startsWith("R=4 must be between 1 and N=3"));
        assertTrue(error("nodes = 65").contains("outside 3..64"));
        assertTrue(error("nodes = 3\nn = 3\nfault.a = at 1% crash node-1\nfault.b = at 1% crash node-2\nfault.c = at 1% crash node-3")
                .contains("crash 3 nodes of 3"));
        assertTrue(error("fault.a = at 1% crash node-9").contains("node-1..node-5"));
        assertTrue(error("fault.a = at 1% skew node-1 10m").contains("max-clock-skew"));
        assertTrue(error("timeout = soon").contains("not a duration"));
        for (String message : List.of(error("r = 4"), error("nodez = 3"))) {
            assertTrue(!message.contains("\n"), "one line: " + message);
        }
    }
}
